-- Invoicing for a self-pay practice: fee schedules versioned by the date they take effect, who pays (a client's billing
-- details; for a couple, the responsible partner or a 50/50 split), invoices and credit notes with their lines, the claim
-- that bills a session to a payer at most once, the gap-free number sequence per practice and year, and payments.
-- Amounts are integer euro cents.
CREATE TABLE dbo.FeeSchedules (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_FeeSchedules PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_FeeSchedules_Practices REFERENCES dbo.Practices (Id),
    ValidFrom DATE NOT NULL,
    Fees NVARCHAR(4000) NOT NULL,
    LateCancelCents INT NOT NULL CONSTRAINT CK_FeeSchedules_LateCancelCents CHECK (LateCancelCents >= 0),
    NoShowCents INT NOT NULL CONSTRAINT CK_FeeSchedules_NoShowCents CHECK (NoShowCents >= 0),
    VatRateBasisPoints INT NULL CONSTRAINT CK_FeeSchedules_VatRate CHECK (VatRateBasisPoints BETWEEN 0 AND 10000),
    VatExemption NVARCHAR(500) NULL,
    PaymentTermDays INT NOT NULL CONSTRAINT CK_FeeSchedules_PaymentTermDays CHECK (PaymentTermDays BETWEEN 0 AND 365),
    CreatedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    CONSTRAINT CK_FeeSchedules_Vat CHECK ((VatRateBasisPoints IS NULL AND VatExemption IS NOT NULL) OR (VatRateBasisPoints IS NOT NULL AND VatExemption IS NULL))
);
GO
CREATE UNIQUE CLUSTERED INDEX UX_FeeSchedules_PracticeId_ValidFrom ON dbo.FeeSchedules (PracticeId, ValidFrom);
GO
CREATE TABLE dbo.BillingDetails (
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_BillingDetails_Practices REFERENCES dbo.Practices (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_BillingDetails_Clients REFERENCES dbo.Clients (Id),
    Name NVARCHAR(200) NOT NULL,
    Address NVARCHAR(500) NOT NULL,
    Email NVARCHAR(320) NULL,
    UpdatedAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_BillingDetails PRIMARY KEY (PracticeId, ClientId)
);
GO
CREATE TABLE dbo.CoupleBilling (
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_CoupleBilling_Practices REFERENCES dbo.Practices (Id),
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_CoupleBilling_Couples REFERENCES dbo.Couples (Id),
    PayerId UNIQUEIDENTIFIER NULL CONSTRAINT FK_CoupleBilling_Clients REFERENCES dbo.Clients (Id),
    UpdatedAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_CoupleBilling PRIMARY KEY (PracticeId, CoupleId)
);
GO
CREATE TABLE dbo.Invoices (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Invoices PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Invoices_Practices REFERENCES dbo.Practices (Id),
    Kind NVARCHAR(20) NOT NULL CONSTRAINT CK_Invoices_Kind CHECK (Kind IN ('invoice', 'credit_note')),
    State NVARCHAR(10) NOT NULL CONSTRAINT CK_Invoices_State CHECK (State IN ('draft', 'issued')),
    PayerId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Invoices_Clients REFERENCES dbo.Clients (Id),
    PeriodFrom DATE NOT NULL,
    PeriodTo DATE NOT NULL,
    CreditsInvoiceId UNIQUEIDENTIFIER NULL CONSTRAINT FK_Invoices_Credits REFERENCES dbo.Invoices (Id),
    Reason NVARCHAR(500) NULL,
    Number NVARCHAR(20) NULL,
    IssuedOn DATE NULL,
    DueOn DATE NULL,
    PayerName NVARCHAR(200) NULL,
    PayerAddress NVARCHAR(500) NULL,
    PayerEmail NVARCHAR(320) NULL,
    VatExemption NVARCHAR(500) NULL,
    NetCents INT NOT NULL,
    VatCents INT NOT NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    OverdueAnnouncedAt DATETIME2(7) NULL,
    IssuedAt DATETIME2(7) NULL
);
GO
CREATE CLUSTERED INDEX IX_Invoices_PracticeId_Id ON dbo.Invoices (PracticeId, Id);
GO
-- The overdue watch reads across practices (a background round), not a list of the API.
CREATE INDEX IX_Invoices_OverdueWatch ON dbo.Invoices (State, OverdueAnnouncedAt, DueOn);
GO
CREATE INDEX IX_Invoices_PracticeId_PayerId ON dbo.Invoices (PracticeId, PayerId, Id);
GO
CREATE INDEX IX_Invoices_PracticeId_DueOn ON dbo.Invoices (PracticeId, State, DueOn, Id);
GO
CREATE UNIQUE INDEX UX_Invoices_PracticeId_Number ON dbo.Invoices (PracticeId, Number) WHERE Number IS NOT NULL;
GO
CREATE TABLE dbo.InvoiceLines (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_InvoiceLines PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_InvoiceLines_Practices REFERENCES dbo.Practices (Id),
    InvoiceId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_InvoiceLines_Invoices REFERENCES dbo.Invoices (Id),
    Position INT NOT NULL,
    SessionId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_InvoiceLines_Sessions REFERENCES dbo.Sessions (Id),
    CreditsLineId UNIQUEIDENTIFIER NULL CONSTRAINT FK_InvoiceLines_Credits REFERENCES dbo.InvoiceLines (Id),
    ServiceDate DATE NOT NULL,
    Charge NVARCHAR(20) NOT NULL CONSTRAINT CK_InvoiceLines_Charge CHECK (Charge IN ('session', 'late_cancellation', 'no_show')),
    SessionKind NVARCHAR(20) NOT NULL,
    DurationMinutes INT NOT NULL,
    ShareBasisPoints INT NOT NULL CONSTRAINT CK_InvoiceLines_Share CHECK (ShareBasisPoints IN (5000, 10000)),
    NetCents INT NOT NULL,
    VatCents INT NOT NULL
);
GO
CREATE CLUSTERED INDEX IX_InvoiceLines_PracticeId_InvoiceId ON dbo.InvoiceLines (PracticeId, InvoiceId, Position);
GO
-- A session billed to a payer: claimed when its invoice is issued, released by a credit note. The key is the rule that a
-- session is on at most one issued invoice per payer, whichever request or instance came first.
CREATE TABLE dbo.SessionBillings (
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionBillings_Practices REFERENCES dbo.Practices (Id),
    SessionId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionBillings_Sessions REFERENCES dbo.Sessions (Id),
    PayerId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionBillings_Clients REFERENCES dbo.Clients (Id),
    LineId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionBillings_InvoiceLines REFERENCES dbo.InvoiceLines (Id),
    CONSTRAINT PK_SessionBillings PRIMARY KEY (PracticeId, SessionId, PayerId)
);
GO
CREATE TABLE dbo.InvoiceSequences (
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_InvoiceSequences_Practices REFERENCES dbo.Practices (Id),
    Year INT NOT NULL,
    LastNumber INT NOT NULL,
    CONSTRAINT PK_InvoiceSequences PRIMARY KEY (PracticeId, Year)
);
GO
CREATE TABLE dbo.Payments (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Payments PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Payments_Practices REFERENCES dbo.Practices (Id),
    InvoiceId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Payments_Invoices REFERENCES dbo.Invoices (Id),
    AmountCents INT NOT NULL CONSTRAINT CK_Payments_AmountCents CHECK (AmountCents > 0),
    PaidOn DATE NOT NULL,
    Method NVARCHAR(20) NOT NULL CONSTRAINT CK_Payments_Method CHECK (Method IN ('bank_transfer', 'card', 'cash', 'direct_debit', 'other')),
    Reference NVARCHAR(200) NULL,
    RecordedBy UNIQUEIDENTIFIER NULL,
    RecordedAt DATETIME2(7) NOT NULL
);
GO
CREATE CLUSTERED INDEX IX_Payments_PracticeId_InvoiceId ON dbo.Payments (PracticeId, InvoiceId, PaidOn);
GO
-- What the practice prints on its invoices.
CREATE TABLE dbo.PracticeBillingProfiles (
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_PracticeBillingProfiles PRIMARY KEY CONSTRAINT FK_PracticeBillingProfiles_Practices REFERENCES dbo.Practices (Id),
    LegalName NVARCHAR(200) NOT NULL,
    Address NVARCHAR(500) NOT NULL,
    Email NVARCHAR(320) NULL,
    Iban NVARCHAR(34) NULL,
    KvkNumber NVARCHAR(20) NULL,
    AgbCode NVARCHAR(20) NULL,
    BigNumber NVARCHAR(20) NULL,
    UpdatedAt DATETIME2(7) NOT NULL
);
GO
