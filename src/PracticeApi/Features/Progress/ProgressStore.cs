using PracticeApi.Features.Couples;

namespace PracticeApi.Features.Progress;

internal sealed class ProgressStore(Db db, AuditLog audit, PracticeCalendar calendar, RepairSignals signals,
    Sessions.NoteDeadline deadline)
{
    private static readonly string OpenCouplesSql = $"""
        SELECT {CoupleReads.Columns} FROM Couples c
        WHERE c.PracticeId = @PracticeId AND c.Status IN ('active', 'paused') AND c.Id > @After AND {Caseload.Couple("c")}
        ORDER BY c.Id {SqlDialect.Limit}
        """;

    public async Task<ProgressResponse?> ProgressAsync(Caller caller, Guid coupleId, ProgressQuery query,
        CancellationToken ct)
    {
        var to = query.To ?? calendar.Today;
        var from = query.From ?? to.AddDays(-55);
        CoupleSignals? loaded;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var couple = await CoupleReads.FindAsync(c, caller, coupleId, ct);
            if (couple is null) return null;
            var since = calendar.ToUtc(from.AddDays(-1), TimeOnly.MinValue);
            loaded = (await signals.LoadAsync(c, caller.PracticeId, [couple], to,
                since < calendar.Now.AddDays(-56) ? since : calendar.Now.AddDays(-56), ct))[0];
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "progress", coupleId,
            loaded.Couple.Partners), ct);
        return ProgressCalculator.Calculate(loaded, from, to, calendar.Now, calendar.LocalDate);
    }

    public async Task<IReadOnlyList<AlertResponse>?> CoupleAlertsAsync(Caller caller, Guid coupleId,
        CancellationToken ct)
    {
        IReadOnlyList<CoupleSignals> loaded;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var couple = await CoupleReads.FindAsync(c, caller, coupleId, ct);
            if (couple is null) return null;
            loaded = await signals.LoadAsync(c, caller.PracticeId, [couple], calendar.Today,
                calendar.Now.AddDays(-56), ct);
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "alerts", coupleId,
            loaded[0].Couple.Partners), ct);
        return CoupleAlerts(loaded);
    }

    /// <summary>Alerts of the caller's open couples, a page of couples at a time (the cursor walks couples).</summary>
    public async Task<Page<AlertResponse>> AlertsAsync(Caller caller, IdPageQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        List<CoupleRow> couples;
        IReadOnlyList<CoupleSignals> loaded;
        AlertResponse? unsigned;
        await using (var c = await db.BeginReadAsync(ct))
        {
            // The caller's own to-do heads the first page.
            unsigned = query.Cursor is null && await deadline.SummaryAsync(c, caller, ct) is { } notes
                ? new AlertResponse(null, AlertKind.UnsignedNotes,
                    $"{notes.Count} session note(s) of yours have waited more than {notes.SignWithinDays} days for your signature (GET /api/v1/notes/unsigned).",
                    new Dictionary<string, object?> { ["count"] = notes.Count, ["oldestCompletedAt"] = notes.OldestCompletedAt })
                : null;
            couples = await c.QueryAsync<CoupleRow>(OpenCouplesSql, new
            {
                caller.PracticeId, Caseload = caller.Caseload, After = Cursor.After(query.Cursor), Limit = limit + 1,
            });
            loaded = await signals.LoadAsync(c, caller.PracticeId, couples.Take(limit).ToList(), calendar.Today,
                calendar.Now.AddDays(-56), ct);
        }

        var alerts = CoupleAlerts(loaded);
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "alerts", null,
            loaded.Where(l => alerts.Any(a => a.CoupleId == l.Couple.Id)).SelectMany(l => l.Couple.Partners)
                .ToList(), Detail: "caseload"), ct);
        if (unsigned is not null) alerts.Insert(0, unsigned);
        return new Page<AlertResponse>(alerts,
            couples.Count > limit ? Cursor.Encode(couples[limit - 1].Id.ToString()) : null);
    }

    private List<AlertResponse> CoupleAlerts(IEnumerable<CoupleSignals> loaded) =>
        loaded.SelectMany(s => AlertRules.Evaluate(s, calendar.Now, calendar.Today)).ToList();
}
