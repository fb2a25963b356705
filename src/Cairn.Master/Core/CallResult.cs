namespace Cairn.Master.Core;

/// <summary>The HTTP answer to a scheduler or agent call: a status code and, for errors, a text body.</summary>
public readonly record struct CallResult(int StatusCode, string? Error = null)
{
    public static CallResult Accepted { get; } = new(202);

    public static CallResult Ok { get; } = new(200);

    public static CallResult BadRequest(string error) => new(400, error);

    public static CallResult Forbidden(string error) => new(403, error);

    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
