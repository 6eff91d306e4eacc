-- A weekly (or every-n-weeks) appointment series: its occurrences are ordinary sessions that point to it.
CREATE TABLE SessionSeries (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    TherapistId TEXT NOT NULL REFERENCES Therapists (Id),
    ClientId TEXT NULL REFERENCES Clients (Id),
    CoupleId TEXT NULL REFERENCES Couples (Id),
    EveryWeeks INTEGER NOT NULL CHECK (EveryWeeks BETWEEN 1 AND 4),
    LocalStartTime TEXT NOT NULL,
    TimeZone TEXT NOT NULL,
    CreatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_SessionSeries_PracticeId_Id ON SessionSeries (PracticeId, Id);

ALTER TABLE Sessions ADD COLUMN SeriesId TEXT NULL REFERENCES SessionSeries (Id);
CREATE INDEX IX_Sessions_PracticeId_SeriesId ON Sessions (PracticeId, SeriesId, StartsAt, Id);
