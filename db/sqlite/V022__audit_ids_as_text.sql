-- One encoding for every id: the audit tables keep their ids as the rest of the database does, 36-character upper-case
-- text, and an event's clients as a JSON array of ids, as on SQL Server. V016 had made them 16-byte blobs (most
-- significant byte first), the only blobs among the database's ids. Every event and client row is carried over with its
-- ids unchanged (only their form); both tables stay append-only, keyed and indexed as before.
DROP TRIGGER TR_AuditEvents_NoUpdate;
DROP TRIGGER TR_AuditEvents_NoDelete;
DROP TRIGGER TR_AuditEventClients_NoUpdate;
DROP TRIGGER TR_AuditEventClients_NoDelete;
ALTER TABLE AuditEventClients RENAME TO AuditEventClientsV016;
ALTER TABLE AuditEvents RENAME TO AuditEventsV016;
DROP INDEX IX_AuditEvents_PracticeId_OccurredAt;
DROP INDEX IX_AuditEvents_PracticeId_ActorId;

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
    Detail TEXT NULL,
    ClientIds TEXT NULL
) WITHOUT ROWID;

-- Each event's clients as JSON, from its client rows (the same ids as its ClientIds blob), gathered once.
CREATE TEMP TABLE EventClientsV022 (AuditEventId BLOB NOT NULL PRIMARY KEY, ClientIds TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO EventClientsV022 (AuditEventId, ClientIds)
SELECT AuditEventId, json_group_array(lower(CASE WHEN ClientId IS NULL THEN NULL ELSE substr(hex(ClientId), 1, 8) || '-' || substr(hex(ClientId), 9, 4) || '-' || substr(hex(ClientId), 13, 4) || '-' || substr(hex(ClientId), 17, 4) || '-' || substr(hex(ClientId), 21) END))
FROM AuditEventClientsV016 GROUP BY AuditEventId;

INSERT INTO AuditEvents (Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome,
                         SourceIp, RequestId, Detail, ClientIds)
SELECT CASE WHEN e.Id IS NULL THEN NULL ELSE substr(hex(e.Id), 1, 8) || '-' || substr(hex(e.Id), 9, 4) || '-' || substr(hex(e.Id), 13, 4) || '-' || substr(hex(e.Id), 17, 4) || '-' || substr(hex(e.Id), 21) END,
       CASE WHEN e.PracticeId IS NULL THEN NULL ELSE substr(hex(e.PracticeId), 1, 8) || '-' || substr(hex(e.PracticeId), 9, 4) || '-' || substr(hex(e.PracticeId), 13, 4) || '-' || substr(hex(e.PracticeId), 17, 4) || '-' || substr(hex(e.PracticeId), 21) END,
       e.OccurredAt, e.ActorKind,
       CASE WHEN e.ActorId IS NULL THEN NULL ELSE substr(hex(e.ActorId), 1, 8) || '-' || substr(hex(e.ActorId), 9, 4) || '-' || substr(hex(e.ActorId), 13, 4) || '-' || substr(hex(e.ActorId), 17, 4) || '-' || substr(hex(e.ActorId), 21) END,
       CASE WHEN e.TokenId IS NULL THEN NULL ELSE substr(hex(e.TokenId), 1, 8) || '-' || substr(hex(e.TokenId), 9, 4) || '-' || substr(hex(e.TokenId), 13, 4) || '-' || substr(hex(e.TokenId), 17, 4) || '-' || substr(hex(e.TokenId), 21) END,
       e.Action, e.ResourceType,
       CASE WHEN e.ResourceId IS NULL THEN NULL ELSE substr(hex(e.ResourceId), 1, 8) || '-' || substr(hex(e.ResourceId), 9, 4) || '-' || substr(hex(e.ResourceId), 13, 4) || '-' || substr(hex(e.ResourceId), 17, 4) || '-' || substr(hex(e.ResourceId), 21) END,
       e.Outcome, e.SourceIp, e.RequestId, e.Detail,
       CASE WHEN e.ClientIds IS NULL THEN NULL ELSE c.ClientIds END
FROM AuditEventsV016 e LEFT JOIN EventClientsV022 c ON c.AuditEventId = e.Id;
DROP TABLE EventClientsV022;
CREATE INDEX IX_AuditEvents_PracticeId_OccurredAt ON AuditEvents (PracticeId, OccurredAt, Id);
CREATE INDEX IX_AuditEvents_PracticeId_ActorId ON AuditEvents (PracticeId, ActorId, OccurredAt, Id);

CREATE TABLE AuditEventClients (
    AuditEventId TEXT NOT NULL REFERENCES AuditEvents (Id),
    PracticeId TEXT NOT NULL,
    ClientId TEXT NOT NULL,
    OccurredAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, ClientId, OccurredAt, AuditEventId)
) WITHOUT ROWID;
INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt)
SELECT CASE WHEN AuditEventId IS NULL THEN NULL ELSE substr(hex(AuditEventId), 1, 8) || '-' || substr(hex(AuditEventId), 9, 4) || '-' || substr(hex(AuditEventId), 13, 4) || '-' || substr(hex(AuditEventId), 17, 4) || '-' || substr(hex(AuditEventId), 21) END,
       CASE WHEN PracticeId IS NULL THEN NULL ELSE substr(hex(PracticeId), 1, 8) || '-' || substr(hex(PracticeId), 9, 4) || '-' || substr(hex(PracticeId), 13, 4) || '-' || substr(hex(PracticeId), 17, 4) || '-' || substr(hex(PracticeId), 21) END,
       CASE WHEN ClientId IS NULL THEN NULL ELSE substr(hex(ClientId), 1, 8) || '-' || substr(hex(ClientId), 9, 4) || '-' || substr(hex(ClientId), 13, 4) || '-' || substr(hex(ClientId), 17, 4) || '-' || substr(hex(ClientId), 21) END,
       OccurredAt
FROM AuditEventClientsV016;
DROP TABLE AuditEventClientsV016;
DROP TABLE AuditEventsV016;

CREATE TRIGGER TR_AuditEvents_NoUpdate BEFORE UPDATE ON AuditEvents
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEvents_NoDelete BEFORE DELETE ON AuditEvents
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEventClients_NoUpdate BEFORE UPDATE ON AuditEventClients
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEventClients_NoDelete BEFORE DELETE ON AuditEventClients
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
