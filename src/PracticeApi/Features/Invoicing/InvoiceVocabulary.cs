namespace PracticeApi.Features.Invoicing;

/// <summary>The closed sets of invoicing: statuses, kinds of document, what a line charges for, how a payment was
/// made.</summary>
internal static class InvoiceStatuses
{
    public const string Draft = "draft";
    public const string Open = "open";
    public const string Overdue = "overdue";
    public const string Paid = "paid";
    public const string Credited = "credited";
    public const string Issued = "issued";
}

internal static class InvoiceKinds
{
    public const string Invoice = "invoice";
    public const string CreditNote = "credit_note";
}

internal static class Charges
{
    public const string Session = "session";
    public const string LateCancellation = "late_cancellation";
    public const string NoShow = "no_show";
}
