-- A therapist's calendar feed: a secret address a calendar app subscribes to (times, kind and initials of their sessions,
-- never clinical text). The secret is kept only as its SHA-256 hash; creating a new one or revoking ends the old one at once.
CREATE TABLE CalendarFeeds (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    TherapistId TEXT NOT NULL REFERENCES Therapists (Id),
    TokenHash TEXT NOT NULL,
    CreatedBy TEXT NULL,
    CreatedAt TEXT NOT NULL,
    RevokedAt TEXT NULL
);
CREATE UNIQUE INDEX UX_CalendarFeeds_TokenHash ON CalendarFeeds (TokenHash);
CREATE INDEX IX_CalendarFeeds_PracticeId_TherapistId ON CalendarFeeds (PracticeId, TherapistId, RevokedAt);
