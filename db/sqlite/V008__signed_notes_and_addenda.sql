-- A session note is signed once by the treating therapist and never changes after; corrections are addenda.
ALTER TABLE Sessions ADD COLUMN NoteSignedAt TEXT NULL;
ALTER TABLE Sessions ADD COLUMN NoteSignedBy TEXT NULL REFERENCES Therapists (Id);

CREATE TABLE SessionNoteAddenda (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    SessionId TEXT NOT NULL REFERENCES Sessions (Id),
    AuthorId TEXT NOT NULL REFERENCES Therapists (Id),
    Text TEXT NOT NULL,
    CreatedAt TEXT NOT NULL
);
CREATE INDEX IX_SessionNoteAddenda_PracticeId_SessionId ON SessionNoteAddenda (PracticeId, SessionId, CreatedAt, Id);

-- Addenda are part of the record: never changed or removed.
CREATE TRIGGER TR_SessionNoteAddenda_NoUpdate BEFORE UPDATE ON SessionNoteAddenda
BEGIN SELECT RAISE(ABORT, 'note addenda are append-only'); END;
CREATE TRIGGER TR_SessionNoteAddenda_NoDelete BEFORE DELETE ON SessionNoteAddenda
BEGIN SELECT RAISE(ABORT, 'note addenda are append-only'); END;
