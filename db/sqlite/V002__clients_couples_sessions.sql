-- The clinical record: clients and their care teams, couples with their repair case, and sessions.
CREATE TABLE Clients (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    FirstName TEXT NOT NULL,
    LastName TEXT NOT NULL,
    SearchName TEXT NOT NULL,
    DateOfBirth TEXT NULL,
    Email TEXT NULL,
    Phone TEXT NULL,
    PreferredLanguage TEXT NOT NULL CHECK (PreferredLanguage IN ('nl', 'en')),
    Pronouns TEXT NULL,
    Status TEXT NOT NULL CHECK (Status IN ('active', 'discharged')),
    Version INTEGER NOT NULL DEFAULT 1,
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL
);
CREATE UNIQUE INDEX UX_Clients_PracticeId_Id ON Clients (PracticeId, Id);

CREATE TABLE ClientIdentifiers (
    PracticeId TEXT NOT NULL,
    System TEXT NOT NULL,
    Value TEXT NOT NULL,
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    PRIMARY KEY (PracticeId, System, Value)
);
CREATE INDEX IX_ClientIdentifiers_PracticeId_ClientId ON ClientIdentifiers (PracticeId, ClientId);

CREATE TABLE CareTeam (
    PracticeId TEXT NOT NULL,
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    TherapistId TEXT NOT NULL REFERENCES Therapists (Id),
    PRIMARY KEY (PracticeId, ClientId, TherapistId)
);
CREATE UNIQUE INDEX UX_CareTeam_PracticeId_TherapistId ON CareTeam (PracticeId, TherapistId, ClientId);

CREATE TABLE Couples (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    PartnerAId TEXT NOT NULL REFERENCES Clients (Id),
    PartnerBId TEXT NOT NULL REFERENCES Clients (Id),
    PairKey TEXT NOT NULL,
    PartnerARole TEXT NOT NULL CHECK (PartnerARole IN ('breaching', 'hurt', 'in_recovery', 'partner')),
    PartnerBRole TEXT NOT NULL CHECK (PartnerBRole IN ('breaching', 'hurt', 'in_recovery', 'partner')),
    BreachType TEXT NOT NULL,
    DisclosedOn TEXT NULL,
    StartedOn TEXT NOT NULL,
    Status TEXT NOT NULL CHECK (Status IN ('active', 'paused', 'closed')),
    CurrentStep INTEGER NOT NULL CHECK (CurrentStep BETWEEN 1 AND 7),
    StepChangedAt TEXT NOT NULL,
    SafetyHold INTEGER NOT NULL DEFAULT 0,
    ClosedAt TEXT NULL,
    Version INTEGER NOT NULL DEFAULT 1,
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL,
    CHECK (PartnerAId <> PartnerBId)
);
CREATE UNIQUE INDEX UX_Couples_PracticeId_Id ON Couples (PracticeId, Id);
CREATE INDEX IX_Couples_PracticeId_PartnerAId ON Couples (PracticeId, PartnerAId);
CREATE INDEX IX_Couples_PracticeId_PartnerBId ON Couples (PracticeId, PartnerBId);
-- One open (active or paused) couple per pair of people.
CREATE UNIQUE INDEX UX_Couples_OpenPair ON Couples (PracticeId, PairKey) WHERE Status IN ('active', 'paused');

CREATE TABLE CoupleStepChanges (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    FromStep INTEGER NULL,
    ToStep INTEGER NOT NULL,
    Note TEXT NULL,
    ChangedBy TEXT NULL,
    ChangedAt TEXT NOT NULL
);
CREATE INDEX IX_CoupleStepChanges_PracticeId_CoupleId ON CoupleStepChanges (PracticeId, CoupleId, ChangedAt, Id);

CREATE TABLE CoupleBreaches (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    OccurredOn TEXT NOT NULL,
    BreachType TEXT NOT NULL,
    Note TEXT NULL,
    RecordedBy TEXT NULL,
    RecordedAt TEXT NOT NULL
);
CREATE INDEX IX_CoupleBreaches_PracticeId_CoupleId ON CoupleBreaches (PracticeId, CoupleId, RecordedAt, Id);

CREATE TABLE SafetyScreenings (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL,
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    AbuseOrDanger INTEGER NOT NULL,
    UntreatedAddiction INTEGER NOT NULL,
    Notes TEXT NULL,
    ScreenedBy TEXT NULL,
    ScreenedAt TEXT NOT NULL
);
CREATE INDEX IX_SafetyScreenings_PracticeId_CoupleId ON SafetyScreenings (PracticeId, CoupleId, ScreenedAt, Id);

CREATE TABLE Sessions (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    TherapistId TEXT NOT NULL REFERENCES Therapists (Id),
    ClientId TEXT NULL REFERENCES Clients (Id),
    CoupleId TEXT NULL REFERENCES Couples (Id),
    Kind TEXT NOT NULL CHECK (Kind IN ('intake', 'individual', 'couple', 'family')),
    Modality TEXT NOT NULL CHECK (Modality IN ('in_person', 'video', 'phone')),
    StartsAt TEXT NOT NULL,
    EndsAt TEXT NOT NULL,
    DurationMinutes INTEGER NOT NULL,
    Status TEXT NOT NULL CHECK (Status IN ('scheduled', 'completed', 'cancelled', 'late_cancelled', 'no_show')),
    CancelReason TEXT NULL,
    CancelledByClient INTEGER NULL,
    CancelledAt TEXT NULL,
    CompletedAt TEXT NULL,
    NoteFormat TEXT NULL,
    NoteSections TEXT NULL,
    Version INTEGER NOT NULL DEFAULT 1,
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL,
    CHECK ((ClientId IS NULL) <> (CoupleId IS NULL))
);
CREATE UNIQUE INDEX UX_Sessions_PracticeId_StartsAt ON Sessions (PracticeId, StartsAt, Id);
CREATE INDEX IX_Sessions_PracticeId_TherapistId ON Sessions (PracticeId, TherapistId, StartsAt, Id);
CREATE INDEX IX_Sessions_PracticeId_CoupleId ON Sessions (PracticeId, CoupleId, StartsAt, Id);

-- Who a session is with (the client, or both partners): drives client filters and caseload checks.
CREATE TABLE SessionClients (
    PracticeId TEXT NOT NULL,
    SessionId TEXT NOT NULL REFERENCES Sessions (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    StartsAt TEXT NOT NULL,
    Attended INTEGER NULL,
    PRIMARY KEY (SessionId, ClientId)
);
CREATE INDEX IX_SessionClients_PracticeId_ClientId ON SessionClients (PracticeId, ClientId, StartsAt, SessionId);

CREATE TABLE SessionIdentifiers (
    PracticeId TEXT NOT NULL,
    System TEXT NOT NULL,
    Value TEXT NOT NULL,
    SessionId TEXT NOT NULL REFERENCES Sessions (Id),
    PRIMARY KEY (PracticeId, System, Value)
);
CREATE INDEX IX_SessionIdentifiers_PracticeId_SessionId ON SessionIdentifiers (PracticeId, SessionId);
