-- A session note is signed once by the treating therapist and never changes after; corrections are addenda.
ALTER TABLE dbo.Sessions ADD NoteSignedAt DATETIME2(7) NULL;
GO
ALTER TABLE dbo.Sessions ADD NoteSignedBy UNIQUEIDENTIFIER NULL CONSTRAINT FK_Sessions_NoteSignedBy REFERENCES dbo.Therapists (Id);
GO

CREATE TABLE dbo.SessionNoteAddenda (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_SessionNoteAddenda PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionNoteAddenda_Practices REFERENCES dbo.Practices (Id),
    SessionId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionNoteAddenda_Sessions REFERENCES dbo.Sessions (Id),
    AuthorId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionNoteAddenda_Therapists REFERENCES dbo.Therapists (Id),
    Text NVARCHAR(MAX) NOT NULL,
    CreatedAt DATETIME2(7) NOT NULL
);
GO
CREATE CLUSTERED INDEX IX_SessionNoteAddenda_PracticeId_SessionId ON dbo.SessionNoteAddenda (PracticeId, SessionId, CreatedAt, Id);
GO

-- Addenda are part of the record: never changed or removed.
CREATE TRIGGER dbo.TR_SessionNoteAddenda_AppendOnly ON dbo.SessionNoteAddenda INSTEAD OF UPDATE, DELETE
AS BEGIN
    SET NOCOUNT ON;
    THROW 51000, N'note addenda are append-only', 1;
END;
GO
