namespace PracticeApi.Features.Sessions;

/// <summary>A completed session's note: signing it, adding to it, and the notes still waiting for a
/// signature.</summary>
internal sealed class SessionNotes(Db db, SessionChanges changes, NoteDeadline deadline, TimeProvider clock)
{
    private const string SignNoteSql = """
        UPDATE Sessions SET NoteSignedAt = @Now, NoteSignedBy = @TherapistId, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected AND NoteSignedAt IS NULL
        """;

    private const string BumpSql = """
        UPDATE Sessions SET Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Version = @Expected
        """;

    private const string InsertAddendumSql = """
        INSERT INTO SessionNoteAddenda (Id, PracticeId, SessionId, AuthorId, Text, CreatedAt)
        VALUES (@Id, @PracticeId, @SessionId, @AuthorId, @Text, @Now)
        """;

    // A therapist's completed sessions whose note waits for a signature, through (PracticeId, TherapistId, StartsAt,
    // Id).
    private static readonly string UnsignedSql = $"""
        SELECT s.Id AS SessionId, s.TherapistId, s.StartsAt, s.CompletedAt FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND s.TherapistId = @TherapistId
          AND (s.StartsAt > @AfterAt OR (s.StartsAt = @AfterAt AND s.Id > @AfterId))
          AND s.Status = 'completed' AND s.NoteFormat IS NOT NULL AND s.NoteSignedAt IS NULL
              AND s.CompletedAt <= @Cutoff
          AND {Caseload.Session("s")}
        ORDER BY s.StartsAt, s.Id {SqlDialect.Limit}
        """;

    private sealed record UnsignedRow
    {
        public Guid SessionId { get; init; }
        public Guid TherapistId { get; init; }
        public DateTime StartsAt { get; init; }
        public DateTime CompletedAt { get; init; }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The treating therapist signs the note of a completed session; a signed note never changes (corrections are
    /// addenda). Nobody else signs it, admins included, and nobody unsigns it.
    /// </summary>
    public Task<Outcome<SessionResponse>> SignAsync(Caller caller, Guid id, int? expected, CancellationToken ct) =>
        changes.OfNoteAsync(caller, id, expected, async (c, session) =>
        {
            if (session.TherapistId != caller.TherapistId)
            {
                return new Failure(StatusCodes.Status403Forbidden, "not-treating-therapist",
                    "Only the treating therapist signs",
                    "A session's note is signed by the therapist who held the session; others can add an addendum.");
            }

            if (session.NoteSignedAt is not null)
            {
                return Failure.Conflict("note-signed", "Note already signed",
                    "A signed note never changes; add an addendum to correct or complete it.");
            }

            await c.ExecuteAsync(SignNoteSql, new { Id = id, caller.PracticeId, caller.TherapistId,
                Expected = session.Version, Now });
            return new AuditEntry(AuditAction.Update, "session", id, Detail: "note signed");
        }, ct);

    /// <summary>An addendum to a completed session's note (signed or not), by a therapist or admin who can see the
    /// session.</summary>
    public async Task<Outcome<NoteAddendum>> AddAddendumAsync(Caller caller, Guid id, AddendumRequest request,
        CancellationToken ct)
    {
        var addendum = new NoteAddendum(Guid.CreateVersion7(), caller.TherapistId!.Value, request.Text.Trim(), Now);
        var outcome = await changes.OfNoteAsync(caller, id, null, async (c, session) =>
        {
            await c.ExecuteAsync(InsertAddendumSql, new
            {
                addendum.Id, caller.PracticeId, SessionId = id, addendum.AuthorId, addendum.Text, Now = addendum.CreatedAt,
            });
            await c.ExecuteAsync(BumpSql, new { Id = id, caller.PracticeId, Expected = session.Version,
                Now = addendum.CreatedAt });
            return new AuditEntry(AuditAction.Create, "session_note_addendum", addendum.Id, Detail: $"session {id}");
        }, ct);
        return outcome.Succeeded ? addendum : outcome.Failure!;
    }

    /// <summary>Completed sessions of a therapist whose note has waited longer than Notes:SignWithinDays for a
    /// signature.</summary>
    public async Task<Page<UnsignedNote>> UnsignedAsync(Caller caller, UnsignedNoteQuery query, Guid therapistId,
        CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<UnsignedRow>(UnsignedSql, new
        {
            caller.PracticeId, Caseload = caller.Caseload, TherapistId = therapistId,
            AfterAt = afterAt ?? SessionReads.Earliest, AfterId = afterId
                ?? Guid.Empty, Cutoff = deadline.Cutoff, Limit = limit + 1,
        });
        var kept = rows.Take(limit).ToList();
        var now = Now;
        return new Page<UnsignedNote>(
            kept.Select(r => new UnsignedNote(r.SessionId, r.TherapistId, r.StartsAt, r.CompletedAt,
                (int)(now - r.CompletedAt).TotalDays))
                .ToList(),
            rows.Count > limit ? Cursor.EncodeTimeAndId(kept[^1].StartsAt, kept[^1].SessionId) : null);
    }
}
