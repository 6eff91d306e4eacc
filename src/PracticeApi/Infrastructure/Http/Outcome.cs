using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Infrastructure.Http;

/// <summary>Why a store could not do what was asked; the endpoint turns it into a problem.</summary>
public sealed record Failure(int Status, string Name, string Title, string Detail, IDictionary<string,
    object?>? Extensions = null)
{
    public static Failure NotFound(string resource) =>
        new(StatusCodes.Status404NotFound, "not-found", "Not found",
            $"No {resource} with this id exists in your practice and caseload.");

    public static Failure Stale { get; } = new(StatusCodes.Status412PreconditionFailed, "stale-version",
        "Precondition failed",
        "The resource was changed since you read it: fetch it again and retry with the new ETag.");

    public static Failure Conflict(string name, string title, string detail, IDictionary<string,
        object?>? extensions = null) =>
        new(StatusCodes.Status409Conflict, name, title, detail, extensions);

    public static Failure Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "forbidden",
        "Forbidden", detail);

    public static Failure Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "validation", "One or more fields are invalid.", message,
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    public ProblemHttpResult ToProblem() => Problems.Result(Status, Name, Title, Detail, Extensions);
}

/// <summary>A store's answer: the value, or the failure that explains its absence.</summary>
public readonly record struct Outcome<T>(T? Value, Failure? Failure)
{
    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}

public static class OutcomeResults
{
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Failure!.ToProblem();

    public static Results<Created<T>, ProblemHttpResult> ToCreated<T>(this Outcome<T> outcome, Func<T,
        string> location) =>
        outcome.Succeeded ? TypedResults.Created(location(outcome.Value!),
            outcome.Value!) : outcome.Failure!.ToProblem();

    /// <summary>201 with Location, and the version as ETag.</summary>
    public static Results<Created<T>, ProblemHttpResult> ToCreated<T>(this Outcome<T> outcome, HttpContext http,
        Func<T, string> location, Func<T, int> version)
    {
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        ETags.Set(http, version(outcome.Value!));
        return TypedResults.Created(location(outcome.Value!), outcome.Value!);
    }

    /// <summary>An upsert: 201 with Location when it created, 200 when it updated; the version as ETag either
    /// way.</summary>
    public static Results<Created<T>, Ok<T>, ProblemHttpResult> ToUpserted<T>(this Outcome<(T Value,
        bool Created)> outcome, HttpContext http, Func<T, string> location, Func<T, int> version)
    {
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        var (value, created) = outcome.Value;
        ETags.Set(http, version(value));
        return created ? TypedResults.Created(location(value), value) : TypedResults.Ok(value);
    }

    /// <summary>204 for an action without a body.</summary>
    public static Results<NoContent, ProblemHttpResult> ToNoContent(this Failure? failure) =>
        failure is null ? TypedResults.NoContent() : failure.ToProblem();

    /// <summary>200 with the version as ETag.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome, HttpContext http, Func<T,
        int> version)
    {
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        ETags.Set(http, version(outcome.Value!));
        return TypedResults.Ok(outcome.Value!);
    }
}

/// <summary>An operation that runs in one write unit of work and answers an outcome.</summary>
public static class OutcomeWrites
{
    /// <summary>Runs <paramref name="change"/> in a new write unit of work: committed when it succeeds, rolled back when it
    /// fails (a failure leaves nothing half-written).</summary>
    public static async Task<Outcome<T>> WriteAsync<T>(this Db db, Func<DbWrite, Task<Outcome<T>>> change,
        CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var outcome = await change(c);
        if (outcome.Succeeded) await c.CommitAsync();
        return outcome;
    }
}
