-- In step with SQLite's V016. On SQLite, read audits are committed to this inbox first (one narrow append per read) and
-- moved into AuditEvents and AuditEventClients in bulk; SQL Server has no single writer, so it writes read audits
-- straight into the audit tables and leaves this table empty.
CREATE TABLE dbo.AuditInbox (
    Seq BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT PK_AuditInbox PRIMARY KEY,
    Id UNIQUEIDENTIFIER NOT NULL,
    PracticeId UNIQUEIDENTIFIER NULL,
    OccurredAt DATETIME2(7) NOT NULL,
    ActorKind NVARCHAR(20) NOT NULL,
    ActorId UNIQUEIDENTIFIER NULL,
    TokenId UNIQUEIDENTIFIER NULL,
    Action NVARCHAR(20) NOT NULL,
    ResourceType NVARCHAR(50) NOT NULL,
    ResourceId UNIQUEIDENTIFIER NULL,
    Outcome NVARCHAR(20) NOT NULL,
    SourceIp NVARCHAR(64) NULL,
    RequestId NVARCHAR(100) NULL,
    Detail NVARCHAR(400) NULL,
    ClientIds NVARCHAR(MAX) NULL
);
GO

-- Each event keeps its clients' ids (a JSON array), so listing an event's clients reads the event alone, and the client
-- rows need no key by event: they are keyed the way they are searched (practice, client, time), as in SQLite.
ALTER TABLE dbo.AuditEvents ADD ClientIds NVARCHAR(MAX) NULL;
GO

DISABLE TRIGGER dbo.TR_AuditEvents_AppendOnly ON dbo.AuditEvents;
GO

UPDATE e SET ClientIds = c.Ids
FROM dbo.AuditEvents e
JOIN (SELECT AuditEventId, N'[' + STRING_AGG(CAST(N'"' + UPPER(CONVERT(NVARCHAR(36), ClientId)) + N'"' AS NVARCHAR(MAX)), N',') + N']' AS Ids
      FROM dbo.AuditEventClients GROUP BY AuditEventId) c ON c.AuditEventId = e.Id;
GO

ENABLE TRIGGER dbo.TR_AuditEvents_AppendOnly ON dbo.AuditEvents;
GO

ALTER TABLE dbo.AuditEventClients DROP CONSTRAINT PK_AuditEventClients;
GO

DROP INDEX IX_AuditEventClients_PracticeId_ClientId ON dbo.AuditEventClients;
GO

ALTER TABLE dbo.AuditEventClients ADD CONSTRAINT PK_AuditEventClients PRIMARY KEY CLUSTERED (PracticeId, ClientId, OccurredAt, AuditEventId);
GO
