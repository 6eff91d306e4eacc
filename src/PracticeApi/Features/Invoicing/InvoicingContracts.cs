using FluentValidation;

namespace PracticeApi.Features.Invoicing;

/// <summary>One fee of a schedule: a session kind, optionally for one duration only.</summary>
/// <param name="SessionKind">intake, individual, couple or family.</param>
/// <param name="DurationMinutes">For sessions of exactly this length; left out, for the kind's sessions of any length
/// without a fee of their own.</param>
/// <param name="AmountCents">The fee in euro cents, before VAT.</param>
public sealed record FeeLine(Sessions.SessionKind SessionKind, int? DurationMinutes, int AmountCents);

/// <summary>A version of the practice's fees, in force from a date until the next version's.</summary>
/// <param name="ValidFrom">The first day (yyyy-MM-dd) a session is billed at these fees.</param>
/// <param name="Fees">The session fees (at least one).</param>
/// <param name="LateCancelCents">What a late cancellation (by the client, within 24 hours) costs; 0 bills none.</param>
/// <param name="NoShowCents">What a missed session costs; 0 bills none.</param>
/// <param name="VatRateBasisPoints">The VAT rate in hundredths of a percent (2100 is 21%); give it or
/// vatExemption.</param>
/// <param name="VatExemption">The ground of the VAT exemption printed on invoices, such as the healthcare exemption of
/// art. 11 Wet OB; give it or vatRateBasisPoints.</param>
/// <param name="PaymentTermDays">Days from the issue date to the due date (0–365).</param>
public sealed record FeeScheduleRequest(
    DateOnly ValidFrom, IReadOnlyList<FeeLine> Fees, int LateCancelCents, int NoShowCents, int? VatRateBasisPoints, string? VatExemption,
    int PaymentTermDays);

/// <summary>A version of the practice's fees.</summary>
/// <param name="Id">The version's id.</param>
/// <param name="ValidFrom">The first day a session is billed at these fees.</param>
/// <param name="Fees">The session fees.</param>
/// <param name="LateCancelCents">What a late cancellation costs.</param>
/// <param name="NoShowCents">What a missed session costs.</param>
/// <param name="VatRateBasisPoints">The VAT rate in hundredths of a percent, unless exempt.</param>
/// <param name="VatExemption">The ground of the VAT exemption, if exempt.</param>
/// <param name="PaymentTermDays">Days from the issue date to the due date.</param>
/// <param name="CreatedAt">When this version was made (UTC).</param>
public sealed record FeeScheduleResponse(
    Guid Id, DateOnly ValidFrom, IReadOnlyList<FeeLine> Fees, int LateCancelCents, int NoShowCents, int? VatRateBasisPoints, string? VatExemption,
    int PaymentTermDays, DateTime CreatedAt);

/// <summary>What the practice prints on its invoices.</summary>
/// <param name="LegalName">The practice's name as registered.</param>
/// <param name="Address">The postal address, lines separated by newlines.</param>
/// <param name="Email">Where payers write about invoices.</param>
/// <param name="Iban">The account payments go to.</param>
/// <param name="KvkNumber">The Chamber of Commerce (KvK) number.</param>
/// <param name="AgbCode">The AGB code of the practice.</param>
/// <param name="BigNumber">The BIG registration of the practitioner, where one applies.</param>
/// <param name="VatNumber">The VAT identification number (btw-id, e.g. NL123456789B01); the UBL e-invoice needs
/// it.</param>
public sealed record BillingProfileRequest(
    string LegalName, string Address, string? Email, string? Iban, string? KvkNumber, string? AgbCode, string? BigNumber, string? VatNumber);

/// <summary>What the practice prints on its invoices.</summary>
/// <param name="LegalName">The practice's name as registered.</param>
/// <param name="Address">The postal address.</param>
/// <param name="Email">Where payers write about invoices.</param>
/// <param name="Iban">The account payments go to.</param>
/// <param name="KvkNumber">The Chamber of Commerce (KvK) number.</param>
/// <param name="AgbCode">The AGB code.</param>
/// <param name="BigNumber">The BIG registration.</param>
/// <param name="VatNumber">The VAT identification number (btw-id).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record BillingProfileResponse(
    string LegalName, string Address, string? Email, string? Iban, string? KvkNumber, string? AgbCode, string? BigNumber, string? VatNumber,
    DateTime UpdatedAt);

/// <summary>Where a client's invoices go.</summary>
/// <param name="Name">The name on the invoice.</param>
/// <param name="Address">The billing address, lines separated by newlines.</param>
/// <param name="Email">Where invoices are sent, if by e-mail.</param>
public sealed record BillingDetailsRequest(string Name, string Address, string? Email);

/// <summary>Where a client's invoices go.</summary>
/// <param name="ClientId">The client who pays.</param>
/// <param name="Name">The name on the invoice.</param>
/// <param name="Address">The billing address.</param>
/// <param name="Email">Where invoices are sent.</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record BillingDetailsResponse(Guid ClientId, string Name, string Address, string? Email,
    DateTime UpdatedAt);

/// <summary>Who pays a couple's sessions.</summary>
/// <param name="PayerId">The partner responsible for billing; null splits every couple session 50/50 between the
/// partners.</param>
public sealed record CoupleBillingRequest(Guid? PayerId);

/// <summary>Who pays a couple's sessions.</summary>
/// <param name="CoupleId">The couple.</param>
/// <param name="PayerId">The partner who pays, unless split.</param>
/// <param name="Split">True when each partner pays half of every couple session.</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record CoupleBillingResponse(Guid CoupleId, Guid? PayerId, bool Split, DateTime UpdatedAt);

/// <summary>Drafts an invoice for a payer from the billable sessions of a period not yet invoiced to them.</summary>
/// <param name="PayerId">The client who pays: for their individual sessions, and for couple sessions by the couple's
/// billing arrangement.</param>
/// <param name="From">The period's first day (yyyy-MM-dd, the practice's time zone).</param>
/// <param name="To">The period's last day (inclusive, at most a year after from).</param>
public sealed record DraftInvoiceRequest(Guid PayerId, DateOnly From, DateOnly To);

/// <summary>A line of an invoice or credit note.</summary>
/// <param name="Id">The line's id (name it to credit this line only).</param>
/// <param name="SessionId">The session billed.</param>
/// <param name="ServiceDate">The session's day.</param>
/// <param name="Charge">session, late_cancellation or no_show.</param>
/// <param name="SessionKind">The session's kind.</param>
/// <param name="DurationMinutes">The session's length in minutes.</param>
/// <param name="SharePercent">100, or 50 when the partners split a couple session.</param>
/// <param name="NetCents">The amount before VAT (negative on a credit note).</param>
/// <param name="VatCents">The VAT (0 when exempt).</param>
/// <param name="VatRateBasisPoints">The VAT rate in basis points (2100 is 21%); null when no VAT is charged (the
/// invoice states the exemption).</param>
/// <param name="CreditsLineId">On a credit note: the invoice line it reverses.</param>
public sealed record InvoiceLineResponse(
    Guid Id, Guid SessionId, DateOnly ServiceDate, Charge Charge, Sessions.SessionKind SessionKind,
    int DurationMinutes, int SharePercent, int NetCents,
    int VatCents, int? VatRateBasisPoints, Guid? CreditsLineId);

/// <summary>A payment recorded against an invoice.</summary>
/// <param name="AmountCents">The amount received in euro cents (at most the open balance).</param>
/// <param name="PaidOn">The day it was received (yyyy-MM-dd).</param>
/// <param name="Method">bank_transfer, card, cash, direct_debit or other.</param>
/// <param name="Reference">The bank's or terminal's reference.</param>
public sealed record PaymentRequest(int AmountCents, DateOnly PaidOn, PaymentMethod Method, string? Reference);

/// <summary>How a payment was made.</summary>
public enum PaymentMethod { BankTransfer, Card, Cash, DirectDebit, Other }

/// <summary>A payment received.</summary>
/// <param name="Id">The payment's id.</param>
/// <param name="AmountCents">The amount in euro cents.</param>
/// <param name="PaidOn">The day it was received.</param>
/// <param name="Method">bank_transfer, card, cash, direct_debit or other.</param>
/// <param name="Reference">The reference.</param>
/// <param name="RecordedAt">When it was recorded (UTC).</param>
public sealed record PaymentResponse(Guid Id, int AmountCents, DateOnly PaidOn, PaymentMethod Method, string? Reference,
    DateTime RecordedAt);

/// <summary>Reverses an issued invoice with a credit note: every line not credited yet, or the lines named.</summary>
/// <param name="Reason">Why, printed on the credit note (at most 500 characters).</param>
/// <param name="LineIds">The invoice lines to credit; left out, every line not credited yet.</param>
public sealed record CreditNoteRequest(string Reason, IReadOnlyList<Guid>? LineIds);

/// <summary>Who an issued invoice is addressed to, as it was when it was issued.</summary>
/// <param name="Name">The name on the invoice.</param>
/// <param name="Address">The billing address.</param>
/// <param name="Email">The billing e-mail.</param>
public sealed record InvoicePayer(string Name, string Address, string? Email);

/// <summary>A session of the period that could not be billed, and why.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Reason">Why it is not on the draft.</param>
public sealed record UnbilledSession(Guid SessionId, string Reason);

/// <summary>An invoice or credit note.</summary>
/// <param name="Id">The invoice's id.</param>
/// <param name="Kind">invoice or credit_note.</param>
/// <param name="Status">draft; for an issued invoice open, overdue, paid or credited; issued for a credit note.</param>
/// <param name="Number">The number in the practice's unbroken sequence of the year (yyyy-nnnnn), once issued.</param>
/// <param name="PayerId">The client who pays.</param>
/// <param name="PeriodFrom">The first day of the period billed.</param>
/// <param name="PeriodTo">The last day of the period billed.</param>
/// <param name="IssuedOn">The issue date.</param>
/// <param name="DueOn">The due date (issue date plus the payment term).</param>
/// <param name="CreditsInvoiceId">On a credit note: the invoice it reverses.</param>
/// <param name="Reason">On a credit note: why.</param>
/// <param name="Payer">Who it is addressed to, fixed at issue.</param>
/// <param name="VatExemption">The ground of the VAT exemption, when exempt.</param>
/// <param name="NetCents">The total before VAT.</param>
/// <param name="VatCents">The total VAT.</param>
/// <param name="TotalCents">Net plus VAT.</param>
/// <param name="PaidCents">Payments received.</param>
/// <param name="CreditedCents">Reversed by credit notes (a positive amount).</param>
/// <param name="BalanceCents">Still to pay: total less payments and credits.</param>
/// <param name="Lines">The lines, in date order.</param>
/// <param name="Payments">The payments, oldest first.</param>
/// <param name="Unbilled">Only in the answer that drafts: sessions of the period that could not be billed, and
/// why.</param>
/// <param name="CreatedAt">When it was drafted (UTC).</param>
/// <param name="IssuedAt">When it was issued (UTC).</param>
public sealed record InvoiceResponse(
    Guid Id, InvoiceKind Kind, InvoiceStatus Status, string? Number, Guid PayerId, DateOnly PeriodFrom, DateOnly PeriodTo, DateOnly? IssuedOn, DateOnly? DueOn,
    Guid? CreditsInvoiceId, string? Reason, InvoicePayer? Payer, string? VatExemption, int NetCents, int VatCents, int TotalCents, int PaidCents,
    int CreditedCents, int BalanceCents, IReadOnlyList<InvoiceLineResponse> Lines, IReadOnlyList<PaymentResponse> Payments,
    IReadOnlyList<UnbilledSession>? Unbilled, DateTime CreatedAt, DateTime? IssuedAt);

/// <summary>A page of invoices, newest first.</summary>
public sealed record InvoiceListQuery : IPageQuery
{
    public int? Limit { get; init; }
    public string? Cursor { get; init; }

    /// <summary>Only invoices in this status (issued: the credit notes).</summary>
    public OneOf<InvoiceStatus>? Status { get; init; }

    /// <summary>Only this payer's invoices and credit notes.</summary>
    public Guid? PayerId { get; init; }
}

internal sealed class FeeScheduleRequestValidator : AbstractValidator<FeeScheduleRequest>
{
    public FeeScheduleRequestValidator()
    {
        RuleFor(r => r.Fees).NotEmpty().Must(f => f is null || f.Count <= 40).WithMessage("fees holds 1 to 40 fees.");
        RuleForEach(r => r.Fees).ChildRules(fee =>
        {
            fee.RuleFor(f => f.DurationMinutes).InclusiveBetween(10, 480);
            fee.RuleFor(f => f.AmountCents).InclusiveBetween(0, 1_000_000);
        });
        RuleFor(r => r.Fees).Must(f => f is null || f.DistinctBy(x => (x.SessionKind, x.DurationMinutes))
            .Count() == f.Count)
            .WithMessage("fees names each session kind and duration once.");
        RuleFor(r => r.LateCancelCents).InclusiveBetween(0, 1_000_000);
        RuleFor(r => r.NoShowCents).InclusiveBetween(0, 1_000_000);
        RuleFor(r => r.VatRateBasisPoints).InclusiveBetween(0, 10_000);
        RuleFor(r => r.VatExemption).MaximumLength(500);
        RuleFor(r => r).Must(r => (r.VatRateBasisPoints is null) != string.IsNullOrWhiteSpace(r.VatExemption))
            .WithName("vatRateBasisPoints")
            .WithMessage(
                "give a VAT rate (vatRateBasisPoints) or the ground of the exemption (vatExemption), not both.");
        RuleFor(r => r.PaymentTermDays).InclusiveBetween(0, 365);
    }
}

internal sealed class BillingProfileRequestValidator : AbstractValidator<BillingProfileRequest>
{
    public BillingProfileRequestValidator()
    {
        RuleFor(r => r.LegalName).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Address).NotEmpty().MaximumLength(500);
        RuleFor(r => r.Email).MaximumLength(320).EmailAddress();
        RuleFor(r => r.Iban).MaximumLength(34).Matches("^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")
            .WithMessage("iban is an IBAN without spaces.");
        RuleFor(r => r.KvkNumber).Matches("^[0-9]{8}$").WithMessage("kvkNumber has 8 digits.");
        RuleFor(r => r.AgbCode).Matches("^[0-9]{8}$").WithMessage("agbCode has 8 digits.");
        RuleFor(r => r.BigNumber).Matches("^[0-9]{11}$").WithMessage("bigNumber has 11 digits.");
        RuleFor(r => r.VatNumber).Matches("^[A-Z]{2}[0-9A-Z]{2,13}$")
            .WithMessage("vatNumber is a VAT identification number without spaces, e.g. NL123456789B01.");
    }
}

internal sealed class BillingDetailsRequestValidator : AbstractValidator<BillingDetailsRequest>
{
    public BillingDetailsRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Address).NotEmpty().MaximumLength(500);
        RuleFor(r => r.Email).MaximumLength(320).EmailAddress();
    }
}

internal sealed class DraftInvoiceRequestValidator : AbstractValidator<DraftInvoiceRequest>
{
    public DraftInvoiceRequestValidator()
    {
        RuleFor(r => r.PayerId).NotEmpty();
        RuleFor(r => r.To).Must((r, to) => to >= r.From).WithMessage("to must not be before from.");
        RuleFor(r => r.To).Must((r, to) => to.DayNumber - r.From.DayNumber <= 366)
            .WithMessage("a period spans at most a year.");
    }
}

internal sealed class PaymentRequestValidator : AbstractValidator<PaymentRequest>
{
    public PaymentRequestValidator()
    {
        RuleFor(r => r.AmountCents).InclusiveBetween(1, 10_000_000);
        RuleFor(r => r.Reference).MaximumLength(200);
    }
}

internal sealed class CreditNoteRequestValidator : AbstractValidator<CreditNoteRequest>
{
    public CreditNoteRequestValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
        RuleFor(r => r.LineIds).Must(l => l is null || (l.Count is > 0 and <= 500 && l.Distinct().Count() == l.Count))
            .WithMessage("lineIds names 1 to 500 different lines, or is left out to credit every line.");
    }
}

internal sealed class InvoiceListQueryValidator : AbstractValidator<InvoiceListQuery>
{
    public InvoiceListQueryValidator()
    {
        this.ApplyPaging();
    }
}

/// <summary>Where an invoice stands: a draft, open (issued, not paid), overdue, paid or credited (reversed in full by
/// credit notes); a credit note is issued.</summary>
public enum InvoiceStatus { Draft, Open, Overdue, Paid, Credited, Issued }

/// <summary>An invoice, or a credit note that reverses (part of) one.</summary>
public enum InvoiceKind { Invoice, CreditNote }

/// <summary>What a line charges for: a session held, a late cancellation or a no-show.</summary>
public enum Charge { Session, LateCancellation, NoShow }
