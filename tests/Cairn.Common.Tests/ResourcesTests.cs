using Cairn.Common;

namespace Cairn.Common.Tests;

public class ResourcesTests
{
    [Fact]
    public void Parses_the_agent_flag_syntax()
    {
        var r = Resources.Parse("cpus:4;mem:8192;disk:20000;ports:[31000-32000];ports(logstash):[514-514]");

        r.Cpus.ShouldBe(4);
        r.Mem.ShouldBe(8192);
        r.Disk.ShouldBe(20000);
        r.Gpus.ShouldBe(0);
        r.Ports.ShouldBe(ValueRanges.Create([new(514, 514), new(31000, 32000)]));
        r.ReservedTo("logstash").ToString().ShouldBe("ports(logstash):[514-514]");
        r.Unreserved().Ports.ShouldBe(ValueRanges.Of(31000, 32000));
        r.ToString().ShouldBe("cpus:4; disk:20000; mem:8192; ports:[31000-32000]; ports(logstash):[514-514]");
    }

    [Fact]
    public void Same_identity_merges_and_reserved_stays_separate()
    {
        var r = Resources.Parse("cpus:1; cpus:2.5; cpus(ads):8; ports:[1-2,3-5]; bugs:{b,a,a}");

        r.ToString().ShouldBe("bugs:{a, b}; cpus:3.5; cpus(ads):8; ports:[1-5]");
        r.Cpus.ShouldBe(11.5);
        r.AllocatableTo("ads").Cpus.ShouldBe(11.5);
        r.AllocatableTo("web").Cpus.ShouldBe(3.5);
    }

    [Fact]
    public void Reservations_to_an_ancestor_are_allocatable_to_descendants_only()
    {
        var r = Resources.Parse("cpus(eng):2;cpus(eng/web):1;cpus(engineering):4");

        r.AllocatableTo("eng/web").Cpus.ShouldBe(3);
        r.AllocatableTo("eng").Cpus.ShouldBe(2);
        r.AllocatableTo("engineering").Cpus.ShouldBe(4);
    }

    [Fact]
    public void Scalars_use_three_decimal_fixed_point()
    {
        var sum = Resources.Empty;
        for (var i = 0; i < 10; i++)
        {
            sum += Resources.Parse("cpus:0.1");
        }

        sum.ShouldBe(Resources.Parse("cpus:1"));
        Resources.Parse("cpus:0.0004").IsEmpty.ShouldBeTrue();
        Resources.Parse("cpus:0.0005").ToString().ShouldBe("cpus:0.001");
        (Resources.Parse("cpus:0.3") - Resources.Parse("cpus:0.1") - Resources.Parse("cpus:0.2")).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Subtracting_more_than_available_drops_the_entry()
    {
        (Resources.Parse("cpus:1;mem:10") - Resources.Parse("cpus:2")).ShouldBe(Resources.Parse("mem:10"));
        (Resources.Parse("ports:[1-10]") - Resources.Parse("ports:[3-4]")).Ports.ToString().ShouldBe("[1-2, 5-10]");
        (Resources.Parse("bugs:{a,b,c}") - Resources.Parse("bugs:{b}")).ToString().ShouldBe("bugs:{a, c}");
    }

    [Fact]
    public void Contains_respects_roles_and_kinds()
    {
        var total = Resources.Parse("cpus:4;cpus(ads):2;ports:[31000-32000]");

        total.Contains(Resources.Parse("cpus:4;ports:[31000-31005]")).ShouldBeTrue();
        total.Contains(Resources.Parse("cpus:5")).ShouldBeFalse();
        total.Contains(Resources.Parse("cpus(ads):2")).ShouldBeTrue();
        total.Contains(Resources.Parse("cpus(web):1")).ShouldBeFalse();
        total.Contains(Resources.Parse("ports:[30999-31000]")).ShouldBeFalse();
    }

    [Fact]
    public void Allocation_role_is_part_of_the_identity_and_round_trips()
    {
        var offered = Resources.Parse("cpus:2;mem:64;ports(logstash):[514-514]").AllocateTo("logstash");

        offered.ToString().ShouldBe("cpus(*)(allocated: logstash):2; mem(*)(allocated: logstash):64; ports(logstash)(allocated: logstash):[514-514]");
        Resources.Parse(offered.ToString()).ShouldBe(offered);
        offered.Unallocated().ShouldBe(Resources.Parse("cpus:2;mem:64;ports(logstash):[514-514]"));
        Resources.Parse("cpus:2").Contains(offered).ShouldBeFalse();
    }

    [Fact]
    public void Parses_the_json_array_form()
    {
        var r = Resources.Parse("""
            [{"name":"cpus","type":"SCALAR","scalar":{"value":4}},
             {"name":"mem","type":"SCALAR","scalar":{"value":1024},"role":"ads"},
             {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]},"reservations":[{"type":"STATIC","role":"web"}]},
             {"name":"bugs","type":"SET","set":{"item":["a","b"]}}]
            """);

        r.ShouldBe(Resources.Parse("cpus:4;mem(ads):1024;ports(web):[31000-32000];bugs:{a,b}"));
    }

    [Theory]
    [InlineData("cpus", "Bad resource 'cpus': expected ':' followed by a value")]
    [InlineData("cpus:", "Bad resource 'cpus:': missing value")]
    [InlineData("cpus:abc", "Bad resource 'cpus:abc': 'abc' is not a number, a range list [b-e] or a set {a,b}")]
    [InlineData("cpus:-1", "Bad resource 'cpus:-1': scalar must not be negative")]
    [InlineData("ports:[5-1]", "Bad resource 'ports:[5-1]': range '5-1' has begin greater than end")]
    [InlineData("ports:[1-x]", "Bad resource 'ports:[1-x]': range '1-x' has a bound that is not an unsigned integer")]
    [InlineData("ports:[1-2", "Bad resource 'ports:[1-2': ranges must be written as [begin-end,...], got '[1-2'")]
    [InlineData("cpus(a b):1", "Bad resource 'cpus(a b):1': role 'a b' must not contain whitespace or control characters")]
    [InlineData("cpus(/a):1", "Bad resource 'cpus(/a):1': role '/a' must not start or end with '/'")]
    [InlineData("cpus(a:1", "Bad resource 'cpus(a:1': unbalanced '(' in role")]
    [InlineData("ports:5", "Bad resource 'ports:5': 'ports' must be of type RANGES")]
    [InlineData("cpus:[1-2]", "Bad resource 'cpus:[1-2]': 'cpus' must be of type SCALAR")]
    [InlineData("gpus:1.5", "Bad resource 'gpus:1.5': gpus must be a whole number")]
    [InlineData("x:1;x:{a}", "Bad resource 'x:{a}': 'x' is used with two different types")]
    [InlineData(":4", "Bad resource ':4': missing resource name")]
    [InlineData("[{\"name\":\"cpus\"}]", "Bad resource at index 0: resource 'cpus' is missing 'type'")]
    [InlineData("[{\"name\":\"cpus\",\"type\":\"TEXT\"}]", "Bad resource at index 0: resource 'cpus' has unknown type 'TEXT' (expected SCALAR, RANGES or SET)")]
    [InlineData("[1,", "Bad resources JSON: ")]
    public void Bad_input_gets_a_precise_error(string text, string expected)
    {
        Resources.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldStartWith(expected);
        Should.Throw<FormatException>(() => Resources.Parse(text)).Message.ShouldStartWith(expected);
    }

    [Fact]
    public void Empty_text_is_no_resources() => Resources.Parse("  ").IsEmpty.ShouldBeTrue();

    [Fact]
    public void Role_validation_follows_mesos()
    {
        Roles.Validate("eng/web").ShouldBeNull();
        Roles.Validate("*").ShouldBeNull();
        Roles.Validate("").ShouldNotBeNull();
        Roles.Validate("a//b").ShouldNotBeNull();
        Roles.Validate("a/./b").ShouldNotBeNull();
        Roles.Validate("a/*").ShouldNotBeNull();
        Roles.Validate("-a").ShouldNotBeNull();
        Roles.IsSelfOrAncestor("eng", "eng/web").ShouldBeTrue();
        Roles.IsSelfOrAncestor("eng", "engineering").ShouldBeFalse();
    }
}
