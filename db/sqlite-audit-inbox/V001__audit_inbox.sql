-- The read-audit inbox: a database file of its own beside the main one (its name plus "-audit-inbox"), where every
-- read's audit event is committed, one narrow row per read in a group commit, before the read is answered. The importer
-- moves the rows into AuditEvents and AuditEventClients in bulk and deletes them; nothing else reads or changes them.
-- The columns are those of AuditEvents in their stored form (ids as 16-byte keys, the clients' keys end to end), in
-- arrival order. AUTOINCREMENT: a Seq is never handed out again, so an importer's "delete up to the chunk I moved" can
-- never take a row that arrived after another importer emptied the inbox.
--
-- Versions before this migration made the table in code, at first without AUTOINCREMENT. Whatever such an inbox still
-- holds is carried over with its Seq, and so is the highest Seq ever handed out.
CREATE TABLE IF NOT EXISTS AuditInbox (
    Seq INTEGER PRIMARY KEY, Id BLOB NOT NULL, PracticeId BLOB NULL, OccurredAt TEXT NOT NULL, ActorKind TEXT NOT NULL, ActorId BLOB NULL,
    TokenId BLOB NULL, Action TEXT NOT NULL, ResourceType TEXT NOT NULL, ResourceId BLOB NULL, Outcome TEXT NOT NULL, SourceIp TEXT NULL,
    RequestId TEXT NULL, Detail TEXT NULL, ClientIds BLOB NULL);
CREATE TABLE AuditInboxNext (
    Seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO AuditInboxNext (Seq, Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome,
                            SourceIp, RequestId, Detail, ClientIds)
SELECT Seq, Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome, SourceIp, RequestId, Detail,
       ClientIds
FROM AuditInbox;
-- AUTOINCREMENT's high-water mark carried over (the old table's, or its highest Seq when it had none).
INSERT INTO sqlite_sequence (name, seq)
SELECT 'AuditInboxNext', max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'AuditInbox'), 0),
                             coalesce((SELECT max(Seq) FROM AuditInbox), 0))
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'AuditInboxNext');
UPDATE sqlite_sequence
SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'AuditInbox'), 0))
WHERE name = 'AuditInboxNext';
DROP TABLE AuditInbox;
ALTER TABLE AuditInboxNext RENAME TO AuditInbox;
