using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Sessions;

/// <summary>A completed session's note: signing it, adding to it, and the notes still waiting for a signature.</summary>
internal sealed partial class SessionStore
{
    /// <summary>
    /// The treating therapist signs the note of a completed session; a signed note never changes (corrections are addenda).
    /// Nobody else signs it, admins included, and nobody unsigns it.
    /// </summary>
    public Task<Outcome<SessionResponse>> SignNoteAsync(Caller caller, Guid id, int? expected, CancellationToken ct) =>
        ChangeNoteAsync(caller, id, expected, async (c, session) =>
        {
            if (session.TherapistId != caller.TherapistId)
            {
                return new Failure(StatusCodes.Status403Forbidden, "not-treating-therapist", "Only the treating therapist signs",
                    "A session's note is signed by the therapist who held the session; others can add an addendum.");
            }

            if (session.NoteSignedAt is not null)
            {
                return Failure.Conflict("note-signed", "Note already signed", "A signed note never changes; add an addendum to correct or complete it.");
            }

            await c.ExecuteAsync(SignNoteSql, new { Id = id, caller.PracticeId, caller.TherapistId, Expected = session.Version, Now });
            return new AuditEntry(AuditActions.Update, "session", id, Detail: "note signed");
        }, ct);

    /// <summary>An addendum to a completed session's note (signed or not), by a therapist or admin who can see the session.</summary>
    public async Task<Outcome<NoteAddendum>> AddAddendumAsync(Caller caller, Guid id, AddendumRequest request, CancellationToken ct)
    {
        var addendum = new NoteAddendum(Guid.CreateVersion7(), caller.TherapistId!.Value, request.Text.Trim(), Now);
        var outcome = await ChangeNoteAsync(caller, id, null, async (c, session) =>
        {
            await c.ExecuteAsync(InsertAddendumSql, new
            {
                addendum.Id, caller.PracticeId, SessionId = id, AuthorId = addendum.AuthorId, addendum.Text, Now = addendum.CreatedAt,
            });
            await c.ExecuteAsync(BumpSql, new { Id = id, caller.PracticeId, Expected = session.Version, Now });
            return new AuditEntry(AuditActions.Create, "session_note_addendum", addendum.Id, Detail: $"session {id}");
        }, ct);
        return outcome.Succeeded ? addendum : (Outcome<NoteAddendum>)outcome.Failure!;
    }

    /// <summary>Completed sessions of a therapist whose note has waited longer than Notes:SignWithinDays for a signature.</summary>
    public async Task<Page<UnsignedNote>> UnsignedAsync(Caller caller, UnsignedNoteQuery query, Guid therapistId, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<UnsignedRow>(UnsignedSql, new
        {
            caller.PracticeId, Caseload = caller.Caseload, TherapistId = therapistId,
            AfterAt = afterAt ?? Earliest, AfterId = afterId ?? Guid.Empty, Cutoff = deadline.Cutoff, Limit = limit + 1,
        });
        var kept = rows.Take(limit).ToList();
        return new Page<UnsignedNote>(
            kept.Select(r => new UnsignedNote(r.SessionId, r.TherapistId, r.StartsAt, r.CompletedAt, (int)(Now - r.CompletedAt).TotalDays)).ToList(),
            rows.Count > limit ? Cursor.EncodeTimeAndId(kept[^1].StartsAt, kept[^1].SessionId) : null);
    }

    /// <summary>One change of a completed session's note in a transaction with its audit event and a session.updated event.</summary>
    private async Task<Outcome<SessionResponse>> ChangeNoteAsync(Caller caller, Guid id, int? expected,
        Func<DbWrite, SessionRow, Task<Outcome<AuditEntry>>> change, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var found = await FindForChangeAsync(c, caller, id, expected, ct);
        if (!found.Succeeded) return found.Failure!;
        var session = found.Value!;
        if (session.Status != "completed" || session.NoteFormat is null)
        {
            return Failure.Conflict("no-note", "Session has no note", "Only a completed session with a note can have its note signed or an addendum added.",
                new Dictionary<string, object?> { ["sessionStatus"] = session.Status });
        }

        var entry = await change(c, session);
        if (!entry.Succeeded) return entry.Failure!;
        var participants = await ParticipantsAsync(c, caller.PracticeId, id, ct);
        await audit.WriteAsync(c, caller, entry.Value! with { ClientIds = participants.ToList() });
        await outbox.PublishAsync(c, caller.PracticeId, EventTypes.SessionUpdated, "sessionId", id, participants, ct, ("status", session.Status));
        var updated = await LoadAsync(c, caller, id, ct);
        await c.CommitAsync();
        return updated!;
    }
}
