-- A therapist's calendar feed: a secret address a calendar app subscribes to (times, kind and initials of their sessions,
-- never clinical text). The secret is kept only as its SHA-256 hash; creating a new one or revoking ends the old one at once.
CREATE TABLE dbo.CalendarFeeds (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_CalendarFeeds PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_CalendarFeeds_Practices REFERENCES dbo.Practices (Id),
    TherapistId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_CalendarFeeds_Therapists REFERENCES dbo.Therapists (Id),
    TokenHash NVARCHAR(64) NOT NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    RevokedAt DATETIME2(7) NULL
);
GO
CREATE UNIQUE INDEX UX_CalendarFeeds_TokenHash ON dbo.CalendarFeeds (TokenHash);
GO
CREATE CLUSTERED INDEX IX_CalendarFeeds_PracticeId_TherapistId ON dbo.CalendarFeeds (PracticeId, TherapistId, RevokedAt);
GO
