-- The therapist's assessment of whether the trust looks repairable (seed 003's signs), recorded over time; therapists only.
CREATE TABLE RepairAssessments (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    AssessedOn TEXT NOT NULL,
    RepairableSigns TEXT NOT NULL,
    IrreparableSigns TEXT NOT NULL,
    Motivations TEXT NOT NULL,
    Outlook TEXT NOT NULL CHECK (Outlook IN ('repairable', 'uncertain', 'consider_letting_go')),
    Note TEXT NULL,
    AssessedBy TEXT NULL,
    CreatedAt TEXT NOT NULL
);
CREATE INDEX IX_RepairAssessments_PracticeId_CoupleId ON RepairAssessments (PracticeId, CoupleId, AssessedOn, Id);
