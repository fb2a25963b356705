using Cairn.Common;
using FsCheck;
using FsCheck.Fluent;

namespace Cairn.Common.Tests;

public class ResourcesPropertyTests
{
    [Fact]
    public void Adding_then_subtracting_scalars_gives_back_the_original() =>
        Prop.ForAll(ResourceGenerators.Bags(scalarsOnly: true), ResourceGenerators.Bags(scalarsOnly: true),
            (a, b) => (a + b - b).Equals(a)).QuickCheckThrowOnFailure();

    [Fact]
    public void A_sum_contains_both_operands() =>
        Prop.ForAll(ResourceGenerators.Bags(), ResourceGenerators.Bags(),
            (a, b) => (a + b).Contains(a) && (a + b).Contains(b)).QuickCheckThrowOnFailure();

    [Fact]
    public void A_difference_is_contained_in_the_minuend_and_adding_back_covers_it() =>
        Prop.ForAll(ResourceGenerators.Bags(), ResourceGenerators.Bags(),
            (a, b) => a.Contains(a - b) && (a - b + b).Contains(a)).QuickCheckThrowOnFailure();

    [Fact]
    public void Addition_is_commutative_and_associative() =>
        Prop.ForAll(ResourceGenerators.Bags(), ResourceGenerators.Bags(), ResourceGenerators.Bags(),
            (a, b, c) => (a + b).Equals(b + a) && (a + b + c).Equals(a + (b + c))).QuickCheckThrowOnFailure();

    [Fact]
    public void Contains_is_reflexive_and_subtracting_itself_is_empty() =>
        Prop.ForAll(ResourceGenerators.Bags(), a => a.Contains(a) && (a - a).IsEmpty && a.Contains(Resources.Empty)).QuickCheckThrowOnFailure();

    [Fact]
    public void Text_form_parses_back_to_an_equal_value() =>
        Prop.ForAll(ResourceGenerators.Bags(), a => Resources.Parse(a.ToString()).Equals(a)).QuickCheckThrowOnFailure();

    [Fact]
    public void Ranges_are_sorted_coalesced_and_hold_exactly_the_union_of_their_inputs() =>
        Prop.ForAll(
            (from begin in Gen.Choose(0, 100) from length in Gen.Choose(0, 10) select new ValueRange((ulong)begin, (ulong)(begin + length))).ArrayOf().ToArbitrary(),
            inputs =>
            {
                var ranges = ValueRanges.Create(inputs);
                var spans = ranges.Ranges;
                for (var i = 1; i < spans.Length; i++)
                {
                    // Sorted and separated by at least one missing value (adjacent ranges must have merged).
                    if (spans[i].Begin <= spans[i - 1].End + 1)
                    {
                        return false;
                    }
                }

                for (ulong v = 0; v <= 115; v++)
                {
                    var expected = false;
                    foreach (var r in inputs)
                    {
                        expected |= v >= r.Begin && v <= r.End;
                    }

                    if (ranges.Contains(v) != expected)
                    {
                        return false;
                    }
                }

                return true;
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void Range_subtraction_removes_exactly_the_other_values() =>
        Prop.ForAll(ResourceGenerators.RangesGen().ToArbitrary(), ResourceGenerators.RangesGen().ToArbitrary(), (a, b) =>
        {
            var diff = a.Subtract(b);
            for (ulong v = 0; v <= 225; v++)
            {
                if (diff.Contains(v) != (a.Contains(v) && !b.Contains(v)))
                {
                    return false;
                }
            }

            return a.Contains(diff) && a.Union(b).Contains(a);
        }).QuickCheckThrowOnFailure();
}
