-- The clinical record: clients and their care teams, couples with their repair case, and sessions.
CREATE TABLE dbo.Clients (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Clients PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Clients_Practices REFERENCES dbo.Practices (Id),
    FirstName NVARCHAR(100) NOT NULL,
    LastName NVARCHAR(100) NOT NULL,
    SearchName NVARCHAR(201) NOT NULL,
    DateOfBirth DATE NULL,
    Email NVARCHAR(320) NULL,
    Phone NVARCHAR(40) NULL,
    PreferredLanguage NVARCHAR(2) NOT NULL CONSTRAINT CK_Clients_Language CHECK (PreferredLanguage IN (N'nl', N'en')),
    Pronouns NVARCHAR(40) NULL,
    Status NVARCHAR(20) NOT NULL CONSTRAINT CK_Clients_Status CHECK (Status IN (N'active', N'discharged')),
    Version INT NOT NULL CONSTRAINT DF_Clients_Version DEFAULT 1,
    CreatedAt DATETIME2(7) NOT NULL,
    UpdatedAt DATETIME2(7) NOT NULL
);
CREATE UNIQUE CLUSTERED INDEX UX_Clients_PracticeId_Id ON dbo.Clients (PracticeId, Id);
GO

CREATE TABLE dbo.ClientIdentifiers (
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    System NVARCHAR(300) NOT NULL,
    Value NVARCHAR(200) NOT NULL,
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ClientIdentifiers_Clients REFERENCES dbo.Clients (Id),
    CONSTRAINT PK_ClientIdentifiers PRIMARY KEY CLUSTERED (PracticeId, System, Value)
);
CREATE INDEX IX_ClientIdentifiers_PracticeId_ClientId ON dbo.ClientIdentifiers (PracticeId, ClientId);
GO

CREATE TABLE dbo.CareTeam (
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_CareTeam_Clients REFERENCES dbo.Clients (Id),
    TherapistId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_CareTeam_Therapists REFERENCES dbo.Therapists (Id),
    CONSTRAINT PK_CareTeam PRIMARY KEY CLUSTERED (PracticeId, ClientId, TherapistId)
);
CREATE UNIQUE INDEX UX_CareTeam_PracticeId_TherapistId ON dbo.CareTeam (PracticeId, TherapistId, ClientId);
GO

CREATE TABLE dbo.Couples (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Couples PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Couples_Practices REFERENCES dbo.Practices (Id),
    PartnerAId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Couples_PartnerA REFERENCES dbo.Clients (Id),
    PartnerBId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Couples_PartnerB REFERENCES dbo.Clients (Id),
    PairKey NVARCHAR(80) NOT NULL,
    PartnerARole NVARCHAR(20) NOT NULL CONSTRAINT CK_Couples_PartnerARole CHECK (PartnerARole IN (N'breaching', N'hurt', N'in_recovery', N'partner')),
    PartnerBRole NVARCHAR(20) NOT NULL CONSTRAINT CK_Couples_PartnerBRole CHECK (PartnerBRole IN (N'breaching', N'hurt', N'in_recovery', N'partner')),
    BreachType NVARCHAR(40) NOT NULL,
    DisclosedOn DATE NULL,
    StartedOn DATE NOT NULL,
    Status NVARCHAR(20) NOT NULL CONSTRAINT CK_Couples_Status CHECK (Status IN (N'active', N'paused', N'closed')),
    CurrentStep INT NOT NULL CONSTRAINT CK_Couples_CurrentStep CHECK (CurrentStep BETWEEN 1 AND 7),
    StepChangedAt DATETIME2(7) NOT NULL,
    SafetyHold BIT NOT NULL CONSTRAINT DF_Couples_SafetyHold DEFAULT 0,
    ClosedAt DATETIME2(7) NULL,
    Version INT NOT NULL CONSTRAINT DF_Couples_Version DEFAULT 1,
    CreatedAt DATETIME2(7) NOT NULL,
    UpdatedAt DATETIME2(7) NOT NULL,
    CONSTRAINT CK_Couples_TwoPeople CHECK (PartnerAId <> PartnerBId)
);
CREATE UNIQUE CLUSTERED INDEX UX_Couples_PracticeId_Id ON dbo.Couples (PracticeId, Id);
CREATE INDEX IX_Couples_PracticeId_PartnerAId ON dbo.Couples (PracticeId, PartnerAId);
CREATE INDEX IX_Couples_PracticeId_PartnerBId ON dbo.Couples (PracticeId, PartnerBId);
-- One open (active or paused) couple per pair of people.
CREATE UNIQUE INDEX UX_Couples_OpenPair ON dbo.Couples (PracticeId, PairKey) WHERE Status IN (N'active', N'paused');
GO

CREATE TABLE dbo.CoupleStepChanges (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_CoupleStepChanges PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_CoupleStepChanges_Couples REFERENCES dbo.Couples (Id),
    FromStep INT NULL,
    ToStep INT NOT NULL,
    Note NVARCHAR(2000) NULL,
    ChangedBy UNIQUEIDENTIFIER NULL,
    ChangedAt DATETIME2(7) NOT NULL
);
CREATE CLUSTERED INDEX IX_CoupleStepChanges_PracticeId_CoupleId ON dbo.CoupleStepChanges (PracticeId, CoupleId, ChangedAt, Id);
GO

CREATE TABLE dbo.CoupleBreaches (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_CoupleBreaches PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_CoupleBreaches_Couples REFERENCES dbo.Couples (Id),
    OccurredOn DATE NOT NULL,
    BreachType NVARCHAR(40) NOT NULL,
    Note NVARCHAR(2000) NULL,
    RecordedBy UNIQUEIDENTIFIER NULL,
    RecordedAt DATETIME2(7) NOT NULL
);
CREATE CLUSTERED INDEX IX_CoupleBreaches_PracticeId_CoupleId ON dbo.CoupleBreaches (PracticeId, CoupleId, RecordedAt, Id);
GO

CREATE TABLE dbo.SafetyScreenings (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_SafetyScreenings PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SafetyScreenings_Couples REFERENCES dbo.Couples (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SafetyScreenings_Clients REFERENCES dbo.Clients (Id),
    AbuseOrDanger BIT NOT NULL,
    UntreatedAddiction BIT NOT NULL,
    Notes NVARCHAR(4000) NULL,
    ScreenedBy UNIQUEIDENTIFIER NULL,
    ScreenedAt DATETIME2(7) NOT NULL
);
CREATE CLUSTERED INDEX IX_SafetyScreenings_PracticeId_CoupleId ON dbo.SafetyScreenings (PracticeId, CoupleId, ScreenedAt, Id);
GO

CREATE TABLE dbo.Sessions (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Sessions PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Sessions_Practices REFERENCES dbo.Practices (Id),
    TherapistId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Sessions_Therapists REFERENCES dbo.Therapists (Id),
    ClientId UNIQUEIDENTIFIER NULL CONSTRAINT FK_Sessions_Clients REFERENCES dbo.Clients (Id),
    CoupleId UNIQUEIDENTIFIER NULL CONSTRAINT FK_Sessions_Couples REFERENCES dbo.Couples (Id),
    Kind NVARCHAR(20) NOT NULL CONSTRAINT CK_Sessions_Kind CHECK (Kind IN (N'intake', N'individual', N'couple', N'family')),
    Modality NVARCHAR(20) NOT NULL CONSTRAINT CK_Sessions_Modality CHECK (Modality IN (N'in_person', N'video', N'phone')),
    StartsAt DATETIME2(7) NOT NULL,
    EndsAt DATETIME2(7) NOT NULL,
    DurationMinutes INT NOT NULL,
    Status NVARCHAR(20) NOT NULL CONSTRAINT CK_Sessions_Status CHECK (Status IN (N'scheduled', N'completed', N'cancelled', N'late_cancelled', N'no_show')),
    CancelReason NVARCHAR(500) NULL,
    CancelledByClient BIT NULL,
    CancelledAt DATETIME2(7) NULL,
    CompletedAt DATETIME2(7) NULL,
    NoteFormat NVARCHAR(10) NULL,
    NoteSections NVARCHAR(MAX) NULL,
    Version INT NOT NULL CONSTRAINT DF_Sessions_Version DEFAULT 1,
    CreatedAt DATETIME2(7) NOT NULL,
    UpdatedAt DATETIME2(7) NOT NULL,
    CONSTRAINT CK_Sessions_OneSubject CHECK ((ClientId IS NULL AND CoupleId IS NOT NULL) OR (ClientId IS NOT NULL AND CoupleId IS NULL))
);
CREATE UNIQUE CLUSTERED INDEX UX_Sessions_PracticeId_StartsAt ON dbo.Sessions (PracticeId, StartsAt, Id);
CREATE INDEX IX_Sessions_PracticeId_TherapistId ON dbo.Sessions (PracticeId, TherapistId, StartsAt, Id);
CREATE INDEX IX_Sessions_PracticeId_CoupleId ON dbo.Sessions (PracticeId, CoupleId, StartsAt, Id);
GO

-- Who a session is with (the client, or both partners): drives client filters and caseload checks.
CREATE TABLE dbo.SessionClients (
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    SessionId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionClients_Sessions REFERENCES dbo.Sessions (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionClients_Clients REFERENCES dbo.Clients (Id),
    StartsAt DATETIME2(7) NOT NULL,
    Attended BIT NULL,
    CONSTRAINT PK_SessionClients PRIMARY KEY NONCLUSTERED (SessionId, ClientId)
);
CREATE CLUSTERED INDEX IX_SessionClients_PracticeId_ClientId ON dbo.SessionClients (PracticeId, ClientId, StartsAt, SessionId);
GO

CREATE TABLE dbo.SessionIdentifiers (
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    System NVARCHAR(300) NOT NULL,
    Value NVARCHAR(200) NOT NULL,
    SessionId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionIdentifiers_Sessions REFERENCES dbo.Sessions (Id),
    CONSTRAINT PK_SessionIdentifiers PRIMARY KEY CLUSTERED (PracticeId, System, Value)
);
CREATE INDEX IX_SessionIdentifiers_PracticeId_SessionId ON dbo.SessionIdentifiers (PracticeId, SessionId);
GO
