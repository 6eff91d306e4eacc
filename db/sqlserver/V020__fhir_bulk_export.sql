-- FHIR Bulk Data export (the async pattern): a job per kick-off, run by one instance at a time under a lease, and its
-- NDJSON files, one per resource type, encrypted at rest (they carry clinical text) and deleted when they expire.
CREATE TABLE dbo.BulkExports (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_BulkExports PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_BulkExports_Practices REFERENCES dbo.Practices (Id),
    TokenId UNIQUEIDENTIFIER NOT NULL,
    Requester UNIQUEIDENTIFIER NOT NULL,
    CallerKind NVARCHAR(20) NOT NULL,
    TherapistId UNIQUEIDENTIFIER NULL,
    CallerRole NVARCHAR(20) NULL,
    CallerScopes NVARCHAR(2000) NOT NULL,
    Level NVARCHAR(10) NOT NULL CONSTRAINT CK_BulkExports_Level CHECK (Level IN ('system', 'patient', 'group')),
    GroupId UNIQUEIDENTIFIER NULL,
    Types NVARCHAR(500) NOT NULL,
    Since DATETIME2(7) NULL,
    RequestUrl NVARCHAR(2000) NOT NULL,
    Status NVARCHAR(20) NOT NULL CONSTRAINT CK_BulkExports_Status CHECK (Status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    Progress NVARCHAR(200) NULL,
    Error NVARCHAR(1000) NULL,
    LeaseOwner NVARCHAR(100) NULL,
    LeaseUntil DATETIME2(7) NULL,
    TransactionTime DATETIME2(7) NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    CompletedAt DATETIME2(7) NULL,
    ExpiresAt DATETIME2(7) NOT NULL
);
GO
CREATE CLUSTERED INDEX IX_BulkExports_PracticeId_Id ON dbo.BulkExports (PracticeId, Id);
GO
CREATE INDEX IX_BulkExports_Status ON dbo.BulkExports (Status, CreatedAt);
GO
CREATE INDEX IX_BulkExports_ExpiresAt ON dbo.BulkExports (ExpiresAt);
GO
CREATE TABLE dbo.BulkExportFiles (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_BulkExportFiles PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_BulkExportFiles_Practices REFERENCES dbo.Practices (Id),
    ExportId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_BulkExportFiles_BulkExports REFERENCES dbo.BulkExports (Id),
    ResourceType NVARCHAR(40) NOT NULL,
    Resources INT NOT NULL,
    ClientIds NVARCHAR(MAX) NOT NULL,
    Content NVARCHAR(MAX) NOT NULL,
    CreatedAt DATETIME2(7) NOT NULL
);
GO
CREATE CLUSTERED INDEX IX_BulkExportFiles_PracticeId_ExportId ON dbo.BulkExportFiles (PracticeId, ExportId, ResourceType);
GO
