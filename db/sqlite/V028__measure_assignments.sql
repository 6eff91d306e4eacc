-- Outcome measures assigned like an exercise: a client takes a measure once or on a cadence (daily, weekly, monthly),
-- each occurrence due at a local time of day. A score names the occurrence it answers; the first answer fills it.
CREATE TABLE MeasureAssignments (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    MeasureId TEXT NOT NULL REFERENCES MeasureDefinitions (Id),
    Cadence TEXT NOT NULL CHECK (Cadence IN ('once', 'daily', 'weekly', 'monthly')),
    StartsOn TEXT NOT NULL,
    EndsOn TEXT NULL,
    Occurrences INTEGER NULL,
    DueTime TEXT NOT NULL,
    Note TEXT NULL,
    Status TEXT NOT NULL CHECK (Status IN ('active', 'cancelled')),
    CreatedBy TEXT NULL,
    CreatedAt TEXT NOT NULL,
    CancelledAt TEXT NULL
);
CREATE INDEX IX_MeasureAssignments_PracticeId_ClientId ON MeasureAssignments (PracticeId, ClientId, Id);

-- When the score reached the server (what on time or late is judged by; takenAt may be given earlier), and the occurrence
-- of an assignment it answers: one score per occurrence.
ALTER TABLE MeasureScores ADD COLUMN RecordedAt TEXT NULL;
ALTER TABLE MeasureScores ADD COLUMN AssignmentId TEXT NULL REFERENCES MeasureAssignments (Id);
ALTER TABLE MeasureScores ADD COLUMN OccurrenceDate TEXT NULL;
CREATE UNIQUE INDEX UX_MeasureScores_Assignment_Occurrence ON MeasureScores (PracticeId, AssignmentId, OccurrenceDate) WHERE AssignmentId IS NOT NULL;
