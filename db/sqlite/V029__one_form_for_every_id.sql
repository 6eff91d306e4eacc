-- One form for every id: a 16-byte blob, most significant byte first, as the audit tables have held them since V016
-- (StoredIds in the code). Until now the other tables held ids as 36 characters of upper-case text: more than twice
-- the bytes in every row, key and index, and two forms that a statement could mix up. The order of the blobs is the
-- order of the text, so every keyset page and index reads in the same order as before. An export file's clients become
-- their blobs end to end, as an audit event's.
--
-- Every value is checked before any is changed: a value that is not a GUID stops the migration, and the whole file
-- rolls back, instead of becoming NULL. Foreign keys are checked once, at the end, when every table is converted.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE V029Check (
    Place TEXT NULL,
    CONSTRAINT "V029: an id column holds a value that is not a GUID" CHECK (Place IS NULL)
);

INSERT INTO V029Check (Place)
SELECT 'Practices.Id' FROM Practices
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Therapists.Id' FROM Therapists
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Therapists.PracticeId' FROM Therapists
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ApiTokens.Id' FROM ApiTokens
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'ApiTokens.PracticeId' FROM ApiTokens
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ApiTokens.TherapistId' FROM ApiTokens
    WHERE TherapistId IS NOT NULL AND length(unhex(TherapistId, '-')) IS NOT 16
UNION ALL SELECT 'ApiTokens.CreatedBy' FROM ApiTokens
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'ApiTokens.ClientId' FROM ApiTokens
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'ApiTokens.ConsentRecipientId' FROM ApiTokens
    WHERE ConsentRecipientId IS NOT NULL AND length(unhex(ConsentRecipientId, '-')) IS NOT 16
UNION ALL SELECT 'Clients.Id' FROM Clients
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Clients.PracticeId' FROM Clients
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ClientIdentifiers.PracticeId' FROM ClientIdentifiers
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ClientIdentifiers.ClientId' FROM ClientIdentifiers
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'CareTeam.PracticeId' FROM CareTeam
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'CareTeam.ClientId' FROM CareTeam
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'CareTeam.TherapistId' FROM CareTeam
    WHERE TherapistId IS NOT NULL AND length(unhex(TherapistId, '-')) IS NOT 16
UNION ALL SELECT 'Couples.Id' FROM Couples
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Couples.PracticeId' FROM Couples
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'Couples.PartnerAId' FROM Couples
    WHERE PartnerAId IS NOT NULL AND length(unhex(PartnerAId, '-')) IS NOT 16
UNION ALL SELECT 'Couples.PartnerBId' FROM Couples
    WHERE PartnerBId IS NOT NULL AND length(unhex(PartnerBId, '-')) IS NOT 16
UNION ALL SELECT 'CoupleStepChanges.Id' FROM CoupleStepChanges
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'CoupleStepChanges.PracticeId' FROM CoupleStepChanges
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'CoupleStepChanges.CoupleId' FROM CoupleStepChanges
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'CoupleStepChanges.ChangedBy' FROM CoupleStepChanges
    WHERE ChangedBy IS NOT NULL AND length(unhex(ChangedBy, '-')) IS NOT 16
UNION ALL SELECT 'CoupleBreaches.Id' FROM CoupleBreaches
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'CoupleBreaches.PracticeId' FROM CoupleBreaches
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'CoupleBreaches.CoupleId' FROM CoupleBreaches
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'CoupleBreaches.RecordedBy' FROM CoupleBreaches
    WHERE RecordedBy IS NOT NULL AND length(unhex(RecordedBy, '-')) IS NOT 16
UNION ALL SELECT 'SafetyScreenings.Id' FROM SafetyScreenings
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'SafetyScreenings.PracticeId' FROM SafetyScreenings
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SafetyScreenings.CoupleId' FROM SafetyScreenings
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'SafetyScreenings.ClientId' FROM SafetyScreenings
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'SafetyScreenings.ScreenedBy' FROM SafetyScreenings
    WHERE ScreenedBy IS NOT NULL AND length(unhex(ScreenedBy, '-')) IS NOT 16
UNION ALL SELECT 'Sessions.Id' FROM Sessions
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Sessions.PracticeId' FROM Sessions
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'Sessions.TherapistId' FROM Sessions
    WHERE TherapistId IS NOT NULL AND length(unhex(TherapistId, '-')) IS NOT 16
UNION ALL SELECT 'Sessions.ClientId' FROM Sessions
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'Sessions.CoupleId' FROM Sessions
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'Sessions.NoteSignedBy' FROM Sessions
    WHERE NoteSignedBy IS NOT NULL AND length(unhex(NoteSignedBy, '-')) IS NOT 16
UNION ALL SELECT 'Sessions.SeriesId' FROM Sessions
    WHERE SeriesId IS NOT NULL AND length(unhex(SeriesId, '-')) IS NOT 16
UNION ALL SELECT 'SessionClients.PracticeId' FROM SessionClients
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SessionClients.SessionId' FROM SessionClients
    WHERE SessionId IS NOT NULL AND length(unhex(SessionId, '-')) IS NOT 16
UNION ALL SELECT 'SessionClients.ClientId' FROM SessionClients
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'SessionIdentifiers.PracticeId' FROM SessionIdentifiers
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SessionIdentifiers.SessionId' FROM SessionIdentifiers
    WHERE SessionId IS NOT NULL AND length(unhex(SessionId, '-')) IS NOT 16
UNION ALL SELECT 'ExerciseTemplates.Id' FROM ExerciseTemplates
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'ExerciseTemplates.PracticeId' FROM ExerciseTemplates
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ExerciseTemplateVersions.TemplateId' FROM ExerciseTemplateVersions
    WHERE TemplateId IS NOT NULL AND length(unhex(TemplateId, '-')) IS NOT 16
UNION ALL SELECT 'ExerciseTemplateVersions.PracticeId' FROM ExerciseTemplateVersions
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ExerciseTemplateVersions.CreatedBy' FROM ExerciseTemplateVersions
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'Assignments.Id' FROM Assignments
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Assignments.PracticeId' FROM Assignments
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'Assignments.TemplateId' FROM Assignments
    WHERE TemplateId IS NOT NULL AND length(unhex(TemplateId, '-')) IS NOT 16
UNION ALL SELECT 'Assignments.ClientId' FROM Assignments
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'Assignments.CoupleId' FROM Assignments
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'Assignments.CreatedBy' FROM Assignments
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'AssignmentRespondents.PracticeId' FROM AssignmentRespondents
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'AssignmentRespondents.AssignmentId' FROM AssignmentRespondents
    WHERE AssignmentId IS NOT NULL AND length(unhex(AssignmentId, '-')) IS NOT 16
UNION ALL SELECT 'AssignmentRespondents.ClientId' FROM AssignmentRespondents
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'Responses.Id' FROM Responses
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Responses.PracticeId' FROM Responses
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'Responses.AssignmentId' FROM Responses
    WHERE AssignmentId IS NOT NULL AND length(unhex(AssignmentId, '-')) IS NOT 16
UNION ALL SELECT 'Responses.RespondentId' FROM Responses
    WHERE RespondentId IS NOT NULL AND length(unhex(RespondentId, '-')) IS NOT 16
UNION ALL SELECT 'Responses.SubmittedBy' FROM Responses
    WHERE SubmittedBy IS NOT NULL AND length(unhex(SubmittedBy, '-')) IS NOT 16
UNION ALL SELECT 'Responses.ReviewedBy' FROM Responses
    WHERE ReviewedBy IS NOT NULL AND length(unhex(ReviewedBy, '-')) IS NOT 16
UNION ALL SELECT 'TrustContracts.Id' FROM TrustContracts
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'TrustContracts.PracticeId' FROM TrustContracts
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'TrustContracts.CoupleId' FROM TrustContracts
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'TrustContracts.CreatedBy' FROM TrustContracts
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'TrustContractAgreements.PracticeId' FROM TrustContractAgreements
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'TrustContractAgreements.CoupleId' FROM TrustContractAgreements
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'TrustContractAgreements.ClientId' FROM TrustContractAgreements
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'TrustContractEvaluations.Id' FROM TrustContractEvaluations
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'TrustContractEvaluations.PracticeId' FROM TrustContractEvaluations
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'TrustContractEvaluations.CoupleId' FROM TrustContractEvaluations
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'TrustContractEvaluations.ClientId' FROM TrustContractEvaluations
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'TriggerPlans.CoupleId' FROM TriggerPlans
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'TriggerPlans.PracticeId' FROM TriggerPlans
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'TriggerPlans.UpdatedBy' FROM TriggerPlans
    WHERE UpdatedBy IS NOT NULL AND length(unhex(UpdatedBy, '-')) IS NOT 16
UNION ALL SELECT 'TriggerEpisodes.Id' FROM TriggerEpisodes
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'TriggerEpisodes.PracticeId' FROM TriggerEpisodes
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'TriggerEpisodes.CoupleId' FROM TriggerEpisodes
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'TriggerEpisodes.ClientId' FROM TriggerEpisodes
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'TriggerEpisodes.RecordedBy' FROM TriggerEpisodes
    WHERE RecordedBy IS NOT NULL AND length(unhex(RecordedBy, '-')) IS NOT 16
UNION ALL SELECT 'Milestones.Id' FROM Milestones
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Milestones.PracticeId' FROM Milestones
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'Milestones.CoupleId' FROM Milestones
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'Milestones.RecordedBy' FROM Milestones
    WHERE RecordedBy IS NOT NULL AND length(unhex(RecordedBy, '-')) IS NOT 16
UNION ALL SELECT 'SupportPeople.Id' FROM SupportPeople
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'SupportPeople.PracticeId' FROM SupportPeople
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SupportPeople.ClientId' FROM SupportPeople
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'IdempotencyKeys.PracticeId' FROM IdempotencyKeys
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'IdempotencyKeys.TokenId' FROM IdempotencyKeys
    WHERE TokenId IS NOT NULL AND length(unhex(TokenId, '-')) IS NOT 16
UNION ALL SELECT 'OutboxEvents.Id' FROM OutboxEvents
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'OutboxEvents.PracticeId' FROM OutboxEvents
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'WebhookSubscriptions.Id' FROM WebhookSubscriptions
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'WebhookSubscriptions.PracticeId' FROM WebhookSubscriptions
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'WebhookSubscriptions.CreatedBy' FROM WebhookSubscriptions
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'WebhookDeliveries.Id' FROM WebhookDeliveries
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'WebhookDeliveries.PracticeId' FROM WebhookDeliveries
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'WebhookDeliveries.SubscriptionId' FROM WebhookDeliveries
    WHERE SubscriptionId IS NOT NULL AND length(unhex(SubscriptionId, '-')) IS NOT 16
UNION ALL SELECT 'WebhookDeliveries.EventId' FROM WebhookDeliveries
    WHERE EventId IS NOT NULL AND length(unhex(EventId, '-')) IS NOT 16
UNION ALL SELECT 'WebhookAttempts.Id' FROM WebhookAttempts
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'WebhookAttempts.PracticeId' FROM WebhookAttempts
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'WebhookAttempts.DeliveryId' FROM WebhookAttempts
    WHERE DeliveryId IS NOT NULL AND length(unhex(DeliveryId, '-')) IS NOT 16
UNION ALL SELECT 'SmartClients.Id' FROM SmartClients
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'SmartClients.PracticeId' FROM SmartClients
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SmartClients.CreatedBy' FROM SmartClients
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'SmartAssertions.PracticeId' FROM SmartAssertions
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SmartAssertions.ClientId' FROM SmartAssertions
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'SessionNoteAddenda.Id' FROM SessionNoteAddenda
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'SessionNoteAddenda.PracticeId' FROM SessionNoteAddenda
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SessionNoteAddenda.SessionId' FROM SessionNoteAddenda
    WHERE SessionId IS NOT NULL AND length(unhex(SessionId, '-')) IS NOT 16
UNION ALL SELECT 'SessionNoteAddenda.AuthorId' FROM SessionNoteAddenda
    WHERE AuthorId IS NOT NULL AND length(unhex(AuthorId, '-')) IS NOT 16
UNION ALL SELECT 'SessionSeries.Id' FROM SessionSeries
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'SessionSeries.PracticeId' FROM SessionSeries
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SessionSeries.TherapistId' FROM SessionSeries
    WHERE TherapistId IS NOT NULL AND length(unhex(TherapistId, '-')) IS NOT 16
UNION ALL SELECT 'SessionSeries.ClientId' FROM SessionSeries
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'SessionSeries.CoupleId' FROM SessionSeries
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'ErasureRequests.Id' FROM ErasureRequests
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'ErasureRequests.PracticeId' FROM ErasureRequests
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ErasureRequests.ClientId' FROM ErasureRequests
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'ErasureRequests.RecordedBy' FROM ErasureRequests
    WHERE RecordedBy IS NOT NULL AND length(unhex(RecordedBy, '-')) IS NOT 16
UNION ALL SELECT 'ErasureRequests.DecidedBy' FROM ErasureRequests
    WHERE DecidedBy IS NOT NULL AND length(unhex(DecidedBy, '-')) IS NOT 16
UNION ALL SELECT 'OccurrenceNotices.PracticeId' FROM OccurrenceNotices
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'OccurrenceNotices.AssignmentId' FROM OccurrenceNotices
    WHERE AssignmentId IS NOT NULL AND length(unhex(AssignmentId, '-')) IS NOT 16
UNION ALL SELECT 'OccurrenceNotices.RespondentId' FROM OccurrenceNotices
    WHERE RespondentId IS NOT NULL AND length(unhex(RespondentId, '-')) IS NOT 16
UNION ALL SELECT 'Programs.Id' FROM Programs
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Programs.PracticeId' FROM Programs
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ProgramVersions.ProgramId' FROM ProgramVersions
    WHERE ProgramId IS NOT NULL AND length(unhex(ProgramId, '-')) IS NOT 16
UNION ALL SELECT 'ProgramVersions.CreatedBy' FROM ProgramVersions
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'ProgramEnrolments.Id' FROM ProgramEnrolments
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'ProgramEnrolments.PracticeId' FROM ProgramEnrolments
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ProgramEnrolments.CoupleId' FROM ProgramEnrolments
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'ProgramEnrolments.ProgramId' FROM ProgramEnrolments
    WHERE ProgramId IS NOT NULL AND length(unhex(ProgramId, '-')) IS NOT 16
UNION ALL SELECT 'ProgramEnrolments.EnrolledBy' FROM ProgramEnrolments
    WHERE EnrolledBy IS NOT NULL AND length(unhex(EnrolledBy, '-')) IS NOT 16
UNION ALL SELECT 'ProgramAssignments.EnrolmentId' FROM ProgramAssignments
    WHERE EnrolmentId IS NOT NULL AND length(unhex(EnrolmentId, '-')) IS NOT 16
UNION ALL SELECT 'ProgramAssignments.PracticeId' FROM ProgramAssignments
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ProgramAssignments.AssignmentId' FROM ProgramAssignments
    WHERE AssignmentId IS NOT NULL AND length(unhex(AssignmentId, '-')) IS NOT 16
UNION ALL SELECT 'RecoveryEntries.Id' FROM RecoveryEntries
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'RecoveryEntries.PracticeId' FROM RecoveryEntries
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'RecoveryEntries.ClientId' FROM RecoveryEntries
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'RecoveryEntries.RecordedBy' FROM RecoveryEntries
    WHERE RecordedBy IS NOT NULL AND length(unhex(RecordedBy, '-')) IS NOT 16
UNION ALL SELECT 'RepairAssessments.Id' FROM RepairAssessments
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'RepairAssessments.PracticeId' FROM RepairAssessments
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'RepairAssessments.CoupleId' FROM RepairAssessments
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'RepairAssessments.AssessedBy' FROM RepairAssessments
    WHERE AssessedBy IS NOT NULL AND length(unhex(AssessedBy, '-')) IS NOT 16
UNION ALL SELECT 'RecoveryLogShares.PracticeId' FROM RecoveryLogShares
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'RecoveryLogShares.ClientId' FROM RecoveryLogShares
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'RecoveryLogShares.CoupleId' FROM RecoveryLogShares
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'BulkExports.Id' FROM BulkExports
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'BulkExports.PracticeId' FROM BulkExports
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'BulkExports.TokenId' FROM BulkExports
    WHERE TokenId IS NOT NULL AND length(unhex(TokenId, '-')) IS NOT 16
UNION ALL SELECT 'BulkExports.Requester' FROM BulkExports
    WHERE Requester IS NOT NULL AND length(unhex(Requester, '-')) IS NOT 16
UNION ALL SELECT 'BulkExports.TherapistId' FROM BulkExports
    WHERE TherapistId IS NOT NULL AND length(unhex(TherapistId, '-')) IS NOT 16
UNION ALL SELECT 'BulkExports.GroupId' FROM BulkExports
    WHERE GroupId IS NOT NULL AND length(unhex(GroupId, '-')) IS NOT 16
UNION ALL SELECT 'BulkExportFiles.Id' FROM BulkExportFiles
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'BulkExportFiles.PracticeId' FROM BulkExportFiles
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'BulkExportFiles.ExportId' FROM BulkExportFiles
    WHERE ExportId IS NOT NULL AND length(unhex(ExportId, '-')) IS NOT 16
UNION ALL SELECT 'FeeSchedules.Id' FROM FeeSchedules
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'FeeSchedules.PracticeId' FROM FeeSchedules
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'FeeSchedules.CreatedBy' FROM FeeSchedules
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'BillingDetails.PracticeId' FROM BillingDetails
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'BillingDetails.ClientId' FROM BillingDetails
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'CoupleBilling.PracticeId' FROM CoupleBilling
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'CoupleBilling.CoupleId' FROM CoupleBilling
    WHERE CoupleId IS NOT NULL AND length(unhex(CoupleId, '-')) IS NOT 16
UNION ALL SELECT 'CoupleBilling.PayerId' FROM CoupleBilling
    WHERE PayerId IS NOT NULL AND length(unhex(PayerId, '-')) IS NOT 16
UNION ALL SELECT 'Invoices.Id' FROM Invoices
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Invoices.PracticeId' FROM Invoices
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'Invoices.PayerId' FROM Invoices
    WHERE PayerId IS NOT NULL AND length(unhex(PayerId, '-')) IS NOT 16
UNION ALL SELECT 'Invoices.CreditsInvoiceId' FROM Invoices
    WHERE CreditsInvoiceId IS NOT NULL AND length(unhex(CreditsInvoiceId, '-')) IS NOT 16
UNION ALL SELECT 'Invoices.CreatedBy' FROM Invoices
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'InvoiceLines.Id' FROM InvoiceLines
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'InvoiceLines.PracticeId' FROM InvoiceLines
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'InvoiceLines.InvoiceId' FROM InvoiceLines
    WHERE InvoiceId IS NOT NULL AND length(unhex(InvoiceId, '-')) IS NOT 16
UNION ALL SELECT 'InvoiceLines.SessionId' FROM InvoiceLines
    WHERE SessionId IS NOT NULL AND length(unhex(SessionId, '-')) IS NOT 16
UNION ALL SELECT 'InvoiceLines.CreditsLineId' FROM InvoiceLines
    WHERE CreditsLineId IS NOT NULL AND length(unhex(CreditsLineId, '-')) IS NOT 16
UNION ALL SELECT 'SessionBillings.PracticeId' FROM SessionBillings
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SessionBillings.SessionId' FROM SessionBillings
    WHERE SessionId IS NOT NULL AND length(unhex(SessionId, '-')) IS NOT 16
UNION ALL SELECT 'SessionBillings.PayerId' FROM SessionBillings
    WHERE PayerId IS NOT NULL AND length(unhex(PayerId, '-')) IS NOT 16
UNION ALL SELECT 'SessionBillings.LineId' FROM SessionBillings
    WHERE LineId IS NOT NULL AND length(unhex(LineId, '-')) IS NOT 16
UNION ALL SELECT 'InvoiceSequences.PracticeId' FROM InvoiceSequences
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'Payments.Id' FROM Payments
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Payments.PracticeId' FROM Payments
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'Payments.InvoiceId' FROM Payments
    WHERE InvoiceId IS NOT NULL AND length(unhex(InvoiceId, '-')) IS NOT 16
UNION ALL SELECT 'Payments.RecordedBy' FROM Payments
    WHERE RecordedBy IS NOT NULL AND length(unhex(RecordedBy, '-')) IS NOT 16
UNION ALL SELECT 'PracticeBillingProfiles.PracticeId' FROM PracticeBillingProfiles
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'CalendarFeeds.Id' FROM CalendarFeeds
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'CalendarFeeds.PracticeId' FROM CalendarFeeds
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'CalendarFeeds.TherapistId' FROM CalendarFeeds
    WHERE TherapistId IS NOT NULL AND length(unhex(TherapistId, '-')) IS NOT 16
UNION ALL SELECT 'CalendarFeeds.CreatedBy' FROM CalendarFeeds
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'ReminderSettings.PracticeId' FROM ReminderSettings
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'ReminderSettings.ClientId' FROM ReminderSettings
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'SessionReminders.PracticeId' FROM SessionReminders
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'SessionReminders.SessionId' FROM SessionReminders
    WHERE SessionId IS NOT NULL AND length(unhex(SessionId, '-')) IS NOT 16
UNION ALL SELECT 'SessionReminders.ClientId' FROM SessionReminders
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'Consents.Id' FROM Consents
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'Consents.PracticeId' FROM Consents
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'Consents.ClientId' FROM Consents
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'Consents.RecipientId' FROM Consents
    WHERE RecipientId IS NOT NULL AND length(unhex(RecipientId, '-')) IS NOT 16
UNION ALL SELECT 'Consents.GivenBy' FROM Consents
    WHERE GivenBy IS NOT NULL AND length(unhex(GivenBy, '-')) IS NOT 16
UNION ALL SELECT 'Consents.WithdrawnBy' FROM Consents
    WHERE WithdrawnBy IS NOT NULL AND length(unhex(WithdrawnBy, '-')) IS NOT 16
UNION ALL SELECT 'MeasureDefinitions.Id' FROM MeasureDefinitions
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'MeasureDefinitions.PracticeId' FROM MeasureDefinitions
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'MeasureDefinitions.CreatedBy' FROM MeasureDefinitions
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'MeasureScores.Id' FROM MeasureScores
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'MeasureScores.PracticeId' FROM MeasureScores
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'MeasureScores.ClientId' FROM MeasureScores
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'MeasureScores.MeasureId' FROM MeasureScores
    WHERE MeasureId IS NOT NULL AND length(unhex(MeasureId, '-')) IS NOT 16
UNION ALL SELECT 'MeasureScores.RecordedBy' FROM MeasureScores
    WHERE RecordedBy IS NOT NULL AND length(unhex(RecordedBy, '-')) IS NOT 16
UNION ALL SELECT 'MeasureScores.AssignmentId' FROM MeasureScores
    WHERE AssignmentId IS NOT NULL AND length(unhex(AssignmentId, '-')) IS NOT 16
UNION ALL SELECT 'MeasureAssignments.Id' FROM MeasureAssignments
    WHERE Id IS NOT NULL AND length(unhex(Id, '-')) IS NOT 16
UNION ALL SELECT 'MeasureAssignments.PracticeId' FROM MeasureAssignments
    WHERE PracticeId IS NOT NULL AND length(unhex(PracticeId, '-')) IS NOT 16
UNION ALL SELECT 'MeasureAssignments.ClientId' FROM MeasureAssignments
    WHERE ClientId IS NOT NULL AND length(unhex(ClientId, '-')) IS NOT 16
UNION ALL SELECT 'MeasureAssignments.MeasureId' FROM MeasureAssignments
    WHERE MeasureId IS NOT NULL AND length(unhex(MeasureId, '-')) IS NOT 16
UNION ALL SELECT 'MeasureAssignments.CreatedBy' FROM MeasureAssignments
    WHERE CreatedBy IS NOT NULL AND length(unhex(CreatedBy, '-')) IS NOT 16
UNION ALL SELECT 'BulkExportFiles.ClientIds' FROM BulkExportFiles
    WHERE length(unhex(ClientIds, '- ')) IS NOT (length(ClientIds) + 1) / 37 * 16;

-- Note addenda stay append-only: the trigger steps aside for this one change of form only.
DROP TRIGGER TR_SessionNoteAddenda_NoUpdate;

UPDATE Practices SET Id = unhex(Id, '-');
UPDATE Therapists SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-');
UPDATE ApiTokens SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), TherapistId = unhex(TherapistId, '-'),
    CreatedBy = unhex(CreatedBy, '-'), ClientId = unhex(ClientId, '-'),
    ConsentRecipientId = unhex(ConsentRecipientId, '-');
UPDATE Clients SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-');
UPDATE ClientIdentifiers SET PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-');
UPDATE CareTeam SET PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-'),
    TherapistId = unhex(TherapistId, '-');
UPDATE Couples SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), PartnerAId = unhex(PartnerAId, '-'),
    PartnerBId = unhex(PartnerBId, '-');
UPDATE CoupleStepChanges SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    ChangedBy = unhex(ChangedBy, '-');
UPDATE CoupleBreaches SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    RecordedBy = unhex(RecordedBy, '-');
UPDATE SafetyScreenings SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    ClientId = unhex(ClientId, '-'), ScreenedBy = unhex(ScreenedBy, '-');
UPDATE Sessions SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), TherapistId = unhex(TherapistId, '-'),
    ClientId = unhex(ClientId, '-'), CoupleId = unhex(CoupleId, '-'), NoteSignedBy = unhex(NoteSignedBy, '-'),
    SeriesId = unhex(SeriesId, '-');
UPDATE SessionClients SET PracticeId = unhex(PracticeId, '-'), SessionId = unhex(SessionId, '-'),
    ClientId = unhex(ClientId, '-');
UPDATE SessionIdentifiers SET PracticeId = unhex(PracticeId, '-'), SessionId = unhex(SessionId, '-');
UPDATE ExerciseTemplates SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-');
UPDATE ExerciseTemplateVersions SET TemplateId = unhex(TemplateId, '-'), PracticeId = unhex(PracticeId, '-'),
    CreatedBy = unhex(CreatedBy, '-');
UPDATE Assignments SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), TemplateId = unhex(TemplateId, '-'),
    ClientId = unhex(ClientId, '-'), CoupleId = unhex(CoupleId, '-'), CreatedBy = unhex(CreatedBy, '-');
UPDATE AssignmentRespondents SET PracticeId = unhex(PracticeId, '-'), AssignmentId = unhex(AssignmentId, '-'),
    ClientId = unhex(ClientId, '-');
UPDATE Responses SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), AssignmentId = unhex(AssignmentId, '-'),
    RespondentId = unhex(RespondentId, '-'), SubmittedBy = unhex(SubmittedBy, '-'), ReviewedBy = unhex(ReviewedBy, '-');
UPDATE TrustContracts SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    CreatedBy = unhex(CreatedBy, '-');
UPDATE TrustContractAgreements SET PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    ClientId = unhex(ClientId, '-');
UPDATE TrustContractEvaluations SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'),
    CoupleId = unhex(CoupleId, '-'), ClientId = unhex(ClientId, '-');
UPDATE TriggerPlans SET CoupleId = unhex(CoupleId, '-'), PracticeId = unhex(PracticeId, '-'),
    UpdatedBy = unhex(UpdatedBy, '-');
UPDATE TriggerEpisodes SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    ClientId = unhex(ClientId, '-'), RecordedBy = unhex(RecordedBy, '-');
UPDATE Milestones SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    RecordedBy = unhex(RecordedBy, '-');
UPDATE SupportPeople SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-');
UPDATE IdempotencyKeys SET PracticeId = unhex(PracticeId, '-'), TokenId = unhex(TokenId, '-');
UPDATE OutboxEvents SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-');
UPDATE WebhookSubscriptions SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'),
    CreatedBy = unhex(CreatedBy, '-');
UPDATE WebhookDeliveries SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'),
    SubscriptionId = unhex(SubscriptionId, '-'), EventId = unhex(EventId, '-');
UPDATE WebhookAttempts SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'),
    DeliveryId = unhex(DeliveryId, '-');
UPDATE SmartClients SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CreatedBy = unhex(CreatedBy, '-');
UPDATE SmartAssertions SET PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-');
UPDATE SessionNoteAddenda SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'),
    SessionId = unhex(SessionId, '-'), AuthorId = unhex(AuthorId, '-');
UPDATE SessionSeries SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'),
    TherapistId = unhex(TherapistId, '-'), ClientId = unhex(ClientId, '-'), CoupleId = unhex(CoupleId, '-');
UPDATE ErasureRequests SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-'),
    RecordedBy = unhex(RecordedBy, '-'), DecidedBy = unhex(DecidedBy, '-');
UPDATE OccurrenceNotices SET PracticeId = unhex(PracticeId, '-'), AssignmentId = unhex(AssignmentId, '-'),
    RespondentId = unhex(RespondentId, '-');
UPDATE Programs SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-');
UPDATE ProgramVersions SET ProgramId = unhex(ProgramId, '-'), CreatedBy = unhex(CreatedBy, '-');
UPDATE ProgramEnrolments SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    ProgramId = unhex(ProgramId, '-'), EnrolledBy = unhex(EnrolledBy, '-');
UPDATE ProgramAssignments SET EnrolmentId = unhex(EnrolmentId, '-'), PracticeId = unhex(PracticeId, '-'),
    AssignmentId = unhex(AssignmentId, '-');
UPDATE RecoveryEntries SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-'),
    RecordedBy = unhex(RecordedBy, '-');
UPDATE RepairAssessments SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    AssessedBy = unhex(AssessedBy, '-');
UPDATE RecoveryLogShares SET PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-'),
    CoupleId = unhex(CoupleId, '-');
UPDATE BulkExports SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), TokenId = unhex(TokenId, '-'),
    Requester = unhex(Requester, '-'), TherapistId = unhex(TherapistId, '-'), GroupId = unhex(GroupId, '-');
UPDATE BulkExportFiles SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), ExportId = unhex(ExportId, '-');
UPDATE FeeSchedules SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), CreatedBy = unhex(CreatedBy, '-');
UPDATE BillingDetails SET PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-');
UPDATE CoupleBilling SET PracticeId = unhex(PracticeId, '-'), CoupleId = unhex(CoupleId, '-'),
    PayerId = unhex(PayerId, '-');
UPDATE Invoices SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), PayerId = unhex(PayerId, '-'),
    CreditsInvoiceId = unhex(CreditsInvoiceId, '-'), CreatedBy = unhex(CreatedBy, '-');
UPDATE InvoiceLines SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), InvoiceId = unhex(InvoiceId, '-'),
    SessionId = unhex(SessionId, '-'), CreditsLineId = unhex(CreditsLineId, '-');
UPDATE SessionBillings SET PracticeId = unhex(PracticeId, '-'), SessionId = unhex(SessionId, '-'),
    PayerId = unhex(PayerId, '-'), LineId = unhex(LineId, '-');
UPDATE InvoiceSequences SET PracticeId = unhex(PracticeId, '-');
UPDATE Payments SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), InvoiceId = unhex(InvoiceId, '-'),
    RecordedBy = unhex(RecordedBy, '-');
UPDATE PracticeBillingProfiles SET PracticeId = unhex(PracticeId, '-');
UPDATE CalendarFeeds SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'),
    TherapistId = unhex(TherapistId, '-'), CreatedBy = unhex(CreatedBy, '-');
UPDATE ReminderSettings SET PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-');
UPDATE SessionReminders SET PracticeId = unhex(PracticeId, '-'), SessionId = unhex(SessionId, '-'),
    ClientId = unhex(ClientId, '-');
UPDATE Consents SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-'),
    RecipientId = unhex(RecipientId, '-'), GivenBy = unhex(GivenBy, '-'), WithdrawnBy = unhex(WithdrawnBy, '-');
UPDATE MeasureDefinitions SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'),
    CreatedBy = unhex(CreatedBy, '-');
UPDATE MeasureScores SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-'),
    MeasureId = unhex(MeasureId, '-'), RecordedBy = unhex(RecordedBy, '-'), AssignmentId = unhex(AssignmentId, '-');
UPDATE MeasureAssignments SET Id = unhex(Id, '-'), PracticeId = unhex(PracticeId, '-'), ClientId = unhex(ClientId, '-'),
    MeasureId = unhex(MeasureId, '-'), CreatedBy = unhex(CreatedBy, '-');
UPDATE BulkExportFiles SET ClientIds = unhex(ClientIds, '- ');

CREATE TRIGGER TR_SessionNoteAddenda_NoUpdate BEFORE UPDATE ON SessionNoteAddenda
BEGIN SELECT RAISE(ABORT, 'note addenda are append-only'); END;

DROP TABLE temp.V029Check;
