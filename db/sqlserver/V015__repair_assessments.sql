-- The therapist's assessment of whether the trust looks repairable (seed 003's signs), recorded over time; therapists only.
CREATE TABLE dbo.RepairAssessments (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_RepairAssessments PRIMARY KEY,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_RepairAssessments_Practices REFERENCES dbo.Practices (Id),
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_RepairAssessments_Couples REFERENCES dbo.Couples (Id),
    AssessedOn DATE NOT NULL,
    RepairableSigns NVARCHAR(1000) NOT NULL,
    IrreparableSigns NVARCHAR(1000) NOT NULL,
    Motivations NVARCHAR(1000) NOT NULL,
    Outlook NVARCHAR(30) NOT NULL CONSTRAINT CK_RepairAssessments_Outlook CHECK (Outlook IN ('repairable', 'uncertain', 'consider_letting_go')),
    Note NVARCHAR(2000) NULL,
    AssessedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL
);
GO
CREATE INDEX IX_RepairAssessments_PracticeId_CoupleId ON dbo.RepairAssessments (PracticeId, CoupleId, AssessedOn, Id);
GO
