using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Records;

/// <summary>
/// An admin's decision on a pending erasure request, final either way: refused with a reason, or executed, which
/// irreversibly anonymises what is the client's own and keeps the partner's contributions to shared work.
/// </summary>
internal sealed class DecideErasure(Db db, AuditLog audit, TimeProvider clock, Outbox outbox, TokenCache tokens)
{
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

    private sealed record ClientState
    {
        public string Status { get; init; } = "";
        public DateTime? ErasedAt { get; init; }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Refuses a pending request with its reason (recorded and audited).</summary>
    public Task<Outcome<ErasureRequestResponse>> RefuseAsync(Caller caller, Guid id, RefuseErasureBody body,
        CancellationToken ct) =>
        DecideAsync(caller, id, async (c, request) =>
        {
            await c.ExecuteAsync(DecideSql, new
            {
                Id = id, caller.PracticeId, Status = ErasureStatus.Refused.Wire(), Reason = body.Reason.Wire(), Explanation = body.Explanation.Trim(), DecidedBy = caller.TherapistId, Now,
            });
            await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "erasure_request", id,
                [request.ClientId], Detail: $"refused: {body.Reason.Wire()}"));
            return null;
        }, ct);

    /// <summary>
    /// Executes a pending request once the admin confirms the client's id: the client must be discharged; their own
    /// data is anonymised or removed in one transaction with the audit event and a client.erased event for EHRs. Then
    /// the write-ahead logs are emptied, so that with secure delete on no copy of the erased text stays in any file
    /// beside the database (the WAL's older page images included).
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
            if (client.Status != ClientStatus.Discharged.Wire())
            {
                return Failure.Conflict("client-in-care", "Client is still in care",
                    "Discharge the client before their record is erased.");
            }

            var args = new { caller.PracticeId, request.ClientId, Now };
            foreach (var sql in EraseSql) await c.ExecuteAsync(sql, args);
            await c.ExecuteAsync(DecideSql, new
            {
                Id = id, caller.PracticeId, Status = ErasureStatus.Executed.Wire(), Reason = (string?)null, Explanation = (string?)null, DecidedBy = caller.TherapistId, Now,
            });
            await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Delete, "client", request.ClientId,
                [request.ClientId], Detail: $"erased (request {id})"));
            await outbox.PublishAsync(c, caller.PracticeId, EventType.ClientErased, "clientId", request.ClientId,
                [request.ClientId], ct);
            return null;
        }, ct);

    private async Task<Outcome<ErasureRequestResponse>> DecideAsync(Caller caller, Guid id,
        Func<DbWrite, ErasureRequests.RequestRow, Task<Failure?>> decide, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        var request = await ErasureRequests.FindAsync(c, caller.PracticeId, id);
        if (request is null) return Failure.NotFound("erasure request");
        if (request.Status != ErasureStatus.Requested.Wire())
        {
            return Failure.Conflict("erasure-decided", "Erasure request already decided",
                $"The request was {request.Status}; a decision is final.");
        }

        if (await decide(c, request) is { } failure) return failure;
        var decided = await ErasureRequests.FindAsync(c, caller.PracticeId, id);
        await c.CommitAsync();
        // An executed erasure revoked the client's portal tokens.
        if (decided!.Status == ErasureStatus.Executed.Wire()) tokens.Invalidate();
        return decided.ToResponse();
    }
}
