namespace PracticeApi.Infrastructure;

/// <summary>A committed change to a client's or couple's care that other parts of the practice follow up.</summary>
public abstract record CareChange(Guid PracticeId);

/// <summary>A couple's case changed: its details, status or step, or a safety screening (which may lift or set the
/// hold).</summary>
public sealed record CoupleChanged(Guid PracticeId, Guid CoupleId) : CareChange(PracticeId);

/// <summary>A therapist released a partner's answer to the other partner.</summary>
public sealed record AnswerReleased(Guid PracticeId, Guid AssignmentId) : CareChange(PracticeId);

/// <summary>
/// A client answered an exercise (a first answer or a correction): what the exercise was (its template's key, and
/// whether it is the product's own), for whom, and the answers, with who gave them.
/// </summary>
public sealed record ExerciseAnswered(
    Guid PracticeId, Guid AssignmentId, Guid? CoupleId, string TemplateKey, bool BuiltIn, Guid RespondentId, System.Text.Json.JsonElement Answers,
    Security.Caller By) : CareChange(PracticeId);

/// <summary>Follows up care changes (the program runner: a new step, a lifted hold or a release may start program
/// items).</summary>
public interface ICareChangeHandler
{
    /// <summary>
    /// Runs after the change committed (inside a request's unit of work, before the request's own commit, so that the
    /// follow-up commits with it). A failure here is the handler's own: it must not undo or fail the change.
    /// </summary>
    Task HandleAsync(CareChange change, CancellationToken ct);
}

/// <summary>
/// Where an operation raises a care change once its unit of work has committed. Every handler registered as an <see
/// cref="ICareChangeHandler"/> sees every change; an operation that should advance programs gets it by raising one.
/// </summary>
public sealed class CareChanges(IServiceProvider services)
{
    // Resolved on first use: the handlers depend on the stores that raise changes.
    private IReadOnlyList<ICareChangeHandler>? _handlers;

    public async Task RaiseAsync(CareChange change, CancellationToken ct)
    {
        _handlers ??= services.GetServices<ICareChangeHandler>().ToList();
        foreach (var handler in _handlers) await handler.HandleAsync(change, ct);
    }
}
