-- Tenants, their users, API tokens and the append-only audit trail.
-- Primary keys are NONCLUSTERED: application GUIDs are not sequential in SQL Server's sort order.
CREATE TABLE dbo.Practices (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Practices PRIMARY KEY NONCLUSTERED,
    Name NVARCHAR(200) NOT NULL,
    CreatedAt DATETIME2(7) NOT NULL
);
GO

CREATE TABLE dbo.Therapists (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Therapists PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Therapists_Practices REFERENCES dbo.Practices (Id),
    Name NVARCHAR(200) NOT NULL,
    Email NVARCHAR(320) NOT NULL,
    Role NVARCHAR(20) NOT NULL CONSTRAINT CK_Therapists_Role CHECK (Role IN (N'admin', N'therapist')),
    IsActive BIT NOT NULL CONSTRAINT DF_Therapists_IsActive DEFAULT 1,
    Version INT NOT NULL CONSTRAINT DF_Therapists_Version DEFAULT 1,
    CreatedAt DATETIME2(7) NOT NULL,
    UpdatedAt DATETIME2(7) NOT NULL
);
CREATE UNIQUE INDEX UX_Therapists_PracticeId_Email ON dbo.Therapists (PracticeId, Email);
CREATE UNIQUE CLUSTERED INDEX UX_Therapists_PracticeId_Id ON dbo.Therapists (PracticeId, Id);
GO

CREATE TABLE dbo.ApiTokens (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_ApiTokens PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ApiTokens_Practices REFERENCES dbo.Practices (Id),
    Kind NVARCHAR(20) NOT NULL CONSTRAINT CK_ApiTokens_Kind CHECK (Kind IN (N'user', N'integration', N'client')),
    Name NVARCHAR(200) NOT NULL,
    TokenHash CHAR(64) NOT NULL,
    TherapistId UNIQUEIDENTIFIER NULL CONSTRAINT FK_ApiTokens_Therapists REFERENCES dbo.Therapists (Id),
    Scopes NVARCHAR(1000) NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    ExpiresAt DATETIME2(7) NULL,
    RevokedAt DATETIME2(7) NULL,
    LastUsedAt DATETIME2(7) NULL
);
CREATE UNIQUE INDEX UX_ApiTokens_TokenHash ON dbo.ApiTokens (TokenHash);
CREATE UNIQUE CLUSTERED INDEX UX_ApiTokens_PracticeId_Id ON dbo.ApiTokens (PracticeId, Id);
CREATE INDEX IX_ApiTokens_PracticeId_TherapistId ON dbo.ApiTokens (PracticeId, TherapistId);
GO

CREATE TABLE dbo.AuditEvents (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_AuditEvents PRIMARY KEY NONCLUSTERED,
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
    Detail NVARCHAR(400) NULL
);
CREATE CLUSTERED INDEX IX_AuditEvents_PracticeId_OccurredAt ON dbo.AuditEvents (PracticeId, OccurredAt, Id);
CREATE INDEX IX_AuditEvents_PracticeId_ActorId ON dbo.AuditEvents (PracticeId, ActorId, OccurredAt, Id);
GO

CREATE TABLE dbo.AuditEventClients (
    AuditEventId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_AuditEventClients_AuditEvents REFERENCES dbo.AuditEvents (Id),
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    ClientId UNIQUEIDENTIFIER NOT NULL,
    OccurredAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_AuditEventClients PRIMARY KEY NONCLUSTERED (AuditEventId, ClientId)
);
CREATE CLUSTERED INDEX IX_AuditEventClients_PracticeId_ClientId ON dbo.AuditEventClients (PracticeId, ClientId, OccurredAt, AuditEventId);
GO

-- The audit trail is append-only, whatever the caller.
CREATE TRIGGER dbo.TR_AuditEvents_AppendOnly ON dbo.AuditEvents INSTEAD OF UPDATE, DELETE
AS BEGIN
    SET NOCOUNT ON;
    THROW 51000, N'audit events are append-only', 1;
END;
GO

CREATE TRIGGER dbo.TR_AuditEventClients_AppendOnly ON dbo.AuditEventClients INSTEAD OF UPDATE, DELETE
AS BEGIN
    SET NOCOUNT ON;
    THROW 51000, N'audit events are append-only', 1;
END;
GO
