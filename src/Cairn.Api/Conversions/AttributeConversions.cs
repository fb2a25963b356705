using Cairn.Common;
using Google.Protobuf.Collections;
using ProtoAttribute = Mesos.V1.Attribute;
using ProtoValue = Mesos.V1.Value;

namespace Cairn.Api.Conversions;

/// <summary>Converts between <see cref="Attributes"/> and repeated <c>Mesos.V1.Attribute</c> fields.</summary>
public static class AttributeConversions
{
    /// <summary>Appends the attributes, in order, to a protobuf repeated field.</summary>
    public static void AddTo(this Attributes attributes, RepeatedField<ProtoAttribute> target)
    {
        foreach (var a in attributes)
        {
            target.Add(ToProto(a));
        }
    }

    /// <summary>One attribute as a protobuf message.</summary>
    public static ProtoAttribute ToProto(this Cairn.Common.Attribute attribute)
    {
        var proto = new ProtoAttribute { Name = attribute.Name };
        switch (attribute.Kind)
        {
            case AttributeKind.Text:
                proto.Type = ProtoValue.Types.Type.Text;
                proto.Text = new ProtoValue.Types.Text { Value = attribute.Text };
                break;
            case AttributeKind.Scalar:
                proto.Type = ProtoValue.Types.Type.Scalar;
                proto.Scalar = new ProtoValue.Types.Scalar { Value = attribute.Scalar };
                break;
            case AttributeKind.Ranges:
                proto.Type = ProtoValue.Types.Type.Ranges;
                proto.Ranges = attribute.Ranges.ToProto();
                break;
            default:
                proto.Type = ProtoValue.Types.Type.Set;
                proto.Set = new ProtoValue.Types.Set();
                proto.Set.Item.AddRange(attribute.SetItems);
                break;
        }

        return proto;
    }

    /// <summary>Reads protobuf attributes; false with a message naming the bad attribute when a value is missing or invalid.</summary>
    public static bool TryFromProto(IEnumerable<ProtoAttribute> protos, out Attributes attributes, out string error)
    {
        attributes = Attributes.Empty;
        error = "";
        var list = new List<Cairn.Common.Attribute>();
        foreach (var proto in protos)
        {
            Cairn.Common.Attribute? attribute = null;
            string? message = null;
            switch (proto.Type)
            {
                case ProtoValue.Types.Type.Text when proto.Text is not null:
                    attribute = Cairn.Common.Attribute.CreateText(proto.Name, proto.Text.Value);
                    break;
                case ProtoValue.Types.Type.Scalar when proto.Scalar is not null && double.IsFinite(proto.Scalar.Value):
                    attribute = Cairn.Common.Attribute.CreateScalar(proto.Name, proto.Scalar.Value);
                    break;
                case ProtoValue.Types.Type.Ranges:
                    message = ResourceConversions.TryFromProto(proto.Ranges, out var ranges);
                    attribute = Cairn.Common.Attribute.CreateRanges(proto.Name, ranges);
                    break;
                case ProtoValue.Types.Type.Set:
                    attribute = Cairn.Common.Attribute.CreateSet(proto.Name, proto.Set?.Item ?? []);
                    break;
                default:
                    message = $"type {proto.Type} without a valid value";
                    break;
            }

            if (message is not null || string.IsNullOrEmpty(proto.Name))
            {
                error = $"Invalid attribute '{proto.Name}': {message ?? "missing name"}";
                return false;
            }

            list.Add(attribute!);
        }

        attributes = Attributes.Create(list);
        return true;
    }

    /// <summary>Like <see cref="TryFromProto"/> but throws.</summary>
    /// <exception cref="FormatException">An attribute is invalid.</exception>
    public static Attributes FromProto(IEnumerable<ProtoAttribute> protos) =>
        TryFromProto(protos, out var attributes, out var error) ? attributes : throw new FormatException(error);
}
