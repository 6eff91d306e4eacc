-- Recovery-log sharing names the couple it is shared in: a client in two couples who shares with one partner no longer
-- shares with the other. A row is a share; stopping removes it.
CREATE TABLE dbo.RecoveryLogShares (
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_RecoveryLogShares_Practices REFERENCES dbo.Practices (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_RecoveryLogShares_Clients REFERENCES dbo.Clients (Id),
    CoupleId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_RecoveryLogShares_Couples REFERENCES dbo.Couples (Id),
    SharedAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_RecoveryLogShares PRIMARY KEY (PracticeId, ClientId, CoupleId)
);
GO
-- A share given before this version carries over only where it could mean one partner: the client was in one couple
-- that is not closed. A client in several couples chooses again, per couple.
INSERT INTO dbo.RecoveryLogShares (PracticeId, ClientId, CoupleId, SharedAt)
SELECT s.PracticeId, s.ClientId, c.Id, s.ChangedAt
FROM dbo.RecoveryLogSharing s
JOIN dbo.Couples c ON c.PracticeId = s.PracticeId AND (c.PartnerAId = s.ClientId OR c.PartnerBId = s.ClientId) AND c.Status <> 'closed'
WHERE s.SharedWithPartner = 1
  AND (SELECT COUNT(*) FROM dbo.Couples o
       WHERE o.PracticeId = s.PracticeId AND (o.PartnerAId = s.ClientId OR o.PartnerBId = s.ClientId) AND o.Status <> 'closed') = 1;
GO
DROP TABLE dbo.RecoveryLogSharing;
GO
