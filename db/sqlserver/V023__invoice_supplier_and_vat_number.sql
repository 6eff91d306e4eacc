-- An issued invoice keeps the practice details it was issued with (the printable page and the UBL document print them,
-- whatever the profile says later); invoices issued before this migration print the current profile.
ALTER TABLE dbo.Invoices ADD Supplier NVARCHAR(MAX) NULL;
GO

-- The practice's VAT identification number (btw-id): printed on invoices, and the e-invoice needs it for exempt and taxed lines alike.
ALTER TABLE dbo.PracticeBillingProfiles ADD VatNumber NVARCHAR(20) NULL;
GO

-- Every invoice read sums its credit notes: they are found through this index, not by scanning the practice's invoices.
CREATE INDEX IX_Invoices_PracticeId_CreditsInvoiceId ON dbo.Invoices (PracticeId, CreditsInvoiceId) WHERE CreditsInvoiceId IS NOT NULL;
GO

-- Each line keeps the VAT rate it was priced at (null: no VAT, the invoice states the exemption); the e-invoice names a
-- tax category and rate per line. Lines stored before this migration take the rate of the fee schedule of their day, the
-- rule they were priced by.
ALTER TABLE dbo.InvoiceLines ADD VatRateBasisPoints INT NULL;
GO
UPDATE l SET VatRateBasisPoints = (
    SELECT TOP (1) f.VatRateBasisPoints FROM dbo.FeeSchedules f
    WHERE f.PracticeId = l.PracticeId AND f.ValidFrom <= l.ServiceDate
    ORDER BY f.ValidFrom DESC)
FROM dbo.InvoiceLines l;
GO
