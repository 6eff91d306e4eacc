namespace PracticeApi.Features.Care;

/// <summary>
/// The safety hold, for every route that starts conjoint work with a couple (seed 003: abuse needs specialised help
/// first, an untreated addiction is addressed first): refused with <c>409 safety-hold</c> unless a therapist gives an
/// override reason (staff only: a therapist or an admin, never an integration), which is audited as an <c>override</c>.
/// A partner, through the portal, can never override, and is never told why: a partner may be the one the screening is
/// about, so the portal hears a neutral "not available now". While a partner's screening reports abuse or danger,
/// answers the partners would otherwise share stay with their author (<c>Visibilities.PartnerMaySee</c>).
/// </summary>
internal static class SafetyHold
{
    public static Failure Refused(string what) => Failure.Conflict("safety-hold", "The couple is on safety hold",
        $"A safety screening reports danger or untreated addiction: {what} waits until that is addressed. " +
        "A therapist can go ahead anyway with a safetyOverrideReason (it is audited).");

    /// <summary>What a partner's portal hears instead: nothing that hints at a screening or at the other
    /// partner.</summary>
    public static Failure NotAvailableNow() => Failure.Conflict("not-available-now", "Not available now",
        "This is not available at the moment. Please ask your therapist.");

    /// <summary>The refusal the caller may see: the reason for staff, a neutral answer for a partner.</summary>
    public static Failure Refused(Caller caller, string what) => caller.IsPortal ? NotAvailableNow() : Refused(what);

    /// <summary>Checks the hold for conjoint work; on an accepted override, audits it in the caller's
    /// transaction.</summary>
    public static async Task<Failure?> CheckAsync(DbWrite c, AuditLog audit, Caller caller, IHeldCouple couple,
        string? overrideReason, string what, string resourceType, Guid? resourceId, CancellationToken ct)
    {
        if (!couple.SafetyHold) return null;
        if (!caller.IsUser || string.IsNullOrWhiteSpace(overrideReason)) return Refused(caller, what);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Override, resourceType, resourceId ?? couple.Id,
            couple.Partners, Detail: $"safety hold: {overrideReason.Trim()}"));
        return null;
    }

    private const string LatestScreeningsSql = """
        SELECT ClientId, AbuseOrDanger, UntreatedAddiction FROM SafetyScreenings WHERE PracticeId = @PracticeId
            AND CoupleId = @CoupleId
        ORDER BY ScreenedAt DESC, Id DESC
        """;

    /// <summary>A partner's latest safety screening, as far as the hold goes.</summary>
    internal sealed record Screening
    {
        public Guid ClientId { get; init; }
        public bool AbuseOrDanger { get; init; }
        public bool UntreatedAddiction { get; init; }
        public bool RaisesConcern => AbuseOrDanger || UntreatedAddiction;
    }

    /// <summary>Each partner's latest safety screening: what the hold follows.</summary>
    public static async Task<IReadOnlyList<Screening>> LatestScreeningsAsync(DbSession c, Guid practiceId,
        Guid coupleId) =>
        (await c.QueryAsync<Screening>(LatestScreeningsSql, new { PracticeId = practiceId, CoupleId = coupleId }))
        .GroupBy(s => s.ClientId).Select(g => g.First()).ToList();

    /// <summary>Whether a partner's latest screening reports abuse or danger (then even sharing answers
    /// waits).</summary>
    public static async Task<bool> AbuseOrDangerAsync(DbSession c, Guid practiceId, Guid coupleId,
        CancellationToken ct) =>
        (await LatestScreeningsAsync(c, practiceId, coupleId)).Any(s => s.AbuseOrDanger);
}
