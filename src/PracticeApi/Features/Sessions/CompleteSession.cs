using System.Text.Json;

namespace PracticeApi.Features.Sessions;

/// <summary>Completes a session once it has started: attendance for every participant, and the note if there is
/// one.</summary>
internal sealed class CompleteSession(SessionChanges changes, TimeProvider clock)
{
    private const string CompleteSql = """
        UPDATE Sessions SET Status = 'completed', CompletedAt = @Now, NoteFormat = @NoteFormat,
            NoteSections = @NoteSections, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string AttendanceSql = """
        UPDATE SessionClients SET Attended = @Attended
        WHERE PracticeId = @PracticeId AND SessionId = @SessionId AND ClientId = @ClientId
        """;

    public Task<Outcome<SessionResponse>> CompleteAsync(Caller caller, Guid id, CompleteSessionRequest request,
        CancellationToken ct) =>
        changes.OfScheduledAsync(caller, id, null, async (c, session, participants) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (now < session.StartsAt) return SessionChanges.TooEarly("completed");
            var stranger = request.Attendance.FirstOrDefault(a => !participants.Contains(a.ClientId));
            if (stranger is not null)
            {
                return Failure.Invalid("attendance",
                    $"client {stranger.ClientId} is not a participant of this session.");
            }

            if (participants.Except(request.Attendance.Select(a => a.ClientId)).Any())
            {
                return Failure.Invalid("attendance",
                    "attendance must say, for every participant, whether they attended.");
            }

            await c.ExecuteAsync(CompleteSql, new
            {
                Id = id, caller.PracticeId, Expected = session.Version, Now = now,
                NoteFormat = request.Note?.Format.Wire(),
                NoteSections = request.Note is null ? null : JsonSerializer.Serialize(request.Note.Sections),
            });
            await c.ExecuteAsync(AttendanceSql,
                request.Attendance.Select(a => new { caller.PracticeId, SessionId = id, a.ClientId,
                    a.Attended }).ToList());
            return SessionStatus.Completed;
        }, ct);
}
