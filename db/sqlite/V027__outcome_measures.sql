-- Outcome measures: a practice's questionnaires that are scored (items with answer options each worth a number, a sum and
-- optional subscale sums, severity bands, critical items with the alert they raise, optional LOINC codes). A definition is
-- versioned by its key: a change is a new version, and a score always names the version it was taken with.
CREATE TABLE MeasureDefinitions (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    MeasureKey TEXT NOT NULL,
    Version INTEGER NOT NULL,
    Name TEXT NOT NULL,
    Definition TEXT NOT NULL,
    CreatedBy TEXT NULL,
    CreatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_MeasureDefinitions_PracticeId_Key_Version ON MeasureDefinitions (PracticeId, MeasureKey, Version);
CREATE INDEX IX_MeasureDefinitions_PracticeId_Id ON MeasureDefinitions (PracticeId, Id);

-- A measure taken by a client: the answers (the option codes), scored on submission.
CREATE TABLE MeasureScores (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    MeasureId TEXT NOT NULL REFERENCES MeasureDefinitions (Id),
    Answers TEXT NOT NULL,
    Total INTEGER NOT NULL,
    Band TEXT NULL,
    Subscales TEXT NOT NULL,
    Critical TEXT NOT NULL,
    RecordedBy TEXT NULL,
    RecordedVia TEXT NOT NULL CHECK (RecordedVia IN ('portal', 'staff')),
    TakenAt TEXT NOT NULL
);
CREATE INDEX IX_MeasureScores_PracticeId_ClientId ON MeasureScores (PracticeId, ClientId, TakenAt, Id);
