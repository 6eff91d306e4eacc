using Microsoft.AspNetCore.Http.HttpResults;
using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Records;

/// <summary>
/// Erasure and destruction of a client's record: a request is recorded (who asked, when, by whom); an admin executes it
/// after confirming, or refuses it with a reason. Executing irreversibly anonymises what is the client's own and keeps
/// the partner's contributions to shared work; audit events keep the client's id, which no longer leads to anything
/// personal. Nothing is destroyed automatically: records past retention are listed for an admin to act on.
/// </summary>
internal sealed class ErasureStore(Db db, AuditLog audit, TimeProvider clock, Outbox outbox, TokenCache tokens)
{
    private const string Columns = "Id, ClientId, RequestedBy, RequestedAt, RecordedBy, Status, RefusalReason, Explanation, DecidedBy, DecidedAt";

    private const string InsertSql = """
        INSERT INTO ErasureRequests (Id, PracticeId, ClientId, RequestedBy, RequestedAt, RecordedBy, Status)
        VALUES (@Id, @PracticeId, @ClientId, @RequestedBy, @Now, @RecordedBy, 'requested')
        """;

    private const string GetSql = $"SELECT {Columns} FROM ErasureRequests WHERE Id = @Id AND PracticeId = @PracticeId";

    private const string ListSql = $"""
        SELECT {Columns} FROM ErasureRequests
        WHERE PracticeId = @PracticeId AND (RequestedAt > @AfterAt OR (RequestedAt = @AfterAt AND Id > @AfterId))
            AND (@Status IS NULL OR Status = @Status)
        ORDER BY RequestedAt, Id {SqlDialect.Limit}
        """;

    private const string DecideSql = """
        UPDATE ErasureRequests SET Status = @Status, RefusalReason = @Reason, Explanation = @Explanation,
            DecidedBy = @DecidedBy, DecidedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Status = 'requested'
        """;

    private const string ClientStateSql = "SELECT Status, ErasedAt FROM Clients WHERE Id = @Id AND PracticeId = @PracticeId";

    // What is the client's own, anonymised or removed; couples, shared sessions' notes and the partner's answers stay.
    private static readonly string[] EraseSql =
    [
        """
        UPDATE Clients SET FirstName = 'Erased', LastName = 'client', SearchName = '', DateOfBirth = NULL,
            Email = NULL, Phone = NULL, Pronouns = NULL, ErasedAt = @Now, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @ClientId AND PracticeId = @PracticeId
        """,
        "DELETE FROM ClientIdentifiers WHERE PracticeId = @PracticeId AND ClientId = @ClientId",
        "UPDATE ApiTokens SET RevokedAt = @Now WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND RevokedAt IS NULL",
        """
        DELETE FROM SessionNoteAddenda WHERE PracticeId = @PracticeId
          AND SessionId IN (SELECT Id FROM Sessions WHERE PracticeId = @PracticeId AND ClientId = @ClientId)
        """,
        """
        UPDATE Sessions SET NoteFormat = NULL, NoteSections = NULL, CancelReason = NULL, Version = Version + 1,
            UpdatedAt = @Now
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId
        """,
        "UPDATE Responses SET Answers = '{}', Feedback = NULL WHERE PracticeId = @PracticeId AND RespondentId = @ClientId",
        "UPDATE SafetyScreenings SET Notes = NULL WHERE PracticeId = @PracticeId AND ClientId = @ClientId",
        "UPDATE TriggerEpisodes SET TriggerText = NULL, WhatHelped = NULL WHERE PracticeId = @PracticeId AND ClientId = @ClientId",
        "DELETE FROM SupportPeople WHERE PracticeId = @PracticeId AND ClientId = @ClientId",
        "UPDATE RecoveryEntries SET WhatHappened = NULL, WhatILearnt = NULL, Meeting = NULL WHERE PracticeId = @PracticeId AND ClientId = @ClientId",
        "DELETE FROM RecoveryLogShares WHERE PracticeId = @PracticeId AND ClientId = @ClientId",
        // Billing details go; issued invoices keep the payer's details they were issued with (the fiscal duty to keep
        // them).
        "DELETE FROM BillingDetails WHERE PracticeId = @PracticeId AND ClientId = @ClientId",
        "DELETE FROM ReminderSettings WHERE PracticeId = @PracticeId AND ClientId = @ClientId",
        // Consents stay as the record of what was agreed and when; the name of a person they were shared with goes with
        // the network.
        "UPDATE Consents SET RecipientName = NULL WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Kind = 'person_sharing'",
        // Scores keep their totals (the course of care); the answers given go, and so do the measures still asked of
        // the client.
        "UPDATE MeasureScores SET Answers = '{}' WHERE PracticeId = @PracticeId AND ClientId = @ClientId",
        """
        UPDATE MeasureAssignments SET Status = 'cancelled', CancelledAt = @Now, Note = NULL
        WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Status = 'active'
        """,
    ];

    private const string DueSql = $"""
        SELECT Id AS ClientId, UpdatedAt AS LastChangedAt FROM Clients
        WHERE PracticeId = @PracticeId AND Status = 'discharged' AND UpdatedAt <= @Cutoff
          AND (UpdatedAt > @AfterAt OR (UpdatedAt = @AfterAt AND Id > @AfterId)) AND ErasedAt IS NULL
        ORDER BY UpdatedAt, Id {SqlDialect.Limit}
        """;

    private sealed record RequestRow
    {
        public Guid Id { get; init; }
        public Guid ClientId { get; init; }
        public string RequestedBy { get; init; } = "";
        public DateTime RequestedAt { get; init; }
        public Guid RecordedBy { get; init; }
        public string Status { get; init; } = "";
        public string? RefusalReason { get; init; }
        public string? Explanation { get; init; }
        public Guid? DecidedBy { get; init; }
        public DateTime? DecidedAt { get; init; }

        public ErasureRequestResponse ToResponse() =>
            new(Id, ClientId, RequestedBy, RequestedAt, RecordedBy, Status, RefusalReason, Explanation,
                DecidedBy, DecidedAt);
    }

    private sealed record ClientState
    {
        public string Status { get; init; } = "";
        public DateTime? ErasedAt { get; init; }
    }

    private sealed record DueRow
    {
        public Guid ClientId { get; init; }
        public DateTime LastChangedAt { get; init; }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Records a request for a client the caller can see (404 otherwise).</summary>
    public async Task<Outcome<ErasureRequestResponse>> RequestAsync(Caller caller, Guid clientId,
        ErasureRequestBody body, CancellationToken ct)
    {
        var id = EntityIds.New();
        await using var c = await db.BeginWriteAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        await c.ExecuteAsync(InsertSql, new
        {
            Id = id, caller.PracticeId, ClientId = clientId, RequestedBy = body.RequestedBy.Trim(), Now, RecordedBy = caller.TherapistId,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "erasure_request", id, [clientId]));
        var created = await FindAsync(c, caller.PracticeId, id, ct);
        await c.CommitAsync();
        return created!.ToResponse();
    }

    public async Task<ErasureRequestResponse?> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        return (await FindAsync(c, caller.PracticeId, id, ct))?.ToResponse();
    }

    public async Task<Page<ErasureRequestResponse>> ListAsync(Caller caller, ErasureListQuery query,
        CancellationToken ct)
    {
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var limit = query.EffectiveLimit();
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<RequestRow>(ListSql, new
        {
            caller.PracticeId, AfterAt = afterAt ?? DateTime.MinValue, AfterId = afterId
                ?? Guid.Empty, Status = query.Status?.Wire(), Limit = limit + 1,
        });
        return Cursor.ToPage(rows, limit, r => [DapperTypeHandlers.ToText(r.RequestedAt), r.Id.ToString()],
            r => r.ToResponse());
    }

    /// <summary>Refuses a pending request with its reason (recorded and audited).</summary>
    public Task<Outcome<ErasureRequestResponse>> RefuseAsync(Caller caller, Guid id, RefuseErasureBody body,
        CancellationToken ct) =>
        DecideAsync(caller, id, async (c, request) =>
        {
            await c.ExecuteAsync(DecideSql, new
            {
                Id = id, caller.PracticeId, Status = ErasureRules.Refused, Reason = body.Reason.Wire(), Explanation = body.Explanation.Trim(), DecidedBy = caller.TherapistId, Now,
            });
            await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Update, "erasure_request", id,
                [request.ClientId], Detail: $"refused: {body.Reason.Wire()}"));
            return null;
        }, ct);

    /// <summary>
    /// Executes a pending request once the admin confirms the client's id: the client must be discharged; their own
    /// data is anonymised or removed in one transaction with the audit event and a client.erased event for EHRs.
    /// </summary>
    /// <summary>
    /// Erases the client's record; then empties the write-ahead logs, so that with secure delete on no copy of the
    /// erased text stays in any file beside the database (the WAL's older page images included).
    /// </summary>
    public async Task<Outcome<ErasureRequestResponse>> ExecuteAsync(Caller caller, Guid id, ExecuteErasureBody body,
        CancellationToken ct)
    {
        var outcome = await EraseAsync(caller, id, body, ct);
        if (outcome.Succeeded) await db.TruncateWriteAheadLogsAsync();
        return outcome;
    }

    private Task<Outcome<ErasureRequestResponse>> EraseAsync(Caller caller, Guid id, ExecuteErasureBody body,
        CancellationToken ct) =>
        DecideAsync(caller, id, async (c, request) =>
        {
            if (body.ConfirmClientId != request.ClientId)
            {
                return Failure.Invalid("confirmClientId",
                    "confirmClientId must repeat the id of the client whose record is erased.");
            }

            var client = await c.QuerySingleAsync<ClientState>(ClientStateSql, new { Id = request.ClientId,
                caller.PracticeId });
            if (client.Status != ClientStatuses.Discharged)
            {
                return Failure.Conflict("client-in-care", "Client is still in care",
                    "Discharge the client before their record is erased.");
            }

            var args = new { caller.PracticeId, request.ClientId, Now };
            foreach (var sql in EraseSql) await c.ExecuteAsync(sql, args);
            await c.ExecuteAsync(DecideSql, new
            {
                Id = id, caller.PracticeId, Status = ErasureRules.Executed, Reason = (string?)null, Explanation = (string?)null, DecidedBy = caller.TherapistId, Now,
            });
            await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Delete, "client", request.ClientId,
                [request.ClientId], Detail: $"erased (request {id})"));
            await outbox.PublishAsync(c, caller.PracticeId, EventTypes.ClientErased, "clientId", request.ClientId,
                [request.ClientId], ct);
            return null;
        }, ct);

    private async Task<Outcome<ErasureRequestResponse>> DecideAsync(Caller caller, Guid id,
        Func<DbWrite, RequestRow, Task<Failure?>> decide, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var request = await FindAsync(c, caller.PracticeId, id, ct);
        if (request is null) return Failure.NotFound("erasure request");
        if (request.Status != ErasureRules.Requested)
        {
            return Failure.Conflict("erasure-decided", "Erasure request already decided",
                $"The request was {request.Status}; a decision is final.");
        }

        if (await decide(c, request) is { } failure) return failure;
        var decided = await FindAsync(c, caller.PracticeId, id, ct);
        await c.CommitAsync();
        // An executed erasure revoked the client's portal tokens.
        if (decided!.Status == ErasureRules.Executed) tokens.Invalidate();
        return decided.ToResponse();
    }

    /// <summary>Discharged clients whose record was last changed 20 years ago or more: due for destruction, oldest
    /// first.</summary>
    public async Task<Page<RetentionDue>> DueAsync(Caller caller, PageQuery query, CancellationToken ct)
    {
        var (afterAt, afterId) = Cursor.DecodeTimeAndId(query.Cursor);
        var limit = query.EffectiveLimit();
        await using var c = await db.BeginReadAsync(ct);
        var rows = await c.QueryAsync<DueRow>(DueSql, new
        {
            caller.PracticeId, Cutoff = Now.AddYears(-ErasureRules.RetentionYears), AfterAt = afterAt
                ?? DateTime.MinValue, AfterId = afterId ?? Guid.Empty,
            Limit = limit + 1,
        });
        return Cursor.ToPage(rows, limit, r => [DapperTypeHandlers.ToText(r.LastChangedAt), r.ClientId.ToString()],
            r => new RetentionDue(r.ClientId, r.LastChangedAt,
                DateOnly.FromDateTime(r.LastChangedAt.AddYears(ErasureRules.RetentionYears))));
    }

    private static Task<RequestRow?> FindAsync(DbSession c, Guid practiceId, Guid id, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<RequestRow>(GetSql, new { Id = id, PracticeId = practiceId });
}
