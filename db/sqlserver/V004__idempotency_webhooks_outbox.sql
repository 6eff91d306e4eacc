-- EHR integration: idempotent POSTs, the transactional outbox (also the change feed), webhook subscriptions and deliveries.
CREATE TABLE dbo.IdempotencyKeys (
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    TokenId UNIQUEIDENTIFIER NOT NULL,
    IdempotencyKey NVARCHAR(200) NOT NULL,
    RequestHash CHAR(64) NOT NULL,
    State NVARCHAR(10) NOT NULL CONSTRAINT CK_IdempotencyKeys_State CHECK (State IN (N'running', N'done')),
    ResponseStatus INT NULL,
    ResponseBody NVARCHAR(MAX) NULL,
    ResponseContentType NVARCHAR(100) NULL,
    ResponseLocation NVARCHAR(400) NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    ExpiresAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_IdempotencyKeys PRIMARY KEY CLUSTERED (PracticeId, TokenId, IdempotencyKey)
);
CREATE INDEX IX_IdempotencyKeys_ExpiresAt ON dbo.IdempotencyKeys (ExpiresAt);
GO

CREATE TABLE dbo.OutboxEvents (
    Seq BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT PK_OutboxEvents PRIMARY KEY NONCLUSTERED,
    Id UNIQUEIDENTIFIER NOT NULL,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    Type NVARCHAR(60) NOT NULL,
    OccurredAt DATETIME2(7) NOT NULL,
    Payload NVARCHAR(4000) NOT NULL
);
CREATE UNIQUE INDEX UX_OutboxEvents_Id ON dbo.OutboxEvents (Id);
CREATE UNIQUE CLUSTERED INDEX IX_OutboxEvents_PracticeId_Seq ON dbo.OutboxEvents (PracticeId, Seq);
GO

CREATE TABLE dbo.WebhookSubscriptions (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_WebhookSubscriptions PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_WebhookSubscriptions_Practices REFERENCES dbo.Practices (Id),
    Url NVARCHAR(2000) NOT NULL,
    Events NVARCHAR(1000) NOT NULL,
    Secret NVARCHAR(100) NOT NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    DeletedAt DATETIME2(7) NULL
);
CREATE CLUSTERED INDEX IX_WebhookSubscriptions_PracticeId ON dbo.WebhookSubscriptions (PracticeId, Id);
GO

CREATE TABLE dbo.WebhookDeliveries (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_WebhookDeliveries PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    SubscriptionId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_WebhookDeliveries_Subscriptions REFERENCES dbo.WebhookSubscriptions (Id),
    EventId UNIQUEIDENTIFIER NOT NULL,
    Status NVARCHAR(10) NOT NULL CONSTRAINT CK_WebhookDeliveries_Status CHECK (Status IN (N'pending', N'delivered', N'failed')),
    Attempts INT NOT NULL CONSTRAINT DF_WebhookDeliveries_Attempts DEFAULT 0,
    NextAttemptAt DATETIME2(7) NULL,
    LastStatusCode INT NULL,
    LastError NVARCHAR(500) NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    DeliveredAt DATETIME2(7) NULL
);
CREATE CLUSTERED INDEX IX_WebhookDeliveries_PracticeId_SubscriptionId ON dbo.WebhookDeliveries (PracticeId, SubscriptionId, Id);
CREATE INDEX IX_WebhookDeliveries_Due ON dbo.WebhookDeliveries (Status, NextAttemptAt);
GO

CREATE TABLE dbo.WebhookAttempts (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_WebhookAttempts PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    DeliveryId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_WebhookAttempts_Deliveries REFERENCES dbo.WebhookDeliveries (Id),
    AttemptedAt DATETIME2(7) NOT NULL,
    StatusCode INT NULL,
    Error NVARCHAR(500) NULL,
    DurationMs INT NOT NULL
);
CREATE CLUSTERED INDEX IX_WebhookAttempts_PracticeId_DeliveryId ON dbo.WebhookAttempts (PracticeId, DeliveryId, AttemptedAt);
GO
