-- Invoicing for a self-pay practice: fee schedules versioned by the date they take effect, who pays (a client's billing
-- details; for a couple, the responsible partner or a 50/50 split), invoices and credit notes with their lines, the claim
-- that bills a session to a payer at most once, the gap-free number sequence per practice and year, and payments.
-- Amounts are integer euro cents.
CREATE TABLE FeeSchedules (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ValidFrom TEXT NOT NULL,
    Fees TEXT NOT NULL,
    LateCancelCents INTEGER NOT NULL CHECK (LateCancelCents >= 0),
    NoShowCents INTEGER NOT NULL CHECK (NoShowCents >= 0),
    VatRateBasisPoints INTEGER NULL CHECK (VatRateBasisPoints BETWEEN 0 AND 10000),
    VatExemption TEXT NULL,
    PaymentTermDays INTEGER NOT NULL CHECK (PaymentTermDays BETWEEN 0 AND 365),
    CreatedBy TEXT NULL,
    CreatedAt TEXT NOT NULL,
    CHECK ((VatRateBasisPoints IS NULL) <> (VatExemption IS NULL))
);
CREATE UNIQUE INDEX UX_FeeSchedules_PracticeId_ValidFrom ON FeeSchedules (PracticeId, ValidFrom);

CREATE TABLE BillingDetails (
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    Name TEXT NOT NULL,
    Address TEXT NOT NULL,
    Email TEXT NULL,
    UpdatedAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, ClientId)
);

CREATE TABLE CoupleBilling (
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    PayerId TEXT NULL REFERENCES Clients (Id),
    UpdatedAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, CoupleId)
);

CREATE TABLE Invoices (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    Kind TEXT NOT NULL CHECK (Kind IN ('invoice', 'credit_note')),
    State TEXT NOT NULL CHECK (State IN ('draft', 'issued')),
    PayerId TEXT NOT NULL REFERENCES Clients (Id),
    PeriodFrom TEXT NOT NULL,
    PeriodTo TEXT NOT NULL,
    CreditsInvoiceId TEXT NULL REFERENCES Invoices (Id),
    Reason TEXT NULL,
    Number TEXT NULL,
    IssuedOn TEXT NULL,
    DueOn TEXT NULL,
    PayerName TEXT NULL,
    PayerAddress TEXT NULL,
    PayerEmail TEXT NULL,
    VatExemption TEXT NULL,
    NetCents INTEGER NOT NULL,
    VatCents INTEGER NOT NULL,
    CreatedBy TEXT NULL,
    CreatedAt TEXT NOT NULL,
    OverdueAnnouncedAt TEXT NULL,
    IssuedAt TEXT NULL
);
-- The overdue watch reads across practices (a background round), not a list of the API.
CREATE INDEX IX_Invoices_OverdueWatch ON Invoices (State, OverdueAnnouncedAt, DueOn);
CREATE INDEX IX_Invoices_PracticeId_Id ON Invoices (PracticeId, Id);
CREATE INDEX IX_Invoices_PracticeId_PayerId ON Invoices (PracticeId, PayerId, Id);
CREATE INDEX IX_Invoices_PracticeId_DueOn ON Invoices (PracticeId, State, DueOn, Id);
CREATE UNIQUE INDEX UX_Invoices_PracticeId_Number ON Invoices (PracticeId, Number) WHERE Number IS NOT NULL;

CREATE TABLE InvoiceLines (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    InvoiceId TEXT NOT NULL REFERENCES Invoices (Id),
    Position INTEGER NOT NULL,
    SessionId TEXT NOT NULL REFERENCES Sessions (Id),
    CreditsLineId TEXT NULL REFERENCES InvoiceLines (Id),
    ServiceDate TEXT NOT NULL,
    Charge TEXT NOT NULL CHECK (Charge IN ('session', 'late_cancellation', 'no_show')),
    SessionKind TEXT NOT NULL,
    DurationMinutes INTEGER NOT NULL,
    ShareBasisPoints INTEGER NOT NULL CHECK (ShareBasisPoints IN (5000, 10000)),
    NetCents INTEGER NOT NULL,
    VatCents INTEGER NOT NULL
);
CREATE INDEX IX_InvoiceLines_PracticeId_InvoiceId ON InvoiceLines (PracticeId, InvoiceId, Position);

-- A session billed to a payer: claimed when its invoice is issued, released by a credit note. The key is the rule that a
-- session is on at most one issued invoice per payer, whichever request or instance came first.
CREATE TABLE SessionBillings (
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    SessionId TEXT NOT NULL REFERENCES Sessions (Id),
    PayerId TEXT NOT NULL REFERENCES Clients (Id),
    LineId TEXT NOT NULL REFERENCES InvoiceLines (Id),
    PRIMARY KEY (PracticeId, SessionId, PayerId)
);

CREATE TABLE InvoiceSequences (
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    Year INTEGER NOT NULL,
    LastNumber INTEGER NOT NULL,
    PRIMARY KEY (PracticeId, Year)
);

CREATE TABLE Payments (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    InvoiceId TEXT NOT NULL REFERENCES Invoices (Id),
    AmountCents INTEGER NOT NULL CHECK (AmountCents > 0),
    PaidOn TEXT NOT NULL,
    Method TEXT NOT NULL CHECK (Method IN ('bank_transfer', 'card', 'cash', 'direct_debit', 'other')),
    Reference TEXT NULL,
    RecordedBy TEXT NULL,
    RecordedAt TEXT NOT NULL
);
CREATE INDEX IX_Payments_PracticeId_InvoiceId ON Payments (PracticeId, InvoiceId, PaidOn);

-- What the practice prints on its invoices.
CREATE TABLE PracticeBillingProfiles (
    PracticeId TEXT NOT NULL PRIMARY KEY REFERENCES Practices (Id),
    LegalName TEXT NOT NULL,
    Address TEXT NOT NULL,
    Email TEXT NULL,
    Iban TEXT NULL,
    KvkNumber TEXT NULL,
    AgbCode TEXT NULL,
    BigNumber TEXT NULL,
    UpdatedAt TEXT NOT NULL
);
