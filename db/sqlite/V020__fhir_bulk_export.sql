-- FHIR Bulk Data export (the async pattern): a job per kick-off, run by one instance at a time under a lease, and its
-- NDJSON files, one per resource type, encrypted at rest (they carry clinical text) and deleted when they expire.
CREATE TABLE BulkExports (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    TokenId TEXT NOT NULL,
    Requester TEXT NOT NULL,
    CallerKind TEXT NOT NULL,
    TherapistId TEXT NULL,
    CallerRole TEXT NULL,
    CallerScopes TEXT NOT NULL,
    Level TEXT NOT NULL CHECK (Level IN ('system', 'patient', 'group')),
    GroupId TEXT NULL,
    Types TEXT NOT NULL,
    Since TEXT NULL,
    RequestUrl TEXT NOT NULL,
    Status TEXT NOT NULL CHECK (Status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    Progress TEXT NULL,
    Error TEXT NULL,
    LeaseOwner TEXT NULL,
    LeaseUntil TEXT NULL,
    TransactionTime TEXT NULL,
    CreatedAt TEXT NOT NULL,
    CompletedAt TEXT NULL,
    ExpiresAt TEXT NOT NULL
);
CREATE INDEX IX_BulkExports_PracticeId_Id ON BulkExports (PracticeId, Id);
CREATE INDEX IX_BulkExports_Status ON BulkExports (Status, CreatedAt);
CREATE INDEX IX_BulkExports_ExpiresAt ON BulkExports (ExpiresAt);

CREATE TABLE BulkExportFiles (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ExportId TEXT NOT NULL REFERENCES BulkExports (Id),
    ResourceType TEXT NOT NULL,
    Resources INTEGER NOT NULL,
    ClientIds TEXT NOT NULL,
    Content TEXT NOT NULL,
    CreatedAt TEXT NOT NULL
);
CREATE INDEX IX_BulkExportFiles_PracticeId_ExportId ON BulkExportFiles (PracticeId, ExportId, ResourceType);
