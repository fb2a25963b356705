using Cairn.Api.Conversions;
using Cairn.Common;
using Google.Protobuf;

namespace Cairn.Common.Tests;

public class ConversionTests
{
    [Fact]
    public void Resources_round_trip_through_protobuf_in_both_reservation_formats()
    {
        var resources = Resources.Parse("cpus:4;mem:8192;ports:[31000-32000];ports(logstash):[514-514];bugs(eng/web):{a,b}")
            + Resources.Parse("cpus:1").AllocateTo("web");

        foreach (var format in new[] { ReservationFormat.ReservationStack, ReservationFormat.LegacyRole })
        {
            var offer = new Mesos.V1.Offer();
            resources.AddTo(offer.Resources, format);
            var parsed = Mesos.V1.Offer.Parser.ParseFrom(offer.ToByteArray());
            ResourceConversions.FromProto(parsed.Resources).ShouldBe(resources);
        }
    }

    [Fact]
    public void Reservation_stack_and_allocation_info_have_the_mesos_json_shape()
    {
        var proto = Resources.Parse("ports(logstash):[514-514]").AllocateTo("logstash")[0].ToProto();
        var json = JsonFormatter.Default.Format(proto);

        json.ShouldBe("{ \"name\": \"ports\", \"type\": \"RANGES\", \"ranges\": { \"range\": [ { \"begin\": \"514\", \"end\": \"514\" } ] }, \"allocationInfo\": { \"role\": \"logstash\" }, \"reservations\": [ { \"role\": \"logstash\", \"type\": \"STATIC\" } ] }");
        proto.Reservations.Count.ShouldBe(1);
#pragma warning disable CS0612 // the deprecated role field must stay unset in the refined format
        proto.HasRole.ShouldBeFalse();
#pragma warning restore CS0612
    }

    [Fact]
    public void Invalid_protobuf_resources_are_rejected_with_the_resource_name()
    {
        var negative = new Mesos.V1.Resource { Name = "cpus", Type = Mesos.V1.Value.Types.Type.Scalar, Scalar = new() { Value = -1 } };
        ResourceConversions.TryFromProto([negative], out _, out var error).ShouldBeFalse();
        error.ShouldBe("Invalid resource 'cpus': scalar value -1 must be finite and not negative");

        var missing = new Mesos.V1.Resource { Name = "mem", Type = Mesos.V1.Value.Types.Type.Scalar };
        ResourceConversions.TryFromProto([missing], out _, out error).ShouldBeFalse();
        error.ShouldBe("Invalid resource 'mem': SCALAR resource without 'scalar'");

        var badRange = new Mesos.V1.Resource { Name = "ports", Type = Mesos.V1.Value.Types.Type.Ranges, Ranges = new() };
        badRange.Ranges.Range.Add(new Mesos.V1.Value.Types.Range { Begin = 5, End = 1 });
        ResourceConversions.TryFromProto([badRange], out _, out error).ShouldBeFalse();
        error.ShouldBe("Invalid resource 'ports': range 5-1 has begin greater than end");

        var volume = new Mesos.V1.Resource { Name = "disk", Type = Mesos.V1.Value.Types.Type.Scalar, Scalar = new() { Value = 1 }, Shared = new() };
        ResourceConversions.TryFromProto([volume], out _, out error).ShouldBeFalse();
        error.ShouldStartWith("Invalid resource 'disk': persistent volumes");
    }

    [Fact]
    public void Attributes_round_trip_through_protobuf()
    {
        var attributes = Attributes.Parse("rack:r1;level:2.5;keys:[1-3];tags:{a,b}");
        var agent = new Mesos.V1.AgentInfo { Hostname = "h" };
        attributes.AddTo(agent.Attributes);

        agent.Attributes[0].Text.Value.ShouldBe("r1");
        agent.Attributes[1].Type.ShouldBe(Mesos.V1.Value.Types.Type.Scalar);
        AttributeConversions.FromProto(Mesos.V1.AgentInfo.Parser.ParseFrom(agent.ToByteArray()).Attributes).ShouldBe(attributes);

        var bad = new Mesos.V1.Attribute { Name = "rack", Type = Mesos.V1.Value.Types.Type.Text };
        AttributeConversions.TryFromProto([bad], out _, out var error).ShouldBeFalse();
        error.ShouldBe("Invalid attribute 'rack': type Text without a valid value");
    }
}
