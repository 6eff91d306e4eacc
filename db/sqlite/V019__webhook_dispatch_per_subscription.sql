-- Webhook dispatch claims a subscription, not single deliveries: one instance at a time sends a subscription's deliveries,
-- one after the other in event order, and saves each outcome as it goes. The lease runs out when its holder stops.
ALTER TABLE WebhookSubscriptions ADD COLUMN DispatchOwner TEXT NULL;
ALTER TABLE WebhookSubscriptions ADD COLUMN DispatchUntil TEXT NULL;
-- A subscription's waiting deliveries, without reading the ones delivered long ago.
CREATE INDEX IX_WebhookDeliveries_Waiting ON WebhookDeliveries (PracticeId, SubscriptionId, Status, NextAttemptAt);
-- Deliveries are no longer claimed one by one.
ALTER TABLE WebhookDeliveries DROP COLUMN LeaseOwner;
ALTER TABLE WebhookDeliveries DROP COLUMN LeaseUntil;
