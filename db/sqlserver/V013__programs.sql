-- Programs: ordered plans of exercises tied to the repair steps, versioned like templates (an enrolment keeps the version it
-- started with). Built-in programs belong to the product (PracticeId = the all-zero id), like built-in templates.
CREATE TABLE dbo.Programs (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Programs PRIMARY KEY,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    [Key] NVARCHAR(100) NOT NULL,
    CurrentVersion INT NOT NULL,
    IsBuiltIn BIT NOT NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    UpdatedAt DATETIME2(7) NOT NULL
);
GO
CREATE UNIQUE INDEX UX_Programs_PracticeId_Key ON dbo.Programs (PracticeId, [Key]);
GO
CREATE UNIQUE INDEX UX_Programs_PracticeId_Id ON dbo.Programs (PracticeId, Id);
GO
CREATE TABLE dbo.ProgramVersions (
    ProgramId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ProgramVersions_Programs REFERENCES dbo.Programs (Id),
    Version INT NOT NULL,
    TitleEn NVARCHAR(200) NOT NULL,
    TitleNl NVARCHAR(200) NOT NULL,
    DescriptionEn NVARCHAR(4000) NOT NULL,
    DescriptionNl NVARCHAR(4000) NOT NULL,
    Items NVARCHAR(MAX) NOT NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_ProgramVersions PRIMARY KEY (ProgramId, Version)
);
GO
-- A couple following a program; the runner creates each item's assignment once its condition is met.
CREATE TABLE dbo.ProgramEnrolments (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_ProgramEnrolments PRIMARY KEY,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ProgramEnrolments_Practices REFERENCES dbo.Practices (Id),
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ProgramEnrolments_Couples REFERENCES dbo.Couples (Id),
    ProgramId UNIQUEIDENTIFIER NOT NULL,
    ProgramVersion INT NOT NULL,
    Status NVARCHAR(20) NOT NULL CONSTRAINT CK_ProgramEnrolments_Status CHECK (Status IN ('active', 'completed', 'stopped')),
    StartedOn DATE NOT NULL,
    EnrolledBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    EndedAt DATETIME2(7) NULL
);
GO
CREATE INDEX IX_ProgramEnrolments_PracticeId_CoupleId ON dbo.ProgramEnrolments (PracticeId, CoupleId, CreatedAt, Id);
GO
-- The runner's scan of active enrolments.
CREATE INDEX IX_ProgramEnrolments_Status ON dbo.ProgramEnrolments (Status, PracticeId, Id);
GO
-- One running enrolment per couple and program, whatever the instance.
CREATE UNIQUE INDEX UX_ProgramEnrolments_Running ON dbo.ProgramEnrolments (CoupleId, ProgramId) WHERE Status = 'active';
GO
-- Which assignment each item became: the key makes it once, across restarts and instances.
CREATE TABLE dbo.ProgramAssignments (
    EnrolmentId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ProgramAssignments_Enrolments REFERENCES dbo.ProgramEnrolments (Id),
    ItemKey NVARCHAR(100) NOT NULL,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ProgramAssignments_Practices REFERENCES dbo.Practices (Id),
    AssignmentId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ProgramAssignments_Assignments REFERENCES dbo.Assignments (Id),
    CreatedAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_ProgramAssignments PRIMARY KEY (EnrolmentId, ItemKey)
);
GO
