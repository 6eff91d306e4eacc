-- Trust-repair exercises: the catalogue, assignments and responses, client portal tokens, the trust contract,
-- trigger plan and episodes, milestones and the support network.
ALTER TABLE dbo.ApiTokens ADD ClientId UNIQUEIDENTIFIER NULL CONSTRAINT FK_ApiTokens_Clients REFERENCES dbo.Clients (Id);
GO
CREATE INDEX IX_ApiTokens_PracticeId_ClientId ON dbo.ApiTokens (PracticeId, ClientId);
GO

-- Built-in templates belong to the product: PracticeId is the all-zero id for them.
CREATE TABLE dbo.ExerciseTemplates (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_ExerciseTemplates PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    [Key] NVARCHAR(100) NOT NULL,
    CurrentVersion INT NOT NULL,
    IsBuiltIn BIT NOT NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    UpdatedAt DATETIME2(7) NOT NULL
);
CREATE UNIQUE INDEX UX_ExerciseTemplates_PracticeId_Key ON dbo.ExerciseTemplates (PracticeId, [Key]);
CREATE UNIQUE CLUSTERED INDEX UX_ExerciseTemplates_PracticeId_Id ON dbo.ExerciseTemplates (PracticeId, Id);
GO

CREATE TABLE dbo.ExerciseTemplateVersions (
    TemplateId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ExerciseTemplateVersions_Templates REFERENCES dbo.ExerciseTemplates (Id),
    Version INT NOT NULL,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    TitleEn NVARCHAR(200) NOT NULL,
    TitleNl NVARCHAR(200) NOT NULL,
    InstructionsEn NVARCHAR(4000) NOT NULL,
    InstructionsNl NVARCHAR(4000) NOT NULL,
    Audience NVARCHAR(30) NOT NULL,
    Cadence NVARCHAR(10) NOT NULL,
    EstimatedMinutes INT NOT NULL,
    Steps NVARCHAR(40) NOT NULL,
    Conjoint BIT NOT NULL,
    Fields NVARCHAR(MAX) NOT NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    CONSTRAINT PK_ExerciseTemplateVersions PRIMARY KEY CLUSTERED (TemplateId, Version)
);
GO

CREATE TABLE dbo.Assignments (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Assignments PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Assignments_Practices REFERENCES dbo.Practices (Id),
    TemplateId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Assignments_Templates REFERENCES dbo.ExerciseTemplates (Id),
    TemplateVersion INT NOT NULL,
    ClientId UNIQUEIDENTIFIER NULL CONSTRAINT FK_Assignments_Clients REFERENCES dbo.Clients (Id),
    CoupleId UNIQUEIDENTIFIER NULL CONSTRAINT FK_Assignments_Couples REFERENCES dbo.Couples (Id),
    Respondents NVARCHAR(60) NOT NULL,
    Cadence NVARCHAR(10) NOT NULL CONSTRAINT CK_Assignments_Cadence CHECK (Cadence IN (N'once', N'daily', N'weekly', N'monthly')),
    StartsOn DATE NOT NULL,
    EndsOn DATE NULL,
    Occurrences INT NULL,
    DueTime NVARCHAR(5) NOT NULL,
    LastDueAt DATETIME2(7) NOT NULL,
    Note NVARCHAR(2000) NULL,
    Visibility NVARCHAR(20) NOT NULL CONSTRAINT CK_Assignments_Visibility CHECK (Visibility IN (N'private', N'shared', N'mutual_reveal', N'therapist_release')),
    Status NVARCHAR(20) NOT NULL CONSTRAINT CK_Assignments_Status CHECK (Status IN (N'active', N'completed', N'cancelled')),
    SafetyOverrideReason NVARCHAR(1000) NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    CancelledAt DATETIME2(7) NULL,
    Version INT NOT NULL CONSTRAINT DF_Assignments_Version DEFAULT 1,
    CreatedAt DATETIME2(7) NOT NULL,
    UpdatedAt DATETIME2(7) NOT NULL,
    CONSTRAINT CK_Assignments_OneSubject CHECK ((ClientId IS NULL AND CoupleId IS NOT NULL) OR (ClientId IS NOT NULL AND CoupleId IS NULL))
);
CREATE UNIQUE CLUSTERED INDEX UX_Assignments_PracticeId_Id ON dbo.Assignments (PracticeId, Id);
CREATE INDEX IX_Assignments_PracticeId_CoupleId ON dbo.Assignments (PracticeId, CoupleId, Id);
CREATE INDEX IX_Assignments_PracticeId_ClientId ON dbo.Assignments (PracticeId, ClientId, Id);
GO

CREATE TABLE dbo.AssignmentRespondents (
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    AssignmentId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_AssignmentRespondents_Assignments REFERENCES dbo.Assignments (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_AssignmentRespondents_Clients REFERENCES dbo.Clients (Id),
    CONSTRAINT PK_AssignmentRespondents PRIMARY KEY NONCLUSTERED (AssignmentId, ClientId)
);
CREATE CLUSTERED INDEX IX_AssignmentRespondents_PracticeId_ClientId ON dbo.AssignmentRespondents (PracticeId, ClientId, AssignmentId);
GO

CREATE TABLE dbo.Responses (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Responses PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    AssignmentId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Responses_Assignments REFERENCES dbo.Assignments (Id),
    RespondentId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Responses_Clients REFERENCES dbo.Clients (Id),
    OccurrenceDate DATE NOT NULL,
    Revision INT NOT NULL,
    Answers NVARCHAR(MAX) NOT NULL,
    SubmittedAt DATETIME2(7) NOT NULL,
    SubmittedBy UNIQUEIDENTIFIER NULL,
    Feedback NVARCHAR(4000) NULL,
    ReviewedBy UNIQUEIDENTIFIER NULL,
    ReviewedAt DATETIME2(7) NULL,
    ReleasedAt DATETIME2(7) NULL
);
CREATE UNIQUE INDEX UX_Responses_Occurrence_Revision ON dbo.Responses (AssignmentId, RespondentId, OccurrenceDate, Revision);
CREATE CLUSTERED INDEX IX_Responses_PracticeId_AssignmentId ON dbo.Responses (PracticeId, AssignmentId, OccurrenceDate, Id);
CREATE INDEX IX_Responses_PracticeId_RespondentId ON dbo.Responses (PracticeId, RespondentId, OccurrenceDate);
GO

CREATE TABLE dbo.TrustContracts (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_TrustContracts PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_TrustContracts_Couples REFERENCES dbo.Couples (Id),
    Version INT NOT NULL,
    Lines NVARCHAR(MAX) NOT NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL
);
CREATE UNIQUE CLUSTERED INDEX UX_TrustContracts_PracticeId_CoupleId_Version ON dbo.TrustContracts (PracticeId, CoupleId, Version);
GO

CREATE TABLE dbo.TrustContractAgreements (
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_TrustContractAgreements_Couples REFERENCES dbo.Couples (Id),
    Version INT NOT NULL,
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_TrustContractAgreements_Clients REFERENCES dbo.Clients (Id),
    AgreedAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_TrustContractAgreements PRIMARY KEY NONCLUSTERED (CoupleId, Version, ClientId)
);
CREATE CLUSTERED INDEX IX_TrustContractAgreements_PracticeId_CoupleId ON dbo.TrustContractAgreements (PracticeId, CoupleId, Version);
GO

CREATE TABLE dbo.TrustContractEvaluations (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_TrustContractEvaluations PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_TrustContractEvaluations_Couples REFERENCES dbo.Couples (Id),
    Version INT NOT NULL,
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_TrustContractEvaluations_Clients REFERENCES dbo.Clients (Id),
    Month CHAR(7) NOT NULL,
    Ratings NVARCHAR(MAX) NOT NULL,
    Decisions NVARCHAR(MAX) NOT NULL,
    SubmittedAt DATETIME2(7) NOT NULL
);
CREATE UNIQUE INDEX UX_TrustContractEvaluations_Month ON dbo.TrustContractEvaluations (PracticeId, CoupleId, ClientId, Month);
CREATE CLUSTERED INDEX IX_TrustContractEvaluations_PracticeId_CoupleId ON dbo.TrustContractEvaluations (PracticeId, CoupleId, Month, Id);
GO

CREATE TABLE dbo.TriggerPlans (
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_TriggerPlans PRIMARY KEY NONCLUSTERED CONSTRAINT FK_TriggerPlans_Couples REFERENCES dbo.Couples (Id),
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    [Plan] NVARCHAR(MAX) NOT NULL,
    Version INT NOT NULL,
    UpdatedBy UNIQUEIDENTIFIER NULL,
    UpdatedAt DATETIME2(7) NOT NULL
);
CREATE UNIQUE CLUSTERED INDEX UX_TriggerPlans_PracticeId_CoupleId ON dbo.TriggerPlans (PracticeId, CoupleId);
GO

CREATE TABLE dbo.TriggerEpisodes (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_TriggerEpisodes PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_TriggerEpisodes_Couples REFERENCES dbo.Couples (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_TriggerEpisodes_Clients REFERENCES dbo.Clients (Id),
    OccurredAt DATETIME2(7) NOT NULL,
    Intensity INT NOT NULL CONSTRAINT CK_TriggerEpisodes_Intensity CHECK (Intensity BETWEEN 1 AND 10),
    TriggerText NVARCHAR(2000) NULL,
    WhatHelped NVARCHAR(2000) NULL,
    RecordedBy UNIQUEIDENTIFIER NULL,
    RecordedAt DATETIME2(7) NOT NULL
);
CREATE CLUSTERED INDEX IX_TriggerEpisodes_PracticeId_CoupleId ON dbo.TriggerEpisodes (PracticeId, CoupleId, OccurredAt, Id);
GO

CREATE TABLE dbo.Milestones (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Milestones PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Milestones_Couples REFERENCES dbo.Couples (Id),
    Title NVARCHAR(200) NOT NULL,
    OccurredOn DATE NOT NULL,
    Note NVARCHAR(2000) NULL,
    RecordedBy UNIQUEIDENTIFIER NULL,
    RecordedByKind NVARCHAR(20) NOT NULL,
    RecordedAt DATETIME2(7) NOT NULL
);
CREATE CLUSTERED INDEX IX_Milestones_PracticeId_CoupleId ON dbo.Milestones (PracticeId, CoupleId, OccurredOn, Id);
GO

CREATE TABLE dbo.SupportPeople (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_SupportPeople PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SupportPeople_Clients REFERENCES dbo.Clients (Id),
    Name NVARCHAR(200) NOT NULL,
    Relationship NVARCHAR(20) NOT NULL,
    Effect NVARCHAR(10) NOT NULL CONSTRAINT CK_SupportPeople_Effect CHECK (Effect IN (N'supports', N'strains', N'both')),
    Expectations NVARCHAR(2000) NULL,
    MayContact BIT NOT NULL,
    Contact NVARCHAR(320) NULL,
    Version INT NOT NULL CONSTRAINT DF_SupportPeople_Version DEFAULT 1,
    CreatedAt DATETIME2(7) NOT NULL,
    UpdatedAt DATETIME2(7) NOT NULL
);
CREATE CLUSTERED INDEX IX_SupportPeople_PracticeId_ClientId ON dbo.SupportPeople (PracticeId, ClientId, Id);
GO
