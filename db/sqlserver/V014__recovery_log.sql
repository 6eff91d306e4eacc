-- A client's own recovery log (seed 000): sober days, setbacks with what happened and what was learnt, support meetings.
CREATE TABLE dbo.RecoveryEntries (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_RecoveryEntries PRIMARY KEY,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_RecoveryEntries_Practices REFERENCES dbo.Practices (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_RecoveryEntries_Clients REFERENCES dbo.Clients (Id),
    EntryDate DATE NOT NULL,
    Kind NVARCHAR(20) NOT NULL CONSTRAINT CK_RecoveryEntries_Kind CHECK (Kind IN ('sober_day', 'setback', 'meeting')),
    WhatHappened NVARCHAR(2000) NULL,
    WhatILearnt NVARCHAR(2000) NULL,
    Meeting NVARCHAR(200) NULL,
    RecordedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL
);
GO
CREATE INDEX IX_RecoveryEntries_PracticeId_ClientId ON dbo.RecoveryEntries (PracticeId, ClientId, EntryDate, Id);
GO
-- One sober day per day.
CREATE UNIQUE INDEX UX_RecoveryEntries_SoberDay ON dbo.RecoveryEntries (ClientId, EntryDate) WHERE Kind = 'sober_day';
GO
-- Whether the client shares the log with their partner: their choice alone, off until they turn it on.
CREATE TABLE dbo.RecoveryLogSharing (
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_RecoveryLogSharing PRIMARY KEY CONSTRAINT FK_RecoveryLogSharing_Clients REFERENCES dbo.Clients (Id),
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_RecoveryLogSharing_Practices REFERENCES dbo.Practices (Id),
    SharedWithPartner BIT NOT NULL,
    ChangedAt DATETIME2(7) NOT NULL
);
GO
