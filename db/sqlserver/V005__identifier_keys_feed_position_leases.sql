-- Identifier keys within SQL Server's 900-byte limit for clustered keys: 16 + 2*255 + 2*180 = 886 bytes.
-- (The API accepts at most 255 characters for a system and 180 for a value; longer rows could never be written.)
ALTER TABLE dbo.ClientIdentifiers DROP CONSTRAINT PK_ClientIdentifiers;
ALTER TABLE dbo.ClientIdentifiers ALTER COLUMN System NVARCHAR(255) NOT NULL;
ALTER TABLE dbo.ClientIdentifiers ALTER COLUMN Value NVARCHAR(180) NOT NULL;
ALTER TABLE dbo.ClientIdentifiers ADD CONSTRAINT PK_ClientIdentifiers PRIMARY KEY CLUSTERED (PracticeId, System, Value);
GO

ALTER TABLE dbo.SessionIdentifiers DROP CONSTRAINT PK_SessionIdentifiers;
ALTER TABLE dbo.SessionIdentifiers ALTER COLUMN System NVARCHAR(255) NOT NULL;
ALTER TABLE dbo.SessionIdentifiers ALTER COLUMN Value NVARCHAR(180) NOT NULL;
ALTER TABLE dbo.SessionIdentifiers ADD CONSTRAINT PK_SessionIdentifiers PRIMARY KEY CLUSTERED (PracticeId, System, Value);
GO

-- The change feed's position: identity values are not assigned in commit order, rowversion read below
-- MIN_ACTIVE_ROWVERSION() is, so a poller never skips an event that commits late.
ALTER TABLE dbo.OutboxEvents ADD Position ROWVERSION;
GO
CREATE UNIQUE INDEX IX_OutboxEvents_PracticeId_Position ON dbo.OutboxEvents (PracticeId, Position);
GO

-- Leases: a webhook delivery and a running idempotent request are held by one instance until the lease runs out.
ALTER TABLE dbo.WebhookDeliveries ADD LeaseOwner NVARCHAR(100) NULL;
ALTER TABLE dbo.WebhookDeliveries ADD LeaseUntil DATETIME2(7) NULL;
ALTER TABLE dbo.IdempotencyKeys ADD LeaseUntil DATETIME2(7) NULL;
GO
