-- Trust-repair exercises: the catalogue, assignments and responses, client portal tokens, the trust contract,
-- trigger plan and episodes, milestones and the support network.
ALTER TABLE ApiTokens ADD COLUMN ClientId TEXT NULL REFERENCES Clients (Id);
CREATE INDEX IX_ApiTokens_PracticeId_ClientId ON ApiTokens (PracticeId, ClientId);

-- Built-in templates belong to the product: PracticeId is the all-zero id for them.
CREATE TABLE ExerciseTemplates (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    Key TEXT NOT NULL,
    CurrentVersion INTEGER NOT NULL,
    IsBuiltIn INTEGER NOT NULL,
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_ExerciseTemplates_PracticeId_Key ON ExerciseTemplates (PracticeId, Key);
CREATE UNIQUE INDEX UX_ExerciseTemplates_PracticeId_Id ON ExerciseTemplates (PracticeId, Id);

CREATE TABLE ExerciseTemplateVersions (
    TemplateId TEXT NOT NULL REFERENCES ExerciseTemplates (Id),
    Version INTEGER NOT NULL,
    PracticeId TEXT NOT NULL,
    TitleEn TEXT NOT NULL,
    TitleNl TEXT NOT NULL,
    InstructionsEn TEXT NOT NULL,
    InstructionsNl TEXT NOT NULL,
    Audience TEXT NOT NULL,
    Cadence TEXT NOT NULL,
    EstimatedMinutes INTEGER NOT NULL,
    Steps TEXT NOT NULL,
    Conjoint INTEGER NOT NULL,
    Fields TEXT NOT NULL,
    CreatedAt TEXT NOT NULL,
    CreatedBy TEXT NULL,
    PRIMARY KEY (TemplateId, Version)
);

CREATE TABLE Assignments (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    TemplateId TEXT NOT NULL REFERENCES ExerciseTemplates (Id),
    TemplateVersion INTEGER NOT NULL,
    ClientId TEXT NULL REFERENCES Clients (Id),
    CoupleId TEXT NULL REFERENCES Couples (Id),
    Respondents TEXT NOT NULL,
    Cadence TEXT NOT NULL CHECK (Cadence IN ('once', 'daily', 'weekly', 'monthly')),
    StartsOn TEXT NOT NULL,
    EndsOn TEXT NULL,
    Occurrences INTEGER NULL,
    DueTime TEXT NOT NULL,
    LastDueAt TEXT NOT NULL,
    Note TEXT NULL,
    Visibility TEXT NOT NULL CHECK (Visibility IN ('private', 'shared', 'mutual_reveal', 'therapist_release')),
    Status TEXT NOT NULL CHECK (Status IN ('active', 'completed', 'cancelled')),
    SafetyOverrideReason TEXT NULL,
    CreatedBy TEXT NULL,
    CancelledAt TEXT NULL,
    Version INTEGER NOT NULL DEFAULT 1,
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL,
    CHECK ((ClientId IS NULL) <> (CoupleId IS NULL))
);
CREATE UNIQUE INDEX UX_Assignments_PracticeId_Id ON Assignments (PracticeId, Id);
CREATE INDEX IX_Assignments_PracticeId_CoupleId ON Assignments (PracticeId, CoupleId, Id);
CREATE INDEX IX_Assignments_PracticeId_ClientId ON Assignments (PracticeId, ClientId, Id);

CREATE TABLE AssignmentRespondents (
    PracticeId TEXT NOT NULL,
    AssignmentId TEXT NOT NULL REFERENCES Assignments (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    PRIMARY KEY (AssignmentId, ClientId)
);
CREATE INDEX IX_AssignmentRespondents_PracticeId_ClientId ON AssignmentRespondents (PracticeId, ClientId, AssignmentId);

CREATE TABLE Responses (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    AssignmentId TEXT NOT NULL REFERENCES Assignments (Id),
    RespondentId TEXT NOT NULL REFERENCES Clients (Id),
    OccurrenceDate TEXT NOT NULL,
    Revision INTEGER NOT NULL,
    Answers TEXT NOT NULL,
    SubmittedAt TEXT NOT NULL,
    SubmittedBy TEXT NULL,
    Feedback TEXT NULL,
    ReviewedBy TEXT NULL,
    ReviewedAt TEXT NULL,
    ReleasedAt TEXT NULL
);
CREATE UNIQUE INDEX UX_Responses_Occurrence_Revision ON Responses (AssignmentId, RespondentId, OccurrenceDate, Revision);
CREATE INDEX IX_Responses_PracticeId_AssignmentId ON Responses (PracticeId, AssignmentId, OccurrenceDate, Id);
CREATE INDEX IX_Responses_PracticeId_RespondentId ON Responses (PracticeId, RespondentId, OccurrenceDate);

CREATE TABLE TrustContracts (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    Version INTEGER NOT NULL,
    Lines TEXT NOT NULL,
    CreatedBy TEXT NULL,
    CreatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_TrustContracts_PracticeId_CoupleId_Version ON TrustContracts (PracticeId, CoupleId, Version);

CREATE TABLE TrustContractAgreements (
    PracticeId TEXT NOT NULL,
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    Version INTEGER NOT NULL,
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    AgreedAt TEXT NOT NULL,
    PRIMARY KEY (CoupleId, Version, ClientId)
);
CREATE INDEX IX_TrustContractAgreements_PracticeId_CoupleId ON TrustContractAgreements (PracticeId, CoupleId, Version);

CREATE TABLE TrustContractEvaluations (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    Version INTEGER NOT NULL,
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    Month TEXT NOT NULL,
    Ratings TEXT NOT NULL,
    Decisions TEXT NOT NULL,
    SubmittedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_TrustContractEvaluations_Month ON TrustContractEvaluations (PracticeId, CoupleId, ClientId, Month);
CREATE INDEX IX_TrustContractEvaluations_PracticeId_CoupleId ON TrustContractEvaluations (PracticeId, CoupleId, Month, Id);

CREATE TABLE TriggerPlans (
    CoupleId TEXT NOT NULL PRIMARY KEY REFERENCES Couples (Id),
    PracticeId TEXT NOT NULL,
    Plan TEXT NOT NULL,
    Version INTEGER NOT NULL,
    UpdatedBy TEXT NULL,
    UpdatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_TriggerPlans_PracticeId_CoupleId ON TriggerPlans (PracticeId, CoupleId);

CREATE TABLE TriggerEpisodes (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    OccurredAt TEXT NOT NULL,
    Intensity INTEGER NOT NULL CHECK (Intensity BETWEEN 1 AND 10),
    TriggerText TEXT NULL,
    WhatHelped TEXT NULL,
    RecordedBy TEXT NULL,
    RecordedAt TEXT NOT NULL
);
CREATE INDEX IX_TriggerEpisodes_PracticeId_CoupleId ON TriggerEpisodes (PracticeId, CoupleId, OccurredAt, Id);

CREATE TABLE Milestones (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    Title TEXT NOT NULL,
    OccurredOn TEXT NOT NULL,
    Note TEXT NULL,
    RecordedBy TEXT NULL,
    RecordedByKind TEXT NOT NULL,
    RecordedAt TEXT NOT NULL
);
CREATE INDEX IX_Milestones_PracticeId_CoupleId ON Milestones (PracticeId, CoupleId, OccurredOn, Id);

CREATE TABLE SupportPeople (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    Name TEXT NOT NULL,
    Relationship TEXT NOT NULL,
    Effect TEXT NOT NULL CHECK (Effect IN ('supports', 'strains', 'both')),
    Expectations TEXT NULL,
    MayContact INTEGER NOT NULL,
    Contact TEXT NULL,
    Version INTEGER NOT NULL DEFAULT 1,
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL
);
CREATE INDEX IX_SupportPeople_PracticeId_ClientId ON SupportPeople (PracticeId, ClientId, Id);
