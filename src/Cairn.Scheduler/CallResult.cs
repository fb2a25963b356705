using System.Net;

namespace Cairn.Scheduler;

/// <summary>
/// The outcome of a call: the master's status code (202 on success) or, when it could not be reached,
/// no status and an error text. Expected failures are values, not exceptions.
/// </summary>
public readonly record struct CallResult(HttpStatusCode? Status, string? Error)
{
    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => Status is { } s && (int)s is >= 200 and < 300;

    /// <summary>A failure without an HTTP answer.</summary>
    public static CallResult Unreachable(string error) => new(null, error);

    public override string ToString() => IsSuccess ? $"{(int)Status!.Value}" : $"{(Status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " : "")}{Error}";
}
