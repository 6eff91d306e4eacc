-- Identifier keys: SQL Server's 900-byte key limit sets the API's limits (255/180 characters); SQLite keeps its key.

-- The change feed's position. SQLite commits one writer at a time, so the sequence is in commit order already.
ALTER TABLE OutboxEvents ADD COLUMN Position INTEGER GENERATED ALWAYS AS (Seq) VIRTUAL;
CREATE UNIQUE INDEX IX_OutboxEvents_PracticeId_Position ON OutboxEvents (PracticeId, Position);
-- Unique, as on SQL Server.
DROP INDEX IX_OutboxEvents_PracticeId_Seq;
CREATE UNIQUE INDEX IX_OutboxEvents_PracticeId_Seq ON OutboxEvents (PracticeId, Seq);

-- Leases: a webhook delivery and a running idempotent request are held by one instance until the lease runs out.
ALTER TABLE WebhookDeliveries ADD COLUMN LeaseOwner TEXT NULL;
ALTER TABLE WebhookDeliveries ADD COLUMN LeaseUntil TEXT NULL;
ALTER TABLE IdempotencyKeys ADD COLUMN LeaseUntil TEXT NULL;
