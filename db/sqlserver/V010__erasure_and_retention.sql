-- Erasure requests (AVG art. 17, WGBO art. 7:455): recorded, then executed or refused by an admin with a reason.
CREATE TABLE dbo.ErasureRequests (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_ErasureRequests PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ErasureRequests_Practices REFERENCES dbo.Practices (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ErasureRequests_Clients REFERENCES dbo.Clients (Id),
    RequestedBy NVARCHAR(200) NOT NULL,
    RequestedAt DATETIME2(7) NOT NULL,
    RecordedBy UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ErasureRequests_RecordedBy REFERENCES dbo.Therapists (Id),
    Status NVARCHAR(20) NOT NULL CONSTRAINT CK_ErasureRequests_Status CHECK (Status IN ('requested', 'refused', 'executed')),
    RefusalReason NVARCHAR(40) NULL CONSTRAINT CK_ErasureRequests_RefusalReason CHECK (RefusalReason IN ('significant_interest_of_another', 'legal_hold', 'other')),
    Explanation NVARCHAR(2000) NULL,
    DecidedBy UNIQUEIDENTIFIER NULL CONSTRAINT FK_ErasureRequests_DecidedBy REFERENCES dbo.Therapists (Id),
    DecidedAt DATETIME2(7) NULL
);
GO
CREATE CLUSTERED INDEX IX_ErasureRequests_PracticeId_RequestedAt ON dbo.ErasureRequests (PracticeId, RequestedAt, Id);
GO
ALTER TABLE dbo.Clients ADD ErasedAt DATETIME2(7) NULL;
GO
CREATE INDEX IX_Clients_PracticeId_Status_UpdatedAt ON dbo.Clients (PracticeId, Status, UpdatedAt, Id);
GO
DROP TRIGGER dbo.TR_SessionNoteAddenda_AppendOnly;
GO
-- Addenda stay append-only, except that an erasure removes those on an erased client's own sessions.
CREATE TRIGGER dbo.TR_SessionNoteAddenda_AppendOnly ON dbo.SessionNoteAddenda INSTEAD OF UPDATE, DELETE
AS BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM inserted)
       OR EXISTS (SELECT 1 FROM deleted d WHERE NOT EXISTS (
              SELECT 1 FROM dbo.Sessions s JOIN dbo.Clients c ON c.Id = s.ClientId WHERE s.Id = d.SessionId AND c.ErasedAt IS NOT NULL))
        THROW 51000, N'note addenda are append-only', 1;
    DELETE a FROM dbo.SessionNoteAddenda a JOIN deleted d ON d.Id = a.Id;
END;
GO
