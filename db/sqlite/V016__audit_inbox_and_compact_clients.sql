-- The audit trail in a compact form: audit data is kept for years (NEN 7513) and every read adds to it.
-- * Ids are 16-byte blobs (most significant byte first, so version-7 ids sort by time) instead of 36-character text, in
--   the rows and in every index.
-- * AuditEvents is keyed by its id (no separate key index), and each event keeps its clients' ids end to end
--   (ClientIds), so listing an event's clients reads the event alone.
-- * AuditEventClients is one b-tree keyed the way it is searched (practice, client, time) instead of a row, a key index
--   and a client index.
-- Every existing event and client row is carried over; both tables stay append-only.
DROP TRIGGER TR_AuditEvents_NoUpdate;
DROP TRIGGER TR_AuditEvents_NoDelete;
DROP TRIGGER TR_AuditEventClients_NoUpdate;
DROP TRIGGER TR_AuditEventClients_NoDelete;
ALTER TABLE AuditEventClients RENAME TO AuditEventClientsV001;
ALTER TABLE AuditEvents RENAME TO AuditEventsV001;
DROP INDEX IX_AuditEvents_PracticeId_OccurredAt;
DROP INDEX IX_AuditEvents_PracticeId_ActorId;
DROP INDEX IX_AuditEventClients_PracticeId_ClientId;

CREATE TABLE AuditEvents (
    Id BLOB NOT NULL PRIMARY KEY,
    PracticeId BLOB NULL,
    OccurredAt TEXT NOT NULL,
    ActorKind TEXT NOT NULL,
    ActorId BLOB NULL,
    TokenId BLOB NULL,
    Action TEXT NOT NULL,
    ResourceType TEXT NOT NULL,
    ResourceId BLOB NULL,
    Outcome TEXT NOT NULL,
    SourceIp TEXT NULL,
    RequestId TEXT NULL,
    Detail TEXT NULL,
    ClientIds BLOB NULL
) WITHOUT ROWID;
INSERT INTO AuditEvents (Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome,
                         SourceIp, RequestId, Detail, ClientIds)
SELECT unhex(replace(e.Id, '-', '')), unhex(replace(e.PracticeId, '-', '')), e.OccurredAt, e.ActorKind,
       unhex(replace(e.ActorId, '-', '')), unhex(replace(e.TokenId, '-', '')), e.Action, e.ResourceType,
       unhex(replace(e.ResourceId, '-', '')), e.Outcome, e.SourceIp, e.RequestId, e.Detail,
       (SELECT unhex(group_concat(replace(c.ClientId, '-', ''), '')) FROM AuditEventClientsV001 c WHERE c.AuditEventId = e.Id)
FROM AuditEventsV001 e;
CREATE INDEX IX_AuditEvents_PracticeId_OccurredAt ON AuditEvents (PracticeId, OccurredAt, Id);
CREATE INDEX IX_AuditEvents_PracticeId_ActorId ON AuditEvents (PracticeId, ActorId, OccurredAt, Id);

CREATE TABLE AuditEventClients (
    AuditEventId BLOB NOT NULL REFERENCES AuditEvents (Id),
    PracticeId BLOB NOT NULL,
    ClientId BLOB NOT NULL,
    OccurredAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, ClientId, OccurredAt, AuditEventId)
) WITHOUT ROWID;
INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt)
SELECT unhex(replace(AuditEventId, '-', '')), unhex(replace(PracticeId, '-', '')), unhex(replace(ClientId, '-', '')), OccurredAt
FROM AuditEventClientsV001;
DROP TABLE AuditEventClientsV001;
DROP TABLE AuditEventsV001;

CREATE TRIGGER TR_AuditEvents_NoUpdate BEFORE UPDATE ON AuditEvents
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEvents_NoDelete BEFORE DELETE ON AuditEvents
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEventClients_NoUpdate BEFORE UPDATE ON AuditEventClients
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEventClients_NoDelete BEFORE DELETE ON AuditEventClients
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

-- Read audits are committed here first: one narrow append per read, in a group commit, before the read is answered.
-- The importer moves them into AuditEvents and AuditEventClients in bulk (one transaction moves and deletes a chunk),
-- within a second, and before any audit query is answered. Nothing else reads or changes this table.
CREATE TABLE AuditInbox (
    Seq INTEGER PRIMARY KEY,
    Id BLOB NOT NULL,
    PracticeId BLOB NULL,
    OccurredAt TEXT NOT NULL,
    ActorKind TEXT NOT NULL,
    ActorId BLOB NULL,
    TokenId BLOB NULL,
    Action TEXT NOT NULL,
    ResourceType TEXT NOT NULL,
    ResourceId BLOB NULL,
    Outcome TEXT NOT NULL,
    SourceIp TEXT NULL,
    RequestId TEXT NULL,
    Detail TEXT NULL,
    ClientIds BLOB NULL
);
