using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace PracticeApi.Infrastructure.Http;

/// <summary>Where an idempotency key stands: its change is running (under a lease), or done with its answer
/// stored.</summary>
internal enum IdempotencyState { Running, Done }

/// <summary>
/// Idempotency-Key on POST and PUT (IETF httpapi idempotency-key draft): the first request runs and its response is
/// stored; a repeat with the same body gets the stored status and body; a repeat while the first still runs is 409; the
/// same key with another body is 422. Keys belong to one practice and one token, and are kept 24 hours. A 5xx is not
/// stored, so the client can retry. Deleting a resource erases stored responses that created it. Exactly once: the
/// request runs in a <see cref="RequestUnitOfWork"/>, and its stored (encrypted) answer is written in that same
/// transaction, fenced by the key's lease. A crash before the commit leaves nothing but a running key, whose retry
/// after the lease runs a change that never committed; after the commit, a retry replays the answer.
/// </summary>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, Db db, TimeProvider clock,
    Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection, ReplayAuthorization replays, IConfiguration configuration)
{
    public const string Header = "Idempotency-Key";
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a running request holds its key (<c>Idempotency:LeaseSeconds</c>, 60 by default): after a crash, a
    /// retry after this runs the request again; a run still going then commits nothing.
    /// </summary>
    private readonly TimeSpan _runningLease = TimeSpan.FromSeconds(configuration.GetValue(
        "Idempotency:LeaseSeconds", 60));

    // Stored responses can hold a new token, a webhook secret or clinical text: at rest they are encrypted.
    private readonly Microsoft.AspNetCore.DataProtection.IDataProtector _protector = protection.CreateProtector(
        "PracticeApi.IdempotentResponses.v1");

    private const string InsertSql = """
        INSERT INTO IdempotencyKeys (PracticeId, TokenId, IdempotencyKey, RequestHash, State, CreatedAt,
            ExpiresAt, LeaseUntil)
        VALUES (@PracticeId, @TokenId, @Key, @Hash, 'running', @Now, @Expires, @LeaseUntil)
        """;

    private const string FindSql = """
        SELECT RequestHash, State, ResponseStatus, ResponseBody, ResponseContentType, ResponseLocation, ExpiresAt,
            LeaseUntil FROM IdempotencyKeys
        WHERE PracticeId = @PracticeId AND TokenId = @TokenId AND IdempotencyKey = @Key
        """;

    // A running key whose lease ran out belongs to a request that died with its instance: the retry takes it over.
    private const string TakeOverSql = """
        UPDATE IdempotencyKeys SET RequestHash = @Hash, LeaseUntil = @LeaseUntil, CreatedAt = @Now, ExpiresAt = @Expires
        WHERE PracticeId = @PracticeId AND TokenId = @TokenId AND IdempotencyKey = @Key AND State = 'running'
            AND LeaseUntil < @Now
        """;

    private const string DeleteSql = "DELETE FROM IdempotencyKeys WHERE PracticeId = @PracticeId AND TokenId = @TokenId AND IdempotencyKey = @Key";

    // In the request's own transaction, fenced by the lease this run holds.
    private const string CompleteSql = """
        UPDATE IdempotencyKeys SET State = 'done', ResponseStatus = @Status, ResponseBody = @Body,
            ResponseContentType = @ContentType, ResponseLocation = @Location
        WHERE PracticeId = @PracticeId AND TokenId = @TokenId AND IdempotencyKey = @Key AND State = 'running'
            AND LeaseUntil = @LeaseUntil
        """;

    private const string EraseForResourceSql = "DELETE FROM IdempotencyKeys WHERE PracticeId = @PracticeId AND ResponseLocation = @Location";

    // The oldest expired keys, about a batch at a time (see RetentionRule).
    public const string PurgeSql = $"""
        DELETE FROM IdempotencyKeys WHERE ExpiresAt < @Now AND ExpiresAt <= (
            SELECT MAX(b.ExpiresAt) FROM (SELECT ExpiresAt FROM IdempotencyKeys WHERE ExpiresAt < @Now ORDER BY ExpiresAt {SqlDialect.Limit}) b)
        """;

    private sealed record StoredResponse
    {
        public string RequestHash { get; init; } = "";
        public string State { get; init; } = "";
        public int? ResponseStatus { get; init; }
        public string? ResponseBody { get; init; }
        public string? ResponseContentType { get; init; }
        public string? ResponseLocation { get; init; }
        public DateTime ExpiresAt { get; init; }
        public DateTime? LeaseUntil { get; init; }
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var authenticated = context.User.Identity?.IsAuthenticated == true;
        if (authenticated && HttpMethods.IsDelete(context.Request.Method))
        {
            await next(context);
            if (context.Response.StatusCode is >= 200 and < 300) await EraseForResourceAsync(context);
            return;
        }

        var method = context.Request.Method;
        if (!authenticated || !(HttpMethods.IsPost(method) || HttpMethods.IsPut(method))
            || !context.Request.Headers.TryGetValue(Header, out var values))
        {
            await next(context);
            return;
        }

        var key = values.ToString().Trim();
        if (key.Length is 0 or > 200)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "validation", "Invalid Idempotency-Key",
                "Idempotency-Key must be 1 to 200 characters, such as a UUID.");
            return;
        }

        var caller = Caller.From(context);
        var ids = new { caller.PracticeId, caller.TokenId, Key = key };
        var hash = await HashRequestAsync(context.Request);
        var now = clock.GetUtcNow().UtcDateTime;
        var lease = now + _runningLease;

        await using (var connection = await db.OpenAsync(context.RequestAborted))
        {
            if (!await TryReserveAsync(connection, ids, hash, now, lease, context.RequestAborted))
            {
                var stored = await connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition(FindSql,
                    ids, cancellationToken: context.RequestAborted));
                await AnswerRepeatAsync(context, stored);
                return;
            }
        }

        // The request runs in one transaction with the record of its answer: both commit, or neither (see
        // RequestUnitOfWork).
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        await using var unit = RequestUnitOfWork.Begin(db);
        try
        {
            await next(context);
        }
        catch
        {
            context.Response.Body = original;
            await unit.RollbackAsync();
            await ReleaseAsync(ids);
            throw;
        }

        context.Response.Body = original;
        if (context.Response.StatusCode >= 500)
        {
            await unit.RollbackAsync();
            await ReleaseAsync(ids);
            await SendAsync(buffer, original, context.RequestAborted);
            return;
        }

        if (Seal(context, buffer) is not { } sealedBody)
        {
            await unit.RollbackAsync();
            await ReleaseAsync(ids);
            buffer.SetLength(0);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = ApiExceptionHandler.StorageRetryAfterSeconds.ToString(
                System.Globalization.CultureInfo.InvariantCulture);
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "key-ring-unavailable",
                "Service unavailable",
                "The request was not carried out: its answer cannot be stored safely right now. Retry later.");
            return;
        }

        var leaseLost = false;
        try
        {
            await unit.CommitAsync(async c =>
            {
                // The lease is the fence: a retry that took the key over after it ran out owns it now, and this run
                // must not commit.
                leaseLost = await c.ExecuteAsync(CompleteSql, new
                {
                    ids.PracticeId, ids.TokenId, ids.Key, LeaseUntil = lease, Status = context.Response.StatusCode, Body = sealedBody,
                    context.Response.ContentType, Location = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                }) == 0;
                if (leaseLost) throw new LeaseLostException();
            }, CancellationToken.None);
        }
        catch (LeaseLostException)
        {
        }
        catch
        {
            await ReleaseAsync(ids);
            throw;
        }

        if (leaseLost)
        {
            context.Response.Clear();
            context.Response.Headers.RetryAfter = "1";
            await Problems.WriteAsync(context, StatusCodes.Status409Conflict, "idempotency-key-in-use",
                "Request still in progress",
                "This request ran past its lease and a retry with the same Idempotency-Key took it over; nothing of this run was kept.");
            return;
        }

        await SendAsync(buffer, original, context.RequestAborted);
    }

    private sealed class LeaseLostException : Exception;

    private static async Task SendAsync(MemoryStream buffer, Stream original, CancellationToken ct)
    {
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

    /// <summary>
    /// The answer to store, encrypted ("{ETag}\n{body}"), or null when the key ring cannot encrypt (missing, empty or
    /// unreadable key files): then nothing may commit, since the answer could not be replayed.
    /// </summary>
    private string? Seal(HttpContext context, MemoryStream buffer)
    {
        try
        {
            return Convert.ToBase64String(_protector.Protect([.. Encoding.UTF8.GetBytes(
                context.Response.Headers.ETag.ToString() + "\n"), .. buffer.ToArray()]));
        }
        catch (Exception e) when (KeyRing.IsUnavailable(e))
        {
            return null;
        }
    }

    private static async Task<bool> TryReserveAsync(DbConnection connection, object ids, string hash, DateTime now,
        DateTime lease, CancellationToken ct)
    {
        var args = new DynamicParameters(ids);
        args.AddDynamicParams(new { Hash = hash, Now = now, Expires = now + Retention, LeaseUntil = lease });
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertSql, args, cancellationToken: ct));
                return true;
            }
            catch (DbException e) when (DbErrors.IsUniqueViolation(e))
            {
                // An expired key may be used again.
                var stored = await connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition(FindSql,
                    ids, cancellationToken: ct));
                if (stored is { LeaseUntil: { } expiredAt } && stored.State == IdempotencyState.Running.Wire()
                    && expiredAt < now)
                {
                    return await connection.ExecuteAsync(new CommandDefinition(TakeOverSql, args,
                        cancellationToken: ct)) == 1;
                }

                if (stored is null || stored.ExpiresAt > now) return false;
                await connection.ExecuteAsync(new CommandDefinition(DeleteSql, ids, cancellationToken: ct));
            }
        }

        return false;
    }

    private async Task ReleaseAsync(object ids)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(DeleteSql, ids));
    }

    private async Task EraseForResourceAsync(HttpContext context)
    {
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(EraseForResourceSql,
            new { Caller.From(context).PracticeId, Location = context.Request.Path.Value }));
    }

    /// <summary>The same request is the same method, path, query and body.</summary>
    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        request.Body.Position = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk,
            request.HttpContext.RequestAborted)) > 0) sha.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
