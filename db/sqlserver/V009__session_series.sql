-- A weekly (or every-n-weeks) appointment series: its occurrences are ordinary sessions that point to it.
CREATE TABLE dbo.SessionSeries (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_SessionSeries PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionSeries_Practices REFERENCES dbo.Practices (Id),
    TherapistId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionSeries_Therapists REFERENCES dbo.Therapists (Id),
    ClientId UNIQUEIDENTIFIER NULL CONSTRAINT FK_SessionSeries_Clients REFERENCES dbo.Clients (Id),
    CoupleId UNIQUEIDENTIFIER NULL CONSTRAINT FK_SessionSeries_Couples REFERENCES dbo.Couples (Id),
    EveryWeeks INT NOT NULL CONSTRAINT CK_SessionSeries_EveryWeeks CHECK (EveryWeeks BETWEEN 1 AND 4),
    LocalStartTime NVARCHAR(8) NOT NULL,
    TimeZone NVARCHAR(64) NOT NULL,
    CreatedAt DATETIME2(7) NOT NULL
);
GO
CREATE UNIQUE CLUSTERED INDEX UX_SessionSeries_PracticeId_Id ON dbo.SessionSeries (PracticeId, Id);
GO
ALTER TABLE dbo.Sessions ADD SeriesId UNIQUEIDENTIFIER NULL CONSTRAINT FK_Sessions_SessionSeries REFERENCES dbo.SessionSeries (Id);
GO
CREATE INDEX IX_Sessions_PracticeId_SeriesId ON dbo.Sessions (PracticeId, SeriesId, StartsAt, Id);
GO
