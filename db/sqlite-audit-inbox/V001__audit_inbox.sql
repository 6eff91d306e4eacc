-- The read-audit inbox: a database file of its own beside the main one (its name plus "-audit-inbox"), where every
-- read's audit event is committed, one narrow row per read in a group commit, before the read is answered. The importer
-- moves the rows into AuditEvents and AuditEventClients in bulk and deletes them; nothing else reads or changes them.
-- The columns are those of AuditEvents in their stored form, in arrival order. AUTOINCREMENT: a Seq is never handed out
-- again, so an importer's "delete up to the chunk I moved" can never take a row that arrived after another importer
-- emptied the inbox.
--
-- Versions before this migration made the table in code (first without AUTOINCREMENT, ids as 16-byte blobs and the
-- clients as those blobs end to end). Whatever such an inbox still holds is carried over here in the current form, with its
-- Seq and the highest Seq ever handed out.
CREATE TABLE IF NOT EXISTS AuditInbox (
    Seq INTEGER PRIMARY KEY, Id BLOB NOT NULL, PracticeId BLOB NULL, OccurredAt TEXT NOT NULL, ActorKind TEXT NOT NULL, ActorId BLOB NULL,
    TokenId BLOB NULL, Action TEXT NOT NULL, ResourceType TEXT NOT NULL, ResourceId BLOB NULL, Outcome TEXT NOT NULL, SourceIp TEXT NULL,
    RequestId TEXT NULL, Detail TEXT NULL, ClientIds BLOB NULL);
CREATE TABLE AuditInboxNext (
    Seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO AuditInboxNext (Seq, Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome,
                            SourceIp, RequestId, Detail, ClientIds)
SELECT a.Seq, CASE WHEN a.Id IS NULL THEN NULL ELSE substr(hex(a.Id), 1, 8) || '-' || substr(hex(a.Id), 9, 4) || '-' || substr(hex(a.Id), 13, 4) || '-' || substr(hex(a.Id), 17, 4) || '-' || substr(hex(a.Id), 21) END,
       CASE WHEN a.PracticeId IS NULL THEN NULL ELSE substr(hex(a.PracticeId), 1, 8) || '-' || substr(hex(a.PracticeId), 9, 4) || '-' || substr(hex(a.PracticeId), 13, 4) || '-' || substr(hex(a.PracticeId), 17, 4) || '-' || substr(hex(a.PracticeId), 21) END,
       a.OccurredAt, a.ActorKind,
       CASE WHEN a.ActorId IS NULL THEN NULL ELSE substr(hex(a.ActorId), 1, 8) || '-' || substr(hex(a.ActorId), 9, 4) || '-' || substr(hex(a.ActorId), 13, 4) || '-' || substr(hex(a.ActorId), 17, 4) || '-' || substr(hex(a.ActorId), 21) END,
       CASE WHEN a.TokenId IS NULL THEN NULL ELSE substr(hex(a.TokenId), 1, 8) || '-' || substr(hex(a.TokenId), 9, 4) || '-' || substr(hex(a.TokenId), 13, 4) || '-' || substr(hex(a.TokenId), 17, 4) || '-' || substr(hex(a.TokenId), 21) END,
       a.Action, a.ResourceType,
       CASE WHEN a.ResourceId IS NULL THEN NULL ELSE substr(hex(a.ResourceId), 1, 8) || '-' || substr(hex(a.ResourceId), 9, 4) || '-' || substr(hex(a.ResourceId), 13, 4) || '-' || substr(hex(a.ResourceId), 17, 4) || '-' || substr(hex(a.ResourceId), 21) END,
       a.Outcome, a.SourceIp, a.RequestId, a.Detail,
       CASE WHEN a.ClientIds IS NULL THEN NULL ELSE (WITH RECURSIVE k (i) AS (SELECT 0 UNION ALL SELECT i + 16 FROM k WHERE i + 32 <= length(a.ClientIds))
        SELECT json_group_array(lower(CASE WHEN substr(a.ClientIds, k.i + 1, 16) IS NULL THEN NULL ELSE substr(hex(substr(a.ClientIds, k.i + 1, 16)), 1, 8) || '-' || substr(hex(substr(a.ClientIds, k.i + 1, 16)), 9, 4) || '-' || substr(hex(substr(a.ClientIds, k.i + 1, 16)), 13, 4) || '-' || substr(hex(substr(a.ClientIds, k.i + 1, 16)), 17, 4) || '-' || substr(hex(substr(a.ClientIds, k.i + 1, 16)), 21) END)) FROM k) END
FROM AuditInbox a;
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

