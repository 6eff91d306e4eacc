-- Programs: ordered plans of exercises tied to the repair steps, versioned like templates (an enrolment keeps the version it
-- started with). Built-in programs belong to the product (PracticeId = the all-zero id), like built-in templates.
CREATE TABLE Programs (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    Key TEXT NOT NULL,
    CurrentVersion INTEGER NOT NULL,
    IsBuiltIn INTEGER NOT NULL,
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_Programs_PracticeId_Key ON Programs (PracticeId, Key);
CREATE UNIQUE INDEX UX_Programs_PracticeId_Id ON Programs (PracticeId, Id);

CREATE TABLE ProgramVersions (
    ProgramId TEXT NOT NULL REFERENCES Programs (Id),
    Version INTEGER NOT NULL,
    TitleEn TEXT NOT NULL,
    TitleNl TEXT NOT NULL,
    DescriptionEn TEXT NOT NULL,
    DescriptionNl TEXT NOT NULL,
    Items TEXT NOT NULL,
    CreatedBy TEXT NULL,
    CreatedAt TEXT NOT NULL,
    PRIMARY KEY (ProgramId, Version)
);

-- A couple following a program; the runner creates each item's assignment once its condition is met.
CREATE TABLE ProgramEnrolments (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    ProgramId TEXT NOT NULL,
    ProgramVersion INTEGER NOT NULL,
    Status TEXT NOT NULL CHECK (Status IN ('active', 'completed', 'stopped')),
    StartedOn TEXT NOT NULL,
    EnrolledBy TEXT NULL,
    CreatedAt TEXT NOT NULL,
    EndedAt TEXT NULL
);
CREATE INDEX IX_ProgramEnrolments_PracticeId_CoupleId ON ProgramEnrolments (PracticeId, CoupleId, CreatedAt, Id);
-- The runner's scan of active enrolments.
CREATE INDEX IX_ProgramEnrolments_Status ON ProgramEnrolments (Status, PracticeId, Id);

-- One running enrolment per couple and program, whatever the instance.
CREATE UNIQUE INDEX UX_ProgramEnrolments_Running ON ProgramEnrolments (CoupleId, ProgramId) WHERE Status = 'active';

-- Which assignment each item became: the key makes it once, across restarts and instances.
CREATE TABLE ProgramAssignments (
    EnrolmentId TEXT NOT NULL REFERENCES ProgramEnrolments (Id),
    ItemKey TEXT NOT NULL,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    AssignmentId TEXT NOT NULL REFERENCES Assignments (Id),
    CreatedAt TEXT NOT NULL,
    PRIMARY KEY (EnrolmentId, ItemKey)
);
