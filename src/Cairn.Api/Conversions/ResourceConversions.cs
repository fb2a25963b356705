using Cairn.Common;
using Google.Protobuf.Collections;
using ProtoReservation = Mesos.V1.Resource.Types.ReservationInfo;
using ProtoResource = Mesos.V1.Resource;
using ProtoValue = Mesos.V1.Value;

namespace Cairn.Api.Conversions;

/// <summary>
/// Converts between <see cref="Resources"/> and repeated <c>Mesos.V1.Resource</c> fields. Cairn models static
/// reservations (one role per resource) and <c>allocation_info.role</c>; resources with disk persistence, shared,
/// revocable or provider information are rejected with an error rather than silently misread.
/// </summary>
public static class ResourceConversions
{
    /// <summary>Appends <paramref name="resources"/> to a protobuf repeated field.</summary>
    public static void AddTo(this Resources resources, RepeatedField<ProtoResource> target, ReservationFormat format = ReservationFormat.ReservationStack)
    {
        foreach (var r in resources)
        {
            target.Add(ToProto(r, format));
        }
    }

    /// <summary>The resources as a new list of protobuf messages.</summary>
    public static List<ProtoResource> ToProto(this Resources resources, ReservationFormat format = ReservationFormat.ReservationStack)
    {
        var list = new List<ProtoResource>(resources.Count);
        foreach (var r in resources)
        {
            list.Add(ToProto(r, format));
        }

        return list;
    }

    /// <summary>One resource as a protobuf message.</summary>
    public static ProtoResource ToProto(this Resource resource, ReservationFormat format = ReservationFormat.ReservationStack)
    {
        var proto = new ProtoResource { Name = resource.Name };
        switch (resource.Kind)
        {
            case ResourceKind.Scalar:
                proto.Type = ProtoValue.Types.Type.Scalar;
                proto.Scalar = new ProtoValue.Types.Scalar { Value = resource.Scalar };
                break;
            case ResourceKind.Ranges:
                proto.Type = ProtoValue.Types.Type.Ranges;
                proto.Ranges = ToProto(resource.Ranges);
                break;
            default:
                proto.Type = ProtoValue.Types.Type.Set;
                proto.Set = new ProtoValue.Types.Set();
                proto.Set.Item.AddRange(resource.SetItems);
                break;
        }

        if (resource.IsReserved)
        {
            if (format == ReservationFormat.ReservationStack)
            {
                proto.Reservations.Add(new ProtoReservation { Type = ProtoReservation.Types.Type.Static, Role = resource.Role });
            }
            else
            {
                proto.Role = resource.Role;
            }
        }

        if (resource.AllocationRole is not null)
        {
            proto.AllocationInfo = new ProtoResource.Types.AllocationInfo { Role = resource.AllocationRole };
        }

        return proto;
    }

    /// <summary>Ranges as a protobuf message.</summary>
    public static ProtoValue.Types.Ranges ToProto(this ValueRanges ranges)
    {
        var proto = new ProtoValue.Types.Ranges();
        foreach (var r in ranges.Ranges)
        {
            proto.Range.Add(new ProtoValue.Types.Range { Begin = r.Begin, End = r.End });
        }

        return proto;
    }

    /// <summary>Ranges from a protobuf message; null error on success.</summary>
    public static string? TryFromProto(ProtoValue.Types.Ranges? proto, out ValueRanges ranges)
    {
        ranges = ValueRanges.Empty;
        if (proto is null)
        {
            return null;
        }

        var list = new List<ValueRange>(proto.Range.Count);
        foreach (var r in proto.Range)
        {
            if (r.Begin > r.End)
            {
                return $"range {r.Begin}-{r.End} has begin greater than end";
            }

            list.Add(new ValueRange(r.Begin, r.End));
        }

        ranges = ValueRanges.Create(list);
        return null;
    }

    /// <summary>
    /// Reads protobuf resources (either reservation format). Returns false with a message naming the bad resource
    /// for negative/non-finite scalars, a type without its value, invalid roles, or unsupported features.
    /// </summary>
    public static bool TryFromProto(IEnumerable<ProtoResource> protos, out Resources resources, out string error)
    {
        resources = Resources.Empty;
        error = "";
        var list = new List<Resource>();
        foreach (var proto in protos)
        {
            var message = TryFromProto(proto, out var resource);
            if (message is not null)
            {
                error = $"Invalid resource '{proto.Name}': {message}";
                return false;
            }

            list.Add(resource!);
        }

        resources = Resources.Create(list);
        return true;
    }

    /// <summary>Like <see cref="TryFromProto(IEnumerable{ProtoResource}, out Resources, out string)"/> but throws.</summary>
    /// <exception cref="FormatException">A resource is invalid.</exception>
    public static Resources FromProto(IEnumerable<ProtoResource> protos) =>
        TryFromProto(protos, out var resources, out var error) ? resources : throw new FormatException(error);

    private static string? TryFromProto(ProtoResource proto, out Resource? resource)
    {
        resource = null;
        if (string.IsNullOrEmpty(proto.Name))
        {
            return "missing name";
        }

        if (proto.Disk?.Persistence is not null || proto.Disk?.Source is not null || proto.Shared is not null || proto.Revocable is not null || proto.ProviderId is not null)
        {
            return "persistent volumes, disk sources, shared, revocable and resource-provider resources are not supported";
        }

        var role = Roles.Any;
        if (proto.Reservations.Count > 0)
        {
            role = proto.Reservations[^1].Role;
        }
        else if (proto.HasRole)
        {
            role = proto.Role;
        }

        if (Roles.Validate(role) is { } badRole)
        {
            return badRole;
        }

        string? allocationRole = proto.AllocationInfo is { HasRole: true } info ? info.Role : null;
        if (allocationRole is not null && Roles.Validate(allocationRole) is { } badAllocation)
        {
            return badAllocation;
        }

        switch (proto.Type)
        {
            case ProtoValue.Types.Type.Scalar:
                if (proto.Scalar is null)
                {
                    return "SCALAR resource without 'scalar'";
                }

                if (!double.IsFinite(proto.Scalar.Value) || proto.Scalar.Value < 0)
                {
                    return $"scalar value {proto.Scalar.Value} must be finite and not negative";
                }

                resource = Resource.CreateScalar(proto.Name, proto.Scalar.Value, role, allocationRole);
                return null;
            case ProtoValue.Types.Type.Ranges:
                if (TryFromProto(proto.Ranges, out var ranges) is { } badRange)
                {
                    return badRange;
                }

                resource = Resource.CreateRanges(proto.Name, ranges, role, allocationRole);
                return null;
            case ProtoValue.Types.Type.Set:
                resource = Resource.CreateSet(proto.Name, proto.Set?.Item ?? [], role, allocationRole);
                return null;
            default:
                return $"type {proto.Type} is not allowed for resources";
        }
    }
}
