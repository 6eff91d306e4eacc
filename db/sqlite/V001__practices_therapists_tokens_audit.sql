-- Tenants, their users, API tokens and the append-only audit trail.
CREATE TABLE Practices (
    Id TEXT NOT NULL PRIMARY KEY,
    Name TEXT NOT NULL,
    CreatedAt TEXT NOT NULL
);

CREATE TABLE Therapists (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    Name TEXT NOT NULL,
    Email TEXT NOT NULL,
    Role TEXT NOT NULL CHECK (Role IN ('admin', 'therapist')),
    IsActive INTEGER NOT NULL DEFAULT 1,
    Version INTEGER NOT NULL DEFAULT 1,
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_Therapists_PracticeId_Email ON Therapists (PracticeId, Email);
CREATE UNIQUE INDEX UX_Therapists_PracticeId_Id ON Therapists (PracticeId, Id);

CREATE TABLE ApiTokens (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    Kind TEXT NOT NULL CHECK (Kind IN ('user', 'integration', 'client')),
    Name TEXT NOT NULL,
    TokenHash TEXT NOT NULL,
    TherapistId TEXT NULL REFERENCES Therapists (Id),
    Scopes TEXT NULL,
    CreatedAt TEXT NOT NULL,
    CreatedBy TEXT NULL,
    ExpiresAt TEXT NULL,
    RevokedAt TEXT NULL,
    LastUsedAt TEXT NULL
);
CREATE UNIQUE INDEX UX_ApiTokens_TokenHash ON ApiTokens (TokenHash);
CREATE UNIQUE INDEX UX_ApiTokens_PracticeId_Id ON ApiTokens (PracticeId, Id);
CREATE INDEX IX_ApiTokens_PracticeId_TherapistId ON ApiTokens (PracticeId, TherapistId);

CREATE TABLE AuditEvents (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NULL,
    OccurredAt TEXT NOT NULL,
    ActorKind TEXT NOT NULL,
    ActorId TEXT NULL,
    TokenId TEXT NULL,
    Action TEXT NOT NULL,
    ResourceType TEXT NOT NULL,
    ResourceId TEXT NULL,
    Outcome TEXT NOT NULL,
    SourceIp TEXT NULL,
    RequestId TEXT NULL,
    Detail TEXT NULL
);
CREATE INDEX IX_AuditEvents_PracticeId_OccurredAt ON AuditEvents (PracticeId, OccurredAt, Id);
CREATE INDEX IX_AuditEvents_PracticeId_ActorId ON AuditEvents (PracticeId, ActorId, OccurredAt, Id);

CREATE TABLE AuditEventClients (
    AuditEventId TEXT NOT NULL REFERENCES AuditEvents (Id),
    PracticeId TEXT NOT NULL,
    ClientId TEXT NOT NULL,
    OccurredAt TEXT NOT NULL,
    PRIMARY KEY (AuditEventId, ClientId)
);
CREATE INDEX IX_AuditEventClients_PracticeId_ClientId ON AuditEventClients (PracticeId, ClientId, OccurredAt, AuditEventId);

-- The audit trail is append-only, whatever the caller.
CREATE TRIGGER TR_AuditEvents_NoUpdate BEFORE UPDATE ON AuditEvents
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEvents_NoDelete BEFORE DELETE ON AuditEvents
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEventClients_NoUpdate BEFORE UPDATE ON AuditEventClients
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEventClients_NoDelete BEFORE DELETE ON AuditEventClients
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
