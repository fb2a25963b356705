using System.Text;

namespace Cairn.Common;

/// <summary>
/// One resource entry: a name, a kind, a reservation role (<c>*</c> when unreserved), an optional allocation
/// role (set on offered/used resources, Mesos' <c>allocation_info.role</c>) and a non-empty value.
/// Entries with the same identity (name, kind, role, allocation role) merge in <see cref="Resources"/> arithmetic.
/// </summary>
public sealed class Resource : IEquatable<Resource>
{
    private Resource(string name, ResourceKind kind, string role, string? allocationRole, long scalarMillis, ValueRanges ranges, string[] set)
    {
        Name = name;
        Kind = kind;
        Role = role;
        AllocationRole = allocationRole;
        ScalarMillis = scalarMillis;
        Ranges = ranges;
        SetItems = set;
    }

    /// <summary>Resource name, e.g. <c>cpus</c>.</summary>
    public string Name { get; }

    /// <summary>Value kind.</summary>
    public ResourceKind Kind { get; }

    /// <summary>Reservation role; <see cref="Roles.Any"/> (<c>*</c>) when unreserved.</summary>
    public string Role { get; }

    /// <summary>Role the resource is allocated (offered or used) to, or null when unallocated.</summary>
    public string? AllocationRole { get; }

    /// <summary>Scalar value in thousandths (0 for other kinds).</summary>
    public long ScalarMillis { get; }

    /// <summary>Scalar value (three decimal places).</summary>
    public double Scalar => ScalarValue.FromMillis(ScalarMillis);

    /// <summary>Ranges value (empty for other kinds).</summary>
    public ValueRanges Ranges { get; }

    /// <summary>Set items, sorted ordinally and distinct (empty for other kinds).</summary>
    public IReadOnlyList<string> SetItems { get; }

    /// <summary>True when reserved to a role (not <c>*</c>).</summary>
    public bool IsReserved => !ReferenceEquals(Role, Roles.Any) && Role != Roles.Any;

    /// <summary>True when the value is empty (zero scalar, no ranges, no items).</summary>
    public bool IsEmpty => Kind switch
    {
        ResourceKind.Scalar => ScalarMillis <= 0,
        ResourceKind.Ranges => Ranges.IsEmpty,
        _ => SetItems.Count == 0,
    };

    /// <summary>A scalar resource; <paramref name="value"/> is rounded to three decimal places.</summary>
    public static Resource CreateScalar(string name, double value, string role = Roles.Any, string? allocationRole = null) =>
        FromMillis(name, ScalarValue.ToMillis(value), role, allocationRole);

    /// <summary>A scalar resource from thousandths.</summary>
    public static Resource FromMillis(string name, long millis, string role = Roles.Any, string? allocationRole = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(millis);
        return new Resource(name, ResourceKind.Scalar, role, allocationRole, millis, ValueRanges.Empty, []);
    }

    /// <summary>A ranges resource.</summary>
    public static Resource CreateRanges(string name, ValueRanges ranges, string role = Roles.Any, string? allocationRole = null) =>
        new(name, ResourceKind.Ranges, role, allocationRole, 0, ranges, []);

    /// <summary>A set resource; duplicate items collapse.</summary>
    public static Resource CreateSet(string name, IEnumerable<string> items, string role = Roles.Any, string? allocationRole = null)
    {
        var sorted = new SortedSet<string>(items, StringComparer.Ordinal);
        return new Resource(name, ResourceKind.Set, role, allocationRole, 0, ValueRanges.Empty, [.. sorted]);
    }

    /// <summary>The same value with another reservation and allocation role.</summary>
    public Resource WithRoles(string role, string? allocationRole) =>
        role == Role && allocationRole == AllocationRole ? this : new(Name, Kind, role, allocationRole, ScalarMillis, Ranges, (string[])SetItems);

    internal Resource WithScalar(long millis) => new(Name, Kind, Role, AllocationRole, millis, Ranges, []);

    internal Resource WithRanges(ValueRanges ranges) => new(Name, Kind, Role, AllocationRole, 0, ranges, []);

    internal Resource WithSet(string[] items) => new(Name, Kind, Role, AllocationRole, 0, ValueRanges.Empty, items);

    /// <summary>Orders by identity: name, role, allocation role, kind (ordinal).</summary>
    internal static int CompareIdentity(Resource a, Resource b)
    {
        var c = string.CompareOrdinal(a.Name, b.Name);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Role, b.Role);
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.AllocationRole, b.AllocationRole);
        return c != 0 ? c : a.Kind.CompareTo(b.Kind);
    }

    /// <summary>Mesos text form of the value alone: <c>4</c>, <c>[1-2]</c>, <c>{a, b}</c>.</summary>
    public string FormatValue() => Kind switch
    {
        ResourceKind.Scalar => ScalarValue.Format(ScalarMillis),
        ResourceKind.Ranges => Ranges.ToString(),
        _ => "{" + string.Join(", ", SetItems) + "}",
    };

    /// <summary>Mesos text form: <c>cpus:4</c>, <c>ports(logstash):[514-514]</c>, <c>cpus(*)(allocated: web):1</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Name);
        if (IsReserved || AllocationRole is not null)
        {
            sb.Append('(').Append(Role).Append(')');
        }

        if (AllocationRole is not null)
        {
            sb.Append("(allocated: ").Append(AllocationRole).Append(')');
        }

        return sb.Append(':').Append(FormatValue()).ToString();
    }

    /// <inheritdoc />
    public bool Equals(Resource? other) =>
        other is not null
        && CompareIdentity(this, other) == 0
        && ScalarMillis == other.ScalarMillis
        && Ranges.Equals(other.Ranges)
        && ((string[])SetItems).AsSpan().SequenceEqual((string[])other.SetItems);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Resource);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Role, AllocationRole, Kind, ScalarMillis, Ranges, SetItems.Count);
}
