-- An issued invoice keeps the practice details it was issued with (the printable page and the UBL document print them,
-- whatever the profile says later); invoices issued before this migration print the current profile.
ALTER TABLE Invoices ADD COLUMN Supplier TEXT NULL;

-- The practice's VAT identification number (btw-id): printed on invoices, and the e-invoice needs it for exempt and taxed lines alike.
ALTER TABLE PracticeBillingProfiles ADD COLUMN VatNumber TEXT NULL;

-- Every invoice read sums its credit notes: they are found through this index, not by scanning the practice's invoices.
CREATE INDEX IX_Invoices_PracticeId_CreditsInvoiceId ON Invoices (PracticeId, CreditsInvoiceId) WHERE CreditsInvoiceId IS NOT NULL;

-- Each line keeps the VAT rate it was priced at (null: no VAT, the invoice states the exemption); the e-invoice names a
-- tax category and rate per line. Lines stored before this migration take the rate of the fee schedule of their day, the
-- rule they were priced by.
ALTER TABLE InvoiceLines ADD COLUMN VatRateBasisPoints INTEGER NULL;
UPDATE InvoiceLines SET VatRateBasisPoints = (
    SELECT f.VatRateBasisPoints FROM FeeSchedules f
    WHERE f.PracticeId = InvoiceLines.PracticeId AND f.ValidFrom <= InvoiceLines.ServiceDate
    ORDER BY f.ValidFrom DESC LIMIT 1);
