namespace Cairn.Common;

/// <summary>
/// Mesos' fixed-point scalar arithmetic: values are kept as integer thousandths so that
/// <c>0.1 + 0.2 == 0.3</c> and repeated add/subtract never drifts.
/// </summary>
public static class ScalarValue
{
    /// <summary>Thousandths per unit.</summary>
    public const long Scale = 1000;

    /// <summary>Rounds a double to the nearest thousandth (half away from zero, like llround in Mesos).</summary>
    public static long ToMillis(double value) => (long)Math.Round(value * Scale, MidpointRounding.AwayFromZero);

    /// <summary>Converts thousandths back to a double.</summary>
    public static double FromMillis(long millis) => millis / (double)Scale;

    /// <summary>Formats thousandths the way Mesos prints scalars: no trailing zeros, invariant culture.</summary>
    public static string Format(long millis)
    {
        var whole = millis / Scale;
        var frac = Math.Abs(millis % Scale);
        if (frac == 0)
        {
            return whole.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var digits = frac.ToString("000", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0');
        var sign = millis < 0 && whole == 0 ? "-" : "";
        return $"{sign}{whole}.{digits}";
    }
}
