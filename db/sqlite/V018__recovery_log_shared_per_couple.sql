-- Recovery-log sharing names the couple it is shared in: a client in two couples who shares with one partner no longer
-- shares with the other. A row is a share; stopping removes it.
CREATE TABLE RecoveryLogShares (
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    CoupleId TEXT NOT NULL REFERENCES Couples (Id),
    SharedAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, ClientId, CoupleId)
);

-- A share given before this version carries over only where it could mean one partner: the client was in one couple
-- that is not closed. A client in several couples chooses again, per couple.
INSERT INTO RecoveryLogShares (PracticeId, ClientId, CoupleId, SharedAt)
SELECT s.PracticeId, s.ClientId, c.Id, s.ChangedAt
FROM RecoveryLogSharing s
JOIN Couples c ON c.PracticeId = s.PracticeId AND (c.PartnerAId = s.ClientId OR c.PartnerBId = s.ClientId) AND c.Status <> 'closed'
WHERE s.SharedWithPartner = 1
  AND (SELECT COUNT(*) FROM Couples o
       WHERE o.PracticeId = s.PracticeId AND (o.PartnerAId = s.ClientId OR o.PartnerBId = s.ClientId) AND o.Status <> 'closed') = 1;

DROP TABLE RecoveryLogSharing;
