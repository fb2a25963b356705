using Cairn.Common;
using FsCheck;
using FsCheck.Fluent;

namespace Cairn.Common.Tests;

/// <summary>Random resource bags over a small universe of names and roles, so that identities collide often.</summary>
internal static class ResourceGenerators
{
    private static readonly string[] RoleChoices = [Roles.Any, "a", "a/b"];
    private static readonly string?[] AllocationChoices = [null, null, "x"];

    public static Gen<Resource> Entry(bool scalarsOnly) =>
        from kind in Gen.Choose(0, scalarsOnly ? 0 : 2)
        from role in Gen.Elements(RoleChoices)
        from allocation in Gen.Elements(AllocationChoices)
        from scalarName in Gen.Elements("cpus", "mem", "disk", "gpus", "custom")
        from millis in Gen.Choose(1, 100_000)
        from ranges in RangesGen()
        from set in Gen.Elements("a", "b", "c", "d").ArrayOf()
        select kind switch
        {
            0 => Resource.FromMillis(scalarName, scalarName == "gpus" ? millis / 1000 * 1000 + 1000 : millis, role, allocation),
            1 => Resource.CreateRanges("ports", ranges, role, allocation),
            _ => Resource.CreateSet("bugs", set.Length == 0 ? ["a"] : set, role, allocation),
        };

    public static Gen<ValueRanges> RangesGen() =>
        (from begin in Gen.Choose(0, 200)
         from length in Gen.Choose(0, 20)
         select new ValueRange((ulong)begin, (ulong)(begin + length))).ArrayOf().Select(a => ValueRanges.Create(a.Length == 0 ? [new ValueRange(7, 9)] : a));

    public static Arbitrary<Resources> Bags(bool scalarsOnly = false) =>
        Entry(scalarsOnly).ArrayOf().Select(items => Resources.Create(items)).ToArbitrary();
}
