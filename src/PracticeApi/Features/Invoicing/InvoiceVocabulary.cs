namespace PracticeApi.Features.Invoicing;

/// <summary>Where an invoice or credit note stands as stored: a draft, or issued (numbered, never changed again). What
/// a reader sees is its <see cref="InvoiceStatus"/>, which follows from this, the payments and the credit notes.</summary>
internal enum InvoiceState { Draft, Issued }
