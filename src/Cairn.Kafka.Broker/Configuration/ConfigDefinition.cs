using System.Globalization;

namespace Cairn.Kafka.Broker.Configuration;

/// <summary>
/// One Kafka configuration key: its type, default and allowed values. Values are kept as Kafka's
/// strings (what DescribeConfigs returns); <see cref="TryNormalize"/> checks and canonicalises them.
/// </summary>
/// <param name="Name">Kafka's property name.</param>
/// <param name="Type">Value type.</param>
/// <param name="Default">Kafka 3.9's default, as a string; null when Kafka has none.</param>
/// <param name="Minimum">Smallest legal numeric value, if bounded.</param>
/// <param name="AllowedValues">Legal values for enumerations and lists, if restricted.</param>
/// <param name="ReadOnly">True when the value cannot be altered at runtime.</param>
public sealed record ConfigDefinition(
    string Name,
    ConfigType Type,
    string? Default,
    double? Minimum = null,
    IReadOnlyList<string>? AllowedValues = null,
    bool ReadOnly = true)
{
    /// <summary>Checks a value against the type and bounds; returns the canonical text or an error.</summary>
    public bool TryNormalize(string? value, out string? normalized, out string? error)
    {
        normalized = null;
        error = null;
        if (value is null)
        {
            error = $"Null value not supported for {Name}";
            return false;
        }

        var text = value.Trim();
        switch (Type)
        {
            case ConfigType.Boolean:
                if (!bool.TryParse(text, out var b))
                {
                    error = $"Invalid value {value} for configuration {Name}: Expected value to be either true or false";
                    return false;
                }

                normalized = b ? "true" : "false";
                return true;
            case ConfigType.Int or ConfigType.Short or ConfigType.Long:
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                    || (Type == ConfigType.Int && (l < int.MinValue || l > int.MaxValue))
                    || (Type == ConfigType.Short && (l < short.MinValue || l > short.MaxValue)))
                {
                    error = $"Invalid value {value} for configuration {Name}: Not a number of type {Type.ToString().ToUpperInvariant()}";
                    return false;
                }

                if (Minimum is { } min && l < min)
                {
                    error = $"Invalid value {value} for configuration {Name}: Value must be at least {min.ToString(CultureInfo.InvariantCulture)}";
                    return false;
                }

                normalized = l.ToString(CultureInfo.InvariantCulture);
                return true;
            case ConfigType.Double:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || double.IsNaN(d))
                {
                    error = $"Invalid value {value} for configuration {Name}: Not a number of type DOUBLE";
                    return false;
                }

                if (Minimum is { } dmin && d < dmin)
                {
                    error = $"Invalid value {value} for configuration {Name}: Value must be at least {dmin.ToString(CultureInfo.InvariantCulture)}";
                    return false;
                }

                normalized = d.ToString(CultureInfo.InvariantCulture);
                return true;
            case ConfigType.List:
                if (AllowedValues is not null)
                {
                    foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!Contains(AllowedValues, item))
                        {
                            error = $"Invalid value {value} for configuration {Name}: String must be one of: {string.Join(", ", AllowedValues)}";
                            return false;
                        }
                    }
                }

                normalized = string.Join(',', text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                return true;
            default:
                if (AllowedValues is not null && !Contains(AllowedValues, text))
                {
                    error = $"Invalid value {value} for configuration {Name}: String must be one of: {string.Join(", ", AllowedValues)}";
                    return false;
                }

                normalized = text;
                return true;
        }
    }

    private static bool Contains(IReadOnlyList<string> values, string item)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], item, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
