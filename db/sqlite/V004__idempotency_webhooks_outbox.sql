-- EHR integration: idempotent POSTs, the transactional outbox (also the change feed), webhook subscriptions and deliveries.
CREATE TABLE IdempotencyKeys (
    PracticeId TEXT NOT NULL,
    TokenId TEXT NOT NULL,
    IdempotencyKey TEXT NOT NULL,
    RequestHash TEXT NOT NULL,
    State TEXT NOT NULL CHECK (State IN ('running', 'done')),
    ResponseStatus INTEGER NULL,
    ResponseBody TEXT NULL,
    ResponseContentType TEXT NULL,
    ResponseLocation TEXT NULL,
    CreatedAt TEXT NOT NULL,
    ExpiresAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, TokenId, IdempotencyKey)
);
CREATE INDEX IX_IdempotencyKeys_ExpiresAt ON IdempotencyKeys (ExpiresAt);

CREATE TABLE OutboxEvents (
    Seq INTEGER PRIMARY KEY AUTOINCREMENT,
    Id TEXT NOT NULL,
    PracticeId TEXT NOT NULL,
    Type TEXT NOT NULL,
    OccurredAt TEXT NOT NULL,
    Payload TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_OutboxEvents_Id ON OutboxEvents (Id);
CREATE INDEX IX_OutboxEvents_PracticeId_Seq ON OutboxEvents (PracticeId, Seq);

CREATE TABLE WebhookSubscriptions (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    Url TEXT NOT NULL,
    Events TEXT NOT NULL,
    Secret TEXT NOT NULL,
    CreatedBy TEXT NULL,
    CreatedAt TEXT NOT NULL,
    DeletedAt TEXT NULL
);
CREATE INDEX IX_WebhookSubscriptions_PracticeId ON WebhookSubscriptions (PracticeId, Id);

CREATE TABLE WebhookDeliveries (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    SubscriptionId TEXT NOT NULL REFERENCES WebhookSubscriptions (Id),
    EventId TEXT NOT NULL,
    Status TEXT NOT NULL CHECK (Status IN ('pending', 'delivered', 'failed')),
    Attempts INTEGER NOT NULL DEFAULT 0,
    NextAttemptAt TEXT NULL,
    LastStatusCode INTEGER NULL,
    LastError TEXT NULL,
    CreatedAt TEXT NOT NULL,
    DeliveredAt TEXT NULL
);
CREATE INDEX IX_WebhookDeliveries_PracticeId_SubscriptionId ON WebhookDeliveries (PracticeId, SubscriptionId, Id);
CREATE INDEX IX_WebhookDeliveries_Due ON WebhookDeliveries (Status, NextAttemptAt);

CREATE TABLE WebhookAttempts (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    DeliveryId TEXT NOT NULL REFERENCES WebhookDeliveries (Id),
    AttemptedAt TEXT NOT NULL,
    StatusCode INTEGER NULL,
    Error TEXT NULL,
    DurationMs INTEGER NOT NULL
);
CREATE INDEX IX_WebhookAttempts_PracticeId_DeliveryId ON WebhookAttempts (PracticeId, DeliveryId, AttemptedAt);
