using PracticeApi.Features.Integration;

namespace PracticeApi.Features.Clients;

/// <summary>Discharge and reactivation: the status change and what a discharge ends (portal tokens, future
/// sessions).</summary>
internal sealed class ChangeClientStatus(Db db, AuditLog audit, Outbox outbox, TokenCache cache, TimeProvider clock)
{
    // Discharge ends portal access for good: reactivating the client does not bring old portal tokens back.
    private const string RevokePortalTokensSql = """
        UPDATE ApiTokens SET RevokedAt = @Now WHERE PracticeId = @PracticeId AND ClientId = @ClientId
            AND RevokedAt IS NULL
        """;

    // The client's future scheduled sessions, with everyone in each (a couple session is with both partners).
    private const string FutureSessionsSql = """
        SELECT s.Id AS SessionId, p.ClientId FROM SessionClients c
        JOIN Sessions s ON s.Id = c.SessionId AND s.PracticeId = c.PracticeId
        JOIN SessionClients p ON p.SessionId = s.Id AND p.PracticeId = s.PracticeId
        WHERE c.PracticeId = @PracticeId AND c.ClientId = @ClientId AND c.StartsAt > @Now AND s.Status = 'scheduled'
        """;

    private const string CancelOnDischargeSql = """
        UPDATE Sessions SET Status = 'cancelled', CancelReason = @Reason, CancelledByClient = @ByClient,
            CancelledAt = @Now, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND Status = 'scheduled'
        """;

    /// <summary>The reason a session cancelled by a discharge carries.</summary>
    public const string DischargeReason = "Client discharged";

    private sealed record SessionParticipant(Guid SessionId, Guid ClientId);

    /// <summary>
    /// Discharge or reactivate: a client already in that status is a 409. A discharge cancels the client's future
    /// scheduled sessions in the same transaction (one audit event for the discharge naming them, a session.cancelled
    /// event each).
    /// </summary>
    public async Task<Outcome<StatusChange>> SetStatusAsync(Caller caller, Guid id, ClientStatus to,
        CancellationToken ct)
    {
        var status = to.Wire();
        await using var c = await db.BeginWriteAsync(ct);
        var current = await ClientReads.FindAsync(c, caller, id);
        if (current is null) return Failure.NotFound("client");
        if (current.ErasedAt is not null) return CareRules.Erased();
        if (current.Status == status)
        {
            return Failure.Conflict("invalid-transition", "Status unchanged", $"The client is already {status}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await ClientDetails.BumpAsync(c, caller.PracticeId, id, current.Version, status, now);
        List<Guid> cancelled = [];
        if (to == ClientStatus.Discharged)
        {
            var future = (await c.QueryAsync<SessionParticipant>(FutureSessionsSql, new { caller.PracticeId,
                ClientId = id, Now = now }))
                .GroupBy(p => p.SessionId).ToList();
            foreach (var session in future)
            {
                var cancel = new { Id = session.Key, caller.PracticeId, Reason = DischargeReason, ByClient = false, Now = now };
                if (await c.ExecuteAsync(CancelOnDischargeSql, cancel) == 0)
                {
                    continue;
                }

                cancelled.Add(session.Key);
                await outbox.PublishAsync(c, caller.PracticeId, EventType.SessionCancelled, "sessionId", session.Key,
                    session.Select(p => p.ClientId), ct, ("status", "cancelled"));
            }
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "client", id, [id],
            Detail: cancelled.Count == 0
                ? status : $"{status}; future sessions cancelled: {string.Join(", ", cancelled)}"));
        if (to == ClientStatus.Discharged)
        {
            var revoked = await c.ExecuteAsync(RevokePortalTokensSql, new { caller.PracticeId, ClientId = id,
                Now = now });
            if (revoked > 0)
            {
                await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Update, "token", id, [id],
                    Detail: $"portal tokens revoked on discharge: {revoked}"));
            }
        }

        await outbox.PublishAsync(c, caller.PracticeId, EventType.ClientUpdated, "clientId", id, [id], ct,
            ("status", status));
        await c.CommitAsync();
        cache.Invalidate();
        return new StatusChange(id, to, cancelled);
    }
}
