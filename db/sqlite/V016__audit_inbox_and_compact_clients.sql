-- Read audits are committed here first: one narrow append per read, in a group commit, before the read is answered.
-- The importer moves them into AuditEvents and AuditEventClients in bulk (one transaction moves and deletes a chunk),
-- within a second, and before any audit query is answered. Nothing else reads or changes this table.
CREATE TABLE AuditInbox (
    Seq INTEGER PRIMARY KEY,
    Id TEXT NOT NULL,
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
);

-- Each event keeps its clients' ids (a JSON array), so listing an event's clients reads the event alone: the client rows
-- need no index by event. The client rows become one b-tree keyed the way they are searched (practice, client, time)
-- instead of a row, a key index and a client index each: about half the bytes a list page's audit wrote.
DROP TRIGGER TR_AuditEvents_NoUpdate;
ALTER TABLE AuditEvents ADD COLUMN ClientIds TEXT NULL;
UPDATE AuditEvents SET ClientIds = (SELECT json_group_array(c.ClientId) FROM AuditEventClients c WHERE c.AuditEventId = AuditEvents.Id)
WHERE Id IN (SELECT AuditEventId FROM AuditEventClients);
CREATE TRIGGER TR_AuditEvents_NoUpdate BEFORE UPDATE ON AuditEvents
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

DROP TRIGGER TR_AuditEventClients_NoUpdate;
DROP TRIGGER TR_AuditEventClients_NoDelete;
ALTER TABLE AuditEventClients RENAME TO AuditEventClientsV001;
CREATE TABLE AuditEventClients (
    AuditEventId TEXT NOT NULL REFERENCES AuditEvents (Id),
    PracticeId TEXT NOT NULL,
    ClientId TEXT NOT NULL,
    OccurredAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, ClientId, OccurredAt, AuditEventId)
) WITHOUT ROWID;
INSERT INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt)
SELECT AuditEventId, PracticeId, ClientId, OccurredAt FROM AuditEventClientsV001;
DROP TABLE AuditEventClientsV001;
CREATE TRIGGER TR_AuditEventClients_NoUpdate BEFORE UPDATE ON AuditEventClients
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER TR_AuditEventClients_NoDelete BEFORE DELETE ON AuditEventClients
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
