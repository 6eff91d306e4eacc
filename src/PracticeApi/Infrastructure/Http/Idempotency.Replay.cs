using System.Text;

namespace PracticeApi.Infrastructure.Http;

/// <summary>The answer to a repeat: 409 while the first runs, 422 for another body, the stored answer when the caller
/// may still read it.</summary>
public sealed partial class IdempotencyMiddleware
{
    private async Task AnswerRepeatAsync(HttpContext context, StoredResponse? stored)
    {
        var hash = await HashRequestAsync(context.Request);
        if (stored is null || stored.State == IdempotencyState.Running.Wire())
        {
            context.Response.Headers.RetryAfter = "1";
            await Problems.WriteAsync(context, StatusCodes.Status409Conflict, "idempotency-key-in-use",
                "Request still in progress",
                "A request with this Idempotency-Key is still being processed; retry shortly.");
        }
        else if (stored.RequestHash != hash)
        {
            await Problems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
                "Idempotency-Key reused",
                "This Idempotency-Key was used for a different request; use a new key for a new request.");
        }
        else if (!await replays.MayReadAsync(context, stored.ResponseLocation))
        {
            // The caller may no longer see what the first answer described (removed from the care team, say).
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "not-found", "Not found",
                "The resource this request created or changed is not visible to you.");
        }
        else
        {
            context.Response.StatusCode = stored.ResponseStatus ?? StatusCodes.Status200OK;
            context.Response.Headers["Idempotent-Replayed"] = "true";
            if (stored.ResponseLocation is not null) context.Response.Headers.Location = stored.ResponseLocation;
            if (stored.ResponseContentType is not null) context.Response.ContentType = stored.ResponseContentType;
            if (stored.ResponseBody is not null)
            {
                // "{ETag}\n{body}", encrypted: the first answer's ETag comes back with its body.
                var payload = _protector.Unprotect(Convert.FromBase64String(stored.ResponseBody));
                var newline = Array.IndexOf(payload, (byte)'\n');
                var etag = Encoding.UTF8.GetString(payload, 0, newline);
                if (etag.Length > 0) context.Response.Headers.ETag = etag;
                await context.Response.Body.WriteAsync(payload.AsMemory(newline + 1));
            }
        }
    }
}
