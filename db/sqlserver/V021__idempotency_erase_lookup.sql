-- Deleting a resource erases the stored responses that created it (by the response's Location): an index for that lookup,
-- so that the delete does not scan the practice's keys (16 + 800 bytes: within the 1,700-byte nonclustered key limit).
CREATE INDEX IX_IdempotencyKeys_PracticeId_ResponseLocation ON dbo.IdempotencyKeys (PracticeId, ResponseLocation);
GO
