-- Outcome measures: a practice's questionnaires that are scored (items with answer options each worth a number, a sum and
-- optional subscale sums, severity bands, critical items with the alert they raise, optional LOINC codes). A definition is
-- versioned by its key: a change is a new version, and a score always names the version it was taken with.
CREATE TABLE dbo.MeasureDefinitions (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_MeasureDefinitions PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_MeasureDefinitions_Practices REFERENCES dbo.Practices (Id),
    MeasureKey NVARCHAR(60) NOT NULL,
    Version INT NOT NULL,
    Name NVARCHAR(200) NOT NULL,
    Definition NVARCHAR(MAX) NOT NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL
);
GO
CREATE UNIQUE INDEX UX_MeasureDefinitions_PracticeId_Key_Version ON dbo.MeasureDefinitions (PracticeId, MeasureKey, Version);
GO
CREATE CLUSTERED INDEX IX_MeasureDefinitions_PracticeId_Id ON dbo.MeasureDefinitions (PracticeId, Id);
GO

-- A measure taken by a client: the answers (the option codes), scored on submission.
CREATE TABLE dbo.MeasureScores (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_MeasureScores PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_MeasureScores_Practices REFERENCES dbo.Practices (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_MeasureScores_Clients REFERENCES dbo.Clients (Id),
    MeasureId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_MeasureScores_Definitions REFERENCES dbo.MeasureDefinitions (Id),
    Answers NVARCHAR(MAX) NOT NULL,
    Total INT NOT NULL,
    Band NVARCHAR(100) NULL,
    Subscales NVARCHAR(MAX) NOT NULL,
    Critical NVARCHAR(MAX) NOT NULL,
    RecordedBy UNIQUEIDENTIFIER NULL,
    RecordedVia NVARCHAR(10) NOT NULL CONSTRAINT CK_MeasureScores_Via CHECK (RecordedVia IN (N'portal', N'staff')),
    TakenAt DATETIME2(7) NOT NULL
);
GO
CREATE CLUSTERED INDEX IX_MeasureScores_PracticeId_ClientId ON dbo.MeasureScores (PracticeId, ClientId, TakenAt, Id);
GO
