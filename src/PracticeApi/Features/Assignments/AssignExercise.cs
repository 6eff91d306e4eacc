using PracticeApi.Features.Exercises;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Assignments;

/// <summary>
/// Assigning an exercise, inside the caller's transaction: the assignment route commits it alone, a program with the
/// item it releases. It holds no database of its own, so any feature may run it in its own write.
/// </summary>
internal sealed partial class AssignExercise(AuditLog audit, PracticeCalendar calendar, Outbox outbox)
{
    private const string InsertSql = """
        INSERT INTO Assignments (Id, PracticeId, TemplateId, TemplateVersion, ClientId, CoupleId, Respondents, Cadence,
            StartsOn, EndsOn, Occurrences,
                                 DueTime, LastDueAt, Note, Visibility, Status, SafetyOverrideReason, CreatedBy,
                                     Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @TemplateId, @TemplateVersion, @ClientId, @CoupleId, @Respondents, @Cadence,
            @StartsOn, @EndsOn, @Occurrences,
                @DueTime, @LastDueAt, @Note, @Visibility, 'active', @SafetyOverrideReason, @CreatedBy, 1, @Now, @Now)
        """;

    private const string InsertRespondentSql = "INSERT INTO AssignmentRespondents (PracticeId, AssignmentId, ClientId) VALUES (@PracticeId, @AssignmentId, @ClientId)";

    /// <summary>Creates an assignment inside the caller's transaction (a program records the item with it); does not
    /// commit.</summary>
    public async Task<Outcome<AssignmentResponse>> CreateAsync(DbWrite c, Caller caller,
        CreateAssignmentRequest request, CancellationToken ct)
    {
        var id = EntityIds.New();
        var template = await TemplateReads.FindAsync(c, caller.PracticeId, request.TemplateId, null, ct);
        if (template is null) return Failure.NotFound("exercise template");

        IReadOnlyList<Guid> respondents;
        string? coupleRespondents = null;
        var visibility = Visibility.Private;
        var overridden = false;
        if (request.ClientId is { } clientId)
        {
            if (await CareRules.CheckInCareAsync(c, caller, [clientId]) is { } notInCare) return notInCare;
            if (request.Respondents is not null && request.Respondents != clientId.ToString())
            {
                return Failure.Invalid("respondents", "an assignment to one client is answered by that client.");
            }

            respondents = [clientId];
        }
        else
        {
            var open = await CareRules.OpenCoupleAsync(c, caller, request.CoupleId!.Value);
            if (!open.Succeeded) return open.Failure!;
            var couple = open.Value!;
            coupleRespondents = request.Respondents ?? DefaultRespondents(template.Audience, couple);
            // A record held together is both partners': always shared between them.
            visibility = coupleRespondents == CreateAssignmentValidator.Together
                ? Visibility.Shared : request.Visibility ?? DefaultVisibility(template.Key);
            // Conjoint work waits during a hold; so does showing one partner's answers to the other while there is
            // danger (judged on the visibility the assignment will have, whether asked for or implied).
            var sharing = visibility is Visibility.Shared or Visibility.MutualReveal;
            if (couple.SafetyHold && string.IsNullOrWhiteSpace(request.SafetyOverrideReason) &&
                (template.Conjoint || (sharing && await SafetyHold.AbuseOrDangerAsync(c, caller.PracticeId,
                    couple.Id, ct))))
            {
                return SafetyHold.Refused(template.Conjoint
                    ? "conjoint exercises (individual ones stay allowed)"
                    : "sharing one partner's answers with the other (private or therapist_release visibility stays allowed)");
            }

            overridden = couple.SafetyHold && !string.IsNullOrWhiteSpace(request.SafetyOverrideReason);
            var resolved = ResolveRespondents(couple, coupleRespondents);
            if (!resolved.Succeeded) return resolved.Failure!;
            respondents = resolved.Value!;
        }

        var cadence = request.Cadence.Wire() ?? template.Cadence;
        var startsOn = request.StartsOn ?? calendar.Today;
        var count = request.EndsOn is null && request.Occurrences is null ? DefaultCount(cadence) : request.Occurrences;
        var dates = Schedule.Dates(cadence, startsOn, request.EndsOn, count);
        var dueTime = request.DueTime ?? "21:00";
        var row = new
        {
            Id = id, caller.PracticeId, request.TemplateId, TemplateVersion = template.CurrentVersion, request.ClientId, request.CoupleId,
            Respondents = request.Respondents ?? coupleRespondents ?? request.ClientId.ToString()!,
            Cadence = cadence, StartsOn = startsOn, EndsOn = cadence == Cadence.Once.Wire()
                ? null : request.EndsOn, Occurrences = cadence == Cadence.Once.Wire() ? null : count,
            DueTime = dueTime, LastDueAt = calendar.ToUtc(dates[^1], TimeOnly.ParseExact(dueTime, "HH:mm")),
            Note = request.Note?.Trim(), Visibility = visibility.Wire(),
            SafetyOverrideReason = request.SafetyOverrideReason?.Trim(), CreatedBy = caller.ActorId, Now = calendar.Now,
        };
        await c.ExecuteAsync(InsertSql, row);
        await c.ExecuteAsync(InsertRespondentSql, respondents.Select(r => new { caller.PracticeId, AssignmentId = id,
            ClientId = r }).ToList());
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "assignment", id, respondents));
        await outbox.PublishAsync(c, caller.PracticeId, EventType.AssignmentCreated, "assignmentId", id,
            respondents, ct, ("coupleId", request.CoupleId), ("templateId", request.TemplateId));
        if (overridden)
        {
            await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Override, "assignment", id, respondents,
                Detail: "safety hold"));
        }

        var created = await AssignmentReads.FindAsync(c, caller, id, ct);
        return created!.ToResponse(respondents, calendar.Now, caller);
    }
}
