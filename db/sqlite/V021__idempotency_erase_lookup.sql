-- Deleting a resource erases the stored responses that created it (by the response's Location): an index for that lookup,
-- so that the delete does not scan the practice's keys.
CREATE INDEX IX_IdempotencyKeys_PracticeId_ResponseLocation ON IdempotencyKeys (PracticeId, ResponseLocation);
