namespace PracticeApi.Features.Invoicing;

/// <summary>A session of the period that may be billed to the payer, as the draft reads it.</summary>
internal sealed record BillableSession
{
    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public int DurationMinutes { get; init; }
    public DateTime StartsAt { get; init; }
    public string Status { get; init; } = "";
    public Guid? ClientId { get; init; }
    public Guid? CoupleId { get; init; }
    public Guid? PartnerAId { get; init; }

    /// <summary>The couple's billing arrangement, when there is one (its couple id; the payer alone is null for a
    /// split).</summary>
    public Guid? ArrangedCoupleId { get; init; }
    public Guid? CouplePayerId { get; init; }

    public bool Arranged => ArrangedCoupleId is not null;
}

/// <summary>A line as priced, before it is stored.</summary>
/// <param name="VatRateBasisPoints">The VAT rate the line was priced at; null when no VAT is charged (the
/// exemption).</param>
internal sealed record PricedLine(
    Guid SessionId, DateOnly ServiceDate, Charge Charge, string SessionKind, int DurationMinutes, int ShareBasisPoints, int NetCents, int VatCents,
    int? VatRateBasisPoints);

/// <summary>
/// The practice's fee rules, in one place: which schedule version a day falls under, what a session, a late
/// cancellation and a no-show cost, who of a couple pays, how a split divides an odd cent, and how VAT rounds. Amounts
/// are integer euro cents; VAT is computed per line on the net amount and rounded half away from zero to the cent, and
/// totals are the sums of the lines, so a printed invoice always adds up.
/// </summary>
internal sealed class FeeBook(IReadOnlyList<FeeScheduleResponse> versions)
{
    public const int Whole = 10_000;
    public const int Half = 5_000;

    /// <summary>The version in force on a day: the latest that starts on or before it.</summary>
    public FeeScheduleResponse? On(DateOnly day) => versions.Where(v => v.ValidFrom <= day).MaxBy(v => v.ValidFrom);

    /// <summary>VAT on a net amount at a rate in basis points, rounded half away from zero.</summary>
    public static int Vat(int netCents, int? rateBasisPoints) =>
        rateBasisPoints is not { } rate ? 0 : (int)Math.Round((decimal)netCents * rate / Whole,
            MidpointRounding.AwayFromZero);

    /// <summary>A payer's share of an amount: the whole, or half with the odd cent to partner A so the halves add
    /// up.</summary>
    public static int Share(int cents, int shareBasisPoints, bool isPartnerA) =>
        shareBasisPoints == Whole ? cents : isPartnerA ? cents - cents / 2 : cents / 2;

    /// <summary>Prices a session for the payer, or says why it is not billed (null reason and null line: not this
    /// payer's).</summary>
    public (PricedLine? Line, string? Unbilled) Price(BillableSession s, Guid payerId, DateOnly day)
    {
        var share = Whole;
        if (s.CoupleId is not null)
        {
            if (!s.Arranged) return (null,
                "The couple has no billing arrangement yet (PUT /api/v1/couples/{id}/billing).");
            if (s.CouplePayerId is { } payer && payer != payerId) return (null, null);
            if (s.CouplePayerId is null) share = Half;
        }

        if (On(day) is not { } schedule) return (null, $"No fee schedule is in force on {day:yyyy-MM-dd}.");
        var (charge, fee) = ClosedSets.Parse<Sessions.SessionStatus>(s.Status) switch
        {
            Sessions.SessionStatus.LateCancelled => (Charge.LateCancellation, (int?)schedule.LateCancelCents),
            Sessions.SessionStatus.NoShow => (Charge.NoShow, schedule.NoShowCents),
            _ => (Charge.Session, schedule.Fees.FirstOrDefault(f => f.SessionKind.Wire() == s.Kind
                && f.DurationMinutes == s.DurationMinutes)?.AmountCents
                                   ?? schedule.Fees.FirstOrDefault(f => f.SessionKind.Wire() == s.Kind
                                       && f.DurationMinutes is null)?.AmountCents),
        };
        if (fee is null) return (null,
            $"The fee schedule of {schedule.ValidFrom:yyyy-MM-dd} has no fee for {s.Kind} sessions of {s.DurationMinutes} minutes.");
        if (fee == 0) return (null, null); // the policy bills no late cancellations or no-shows
        var net = Share(fee.Value, share, s.PartnerAId == payerId);
        return (new PricedLine(s.Id, day, charge, s.Kind, s.DurationMinutes, share, net, Vat(net,
            schedule.VatRateBasisPoints), schedule.VatRateBasisPoints), null);
    }
}
