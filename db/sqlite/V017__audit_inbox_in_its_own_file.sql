-- Read audits now wait in a database file of their own beside this one (the main file's name plus "-audit-inbox"):
-- committing one there neither waits for this file's writer nor makes every reader's page cache of this file stale.
-- Events a stopped process left in this file's inbox are moved into the trail first (each kept once), then the table goes.
INSERT OR IGNORE INTO AuditEvents (Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome,
                                   SourceIp, RequestId, Detail, ClientIds)
SELECT Id, PracticeId, OccurredAt, ActorKind, ActorId, TokenId, Action, ResourceType, ResourceId, Outcome, SourceIp, RequestId, Detail,
       ClientIds
FROM AuditInbox ORDER BY Seq;

WITH RECURSIVE n(i) AS (
    SELECT 0 UNION ALL
    SELECT i + 1 FROM n WHERE i + 1 < (SELECT MAX(length(ClientIds)) / 16 FROM AuditInbox))
INSERT OR IGNORE INTO AuditEventClients (AuditEventId, PracticeId, ClientId, OccurredAt)
SELECT a.Id, a.PracticeId, substr(a.ClientIds, n.i * 16 + 1, 16), a.OccurredAt
FROM AuditInbox a JOIN n ON n.i < length(a.ClientIds) / 16
WHERE a.ClientIds IS NOT NULL;

DROP TABLE AuditInbox;
