using Microsoft.Net.Http.Headers;

namespace PracticeApi.Infrastructure.Http;

/// <summary>Optimistic concurrency: the resource's integer version travels as a strong ETag.</summary>
public static class ETags
{
    public static void Set(HttpContext context, int version) =>
        context.Response.Headers.ETag = $"\"{version}\"";

    /// <summary>The version the caller expects, or null when If-Match is absent or "*".</summary>
    public static bool TryReadIfMatch(HttpRequest request, out int? expected)
    {
        expected = null;
        string? header = request.Headers.IfMatch;
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*") return true;
        if (!EntityTagHeaderValue.TryParse(header.Trim(), out var tag)) return false;
        var value = tag.Tag.Value?.Trim('"');
        if (!int.TryParse(value, out var version)) return false;
        expected = version;
        return true;
    }
}

/// <summary>Reads If-Match once for an update endpoint; a malformed header is a 400 before the handler runs.</summary>
public sealed record IfMatch(int? ExpectedVersion)
{
    public static ValueTask<IfMatch?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<IfMatch?>(ETags.TryReadIfMatch(context.Request, out var version)
            ? new IfMatch(version)
            : throw new BadHttpRequestException("If-Match must be an ETag this API returned, such as \"3\"."));
}
