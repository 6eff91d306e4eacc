-- Webhook dispatch claims a subscription, not single deliveries: one instance at a time sends a subscription's deliveries,
-- one after the other in event order, and saves each outcome as it goes. The lease runs out when its holder stops.
ALTER TABLE dbo.WebhookSubscriptions ADD DispatchOwner NVARCHAR(100) NULL;
ALTER TABLE dbo.WebhookSubscriptions ADD DispatchUntil DATETIME2(7) NULL;
GO
-- A subscription's waiting deliveries, without reading the ones delivered long ago.
CREATE INDEX IX_WebhookDeliveries_Waiting ON dbo.WebhookDeliveries (PracticeId, SubscriptionId, Status, NextAttemptAt);
GO
-- Deliveries are no longer claimed one by one.
ALTER TABLE dbo.WebhookDeliveries DROP COLUMN LeaseOwner, LeaseUntil;
GO
