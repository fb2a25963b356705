using Cairn.Common;

namespace Cairn.Common.Tests;

public class AttributesTests
{
    [Fact]
    public void Parses_text_scalar_ranges_and_sets_in_order()
    {
        var a = Attributes.Parse("rack:r1;zone:a;level:10;keys:[1000-1500];tags:{x,y}");

        a.Count.ShouldBe(5);
        a.Get("rack")!.Kind.ShouldBe(AttributeKind.Text);
        a.Get("rack")!.Text.ShouldBe("r1");
        a.Get("level")!.Scalar.ShouldBe(10);
        a.Get("keys")!.Ranges.ShouldBe(ValueRanges.Of(1000, 1500));
        a.Get("tags")!.SetItems.ShouldBe(["x", "y"]);
        a.Get("missing").ShouldBeNull();
        a.ToString().ShouldBe("rack:r1;zone:a;level:10;keys:[1000-1500];tags:{x,y}");
        Attributes.Parse(a.ToString()).ShouldBe(a);
    }

    [Theory]
    [InlineData("rack", "Bad attribute 'rack': expected name:value")]
    [InlineData("rack:", "Bad attribute 'rack:': missing value")]
    [InlineData("keys:[2-1]", "Bad attribute 'keys:[2-1]': range '2-1' has begin greater than end")]
    public void Bad_input_gets_a_precise_error(string text, string expected)
    {
        Attributes.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldBe(expected);
        Should.Throw<FormatException>(() => Attributes.Parse(text)).Message.ShouldBe(expected);
    }
}
