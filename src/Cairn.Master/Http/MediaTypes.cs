using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Cairn.Master.Http;

/// <summary>Content negotiation as Mesos does it for the v1 APIs (mesos.md §2.1).</summary>
public static class MediaTypes
{
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";

    /// <summary>The request's Content-Type: <c>json</c>, <c>protobuf</c>, or null (400 when missing, 415 otherwise).</summary>
    public static string? RequestType(HttpRequest request, out IResult? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        error = null;
        var contentType = request.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            error = Results.Text("Expecting 'Content-Type' to be present", statusCode: StatusCodes.Status400BadRequest);
            return null;
        }

        if (MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            if (parsed.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase))
            {
                return Json;
            }

            if (parsed.MediaType.Equals(Protobuf, StringComparison.OrdinalIgnoreCase))
            {
                return Protobuf;
            }
        }

        error = Results.Text($"Expecting 'Content-Type' of {Json} or {Protobuf}", statusCode: StatusCodes.Status415UnsupportedMediaType);
        return null;
    }

    /// <summary>The response type from Accept: JSON preferred, then protobuf; null when neither is acceptable (406).</summary>
    public static string? ResponseType(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return Json;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var values) || values.Count == 0)
        {
            return Json;
        }

        if (Accepts(values, Json))
        {
            return Json;
        }

        return Accepts(values, Protobuf) ? Protobuf : null;
    }

    private static bool Accepts(IList<MediaTypeHeaderValue> values, string mediaType)
    {
        var slash = mediaType.IndexOf('/', StringComparison.Ordinal);
        foreach (var value in values)
        {
            if (value.Quality is 0)
            {
                continue;
            }

            var candidate = value.MediaType.Value ?? string.Empty;
            if (candidate == "*/*"
                || candidate.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
                || (candidate.EndsWith("/*", StringComparison.Ordinal) && mediaType.AsSpan(0, slash).Equals(candidate.AsSpan(0, candidate.Length - 2), StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
