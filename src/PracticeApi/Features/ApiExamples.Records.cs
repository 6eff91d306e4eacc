using PracticeApi.Features.Practices;

namespace PracticeApi.Features;

public static partial class ApiExamples
{
    /// <summary>Clients, their record governance, couples and sessions.</summary>
    private static Dictionary<string, RequestExample> RecordExamples() => new()
    {
        // Clients
        ["POST /api/v1/clients"] = new(ClientBody),
        ["PUT /api/v1/clients/by-identifier"] = new(ClientBody, new Dictionary<string, string> { ["system"] = "https://ehr.example.org/patients", ["value"] = "P-10442" }),
        ["PUT /api/v1/clients/{id}"] = new(new
        {
            firstName = "Noor", lastName = "El Amrani", dateOfBirth = "1995-09-09", email = "noor.elamrani@example.org", phone = "+31 6 87654321",
            preferredLanguage = "en", pronouns = "she/her", identifiers = new[] { new { system = "https://ehr.example.org/patients", value = "P-20931" } },
        }, Id(DemoIds.Noor)),
        ["PUT /api/v1/clients/{id}/care-team"] = new(new { therapistIds = new[] { DemoIds.Mark, DemoIds.Eva } }, Id(DemoIds.Noor)),
        ["POST /api/v1/clients/{id}/portal-tokens"] = new(new { name = "Joost's phone" }, Id(DemoIds.Joost)),
        ["POST /api/v1/clients/{id}/erasure-requests"] = new(new { requestedBy = "Noor El Amrani, by e-mail to the practice" }, Id(DemoIds.Noor)),
        ["POST /api/v1/clients/{id}/support-network"] = new(new
        {
            name = "Family group on Tuesdays", relationship = "support_group", effect = "supports",
            expectations = "A place to talk about living with his addiction without explaining it first.", mayContact = false,
        }, Id(DemoIds.Lotte)),
        ["PUT /api/v1/clients/{id}/support-network/{personId}"] = new(new
        {
            name = "Ruben", relationship = "sponsor", effect = "supports",
            expectations = "Call when the urge comes, any hour; a walk together on Saturdays.", mayContact = true, contact = "+31 6 11223344",
        }, Ids(("id", DemoIds.Daan), ("personId", DemoIds.DaanSponsor))),

        ["DELETE /api/v1/clients/{id}/support-network/{personId}"] = new(null, Ids(("id", DemoIds.Daan), ("personId", DemoIds.DaanSponsor))),
        ["POST /api/v1/clients/{id}/reactivate"] = new(null, Id(DemoIds.Femke)),
        ["POST /api/v1/clients/{id}/discharge"] = new(null, Id(DemoIds.Noor)),
        ["POST /api/v1/sessions/{id}/note/sign"] = new(null, Id(DemoIds.AffairSessionLastWeek), ExampleCaller.Therapist),
        ["GET /api/v1/me/partner/recovery-log"] = new(null, Ids(("coupleId", DemoIds.AddictionCouple)), ExampleCaller.RecoveryPartner),
        ["POST /api/v1/sessions/{id}/no-show"] = new(null, Id(DemoIds.NoorSessionToComplete)),
        ["POST /api/v1/couples/{id}/programs/{enrolmentId}/stop"] = new(null, Ids(("id", DemoIds.AddictionCouple), ("enrolmentId", DemoIds.AddictionEnrolment))),
        ["GET /fhir/Task"] = new(null, Ids(("patient", DemoIds.Sanne))),
        ["GET /fhir/CarePlan"] = new(null, Ids(("patient", DemoIds.Sanne))),
        ["GET /fhir/RelatedPerson"] = new(null, Ids(("patient", DemoIds.Sanne))),
        ["GET /fhir/Invoice"] = new(null, Ids(("patient", DemoIds.Joost))),
        ["GET /fhir/Consent"] = new(null, Ids(("patient", DemoIds.Sanne))),
        ["GET /fhir/Observation"] = new(null, Ids(("patient", DemoIds.Sanne))),
        ["POST /api/v1/clients/{id}/consents"] = new(new { kind = "portal_use", textVersion = "2026-01", via = "verbal" }, Id(DemoIds.Sanne)),
        ["GET /api/v1/clients/{id}/consents/{consentId}"] = new(null, Ids(("id", DemoIds.Sanne), ("consentId", DemoIds.SanneTreatmentConsent))),
        ["POST /api/v1/clients/{id}/consents/{consentId}/withdraw"] = new(new { via = "paper" },
            Ids(("id", DemoIds.Sanne), ("consentId", DemoIds.SanneTreatmentConsent))),
        ["POST /api/v1/me/consents"] = new(new { kind = "ehr_sharing", textVersion = "2026-01", recipientId = DemoIds.EhrSmartClient }, Caller: ExampleCaller.Partner),
        ["POST /api/v1/me/consents/{consentId}/withdraw"] = new(new { via = (string?)null }, Ids(("consentId", DemoIds.SanneTreatmentConsent)), ExampleCaller.Partner),
        ["GET /api/v1/me/consents"] = new(null, Caller: ExampleCaller.Partner),
        ["PUT /api/v1/clients/{id}/reminders"] = new(new { enabled = true, hoursBefore = 48 }, Id(DemoIds.Sanne)),
        ["PUT /api/v1/me/reminders"] = new(new { enabled = true, hoursBefore = 24 }, Caller: ExampleCaller.Partner),
        ["GET /api/v1/me/reminders"] = new(null, Caller: ExampleCaller.Partner),

        ["POST /api/v1/clients/{id}/recovery-log"] = new(new
        {
            kind = "setback", date = (string?)null, whatHappened = "Told in session: gambled online on Saturday night after an argument.",
            whatILearnt = "Evenings alone after a fight are my risk; I call Ruben first.",
        }, Id(DemoIds.Daan)),
        ["POST /api/v1/me/recovery-log"] = new(new { kind = "meeting", meeting = "Partners' support group, Tuesday evening" }, Caller: ExampleCaller.Partner),
        ["PUT /api/v1/me/recovery-log/sharing"] = new(new { coupleId = DemoIds.AffairCouple, sharedWithPartner = true }, Caller: ExampleCaller.Partner),

        // Record governance
        ["POST /api/v1/erasure-requests/{id}/execute"] = new(new { confirmClientId = DemoIds.Femke }, Id(DemoIds.FemkeErasureRequest)),
        ["POST /api/v1/erasure-requests/{id}/refuse"] = new(new
        {
            reason = "legal_hold", explanation = "A complaint procedure about this treatment is still open; the record is kept until it ends.",
        }, Id(DemoIds.FemkeErasureRequest)),

        // Couples
        ["POST /api/v1/couples"] = new(new
        {
            partnerAId = DemoIds.Noor, partnerBId = DemoIds.Thijs, breachType = "emotional_affair", partnerARole = "breaching",
            partnerBRole = "hurt", disclosedOn = "2026-10-02", startedOn = "2026-11-02",
        }),
        ["PUT /api/v1/couples/{id}"] = new(new
        {
            breachType = "physical_affair", partnerARole = "breaching", partnerBRole = "hurt", disclosedOn = "2026-06-19",
            startedOn = "2026-06-29", status = "paused",
        }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/couples/{id}/step"] = new(new { step = 5, note = "Agreements are kept; time to look at what was missing before." }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/couples/{id}/breaches"] = new(new
        {
            occurredOn = "2026-11-20", type = "lies_or_secrets", note = "A lunch with the colleague was kept quiet for a week.",
        }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/couples/{id}/safety-screenings"] = new(new
        {
            clientId = DemoIds.Lotte, abuseOrDanger = false, untreatedAddiction = false, notes = "Feels safe at home; Daan has been in treatment since spring.",
        }, Id(DemoIds.AddictionCouple)),

        // Sessions
        ["POST /api/v1/sessions"] = new(new
        {
            clientId = DemoIds.Noor, therapistId = DemoIds.Mark, kind = "individual", modality = "video",
            startsAt = "2027-01-12T16:00:00Z", durationMinutes = 50, identifiers = new[] { AppointmentIdentifier },
        }),
        ["PUT /api/v1/sessions/by-identifier"] = new(new
        {
            clientId = DemoIds.Noor, therapistId = DemoIds.Mark, kind = "individual", modality = "video",
            startsAt = "2027-01-12T16:00:00Z", durationMinutes = 50, identifiers = new[] { AppointmentIdentifier },
        }, new Dictionary<string, string> { ["system"] = "https://ehr.example.org/appointments", ["value"] = "A-88121" }),
        ["PUT /api/v1/sessions/{id}"] = new(new
        {
            therapistId = DemoIds.Eva, kind = "couple", modality = "in_person", startsAt = "2027-01-13T16:00:00Z", durationMinutes = 60,
        }, Id(DemoIds.AffairSessionNextWeek)),
        ["POST /api/v1/sessions/{id}/complete"] = new(new
        {
            attendance = new[] { new { clientId = DemoIds.Noor, attended = true } },
            note = new
            {
                format = "soap",
                sections = new Dictionary<string, string>
                {
                    ["subjective"] = "Noor feels torn between the friendship and her relationship with Thijs.",
                    ["objective"] = "Calm, reflective; cried once when talking about Thijs finding the messages.",
                    ["assessment"] = "Ready to start couple work; wants to tell Thijs herself what the friendship meant.",
                    ["plan"] = "Intake as a couple; Noor writes down what she wants Thijs to know.",
                },
            },
        }, Id(DemoIds.NoorSessionToComplete)),
        ["POST /api/v1/sessions/{id}/cancel"] = new(new { reason = "Noor has the flu.", byClient = true }, Id(DemoIds.NoorSessionTomorrow)),
        ["POST /api/v1/sessions/{id}/note/addenda"] = new(new
        {
            text = "Correction: the missed evening was a Tuesday, not a Monday; Sanne mentioned it by phone afterwards.",
        }, Id(DemoIds.AffairSessionLastWeek)),
        ["POST /api/v1/session-series"] = new(new
        {
            coupleId = DemoIds.AffairCouple, therapistId = DemoIds.Eva, kind = "couple", modality = "in_person",
            startsAt = "2027-01-14T16:00:00Z", durationMinutes = 60, everyWeeks = 2, count = 6, skipConflicts = false,
        }),
        ["POST /api/v1/session-series/{id}/cancel"] = new(new
        {
            fromSessionId = DemoIds.NoorSeriesOccurrences[3], reason = "Noor works abroad for three months.", byClient = true,
        }, Id(DemoIds.NoorSeries)),
        ["POST /api/v1/session-series/{id}/reschedule"] = new(new
        {
            fromSessionId = DemoIds.NoorSeriesOccurrences[2], startsAt = "2027-02-03T17:00:00Z", durationMinutes = 50,
        }, Id(DemoIds.NoorSeries)),
    };
}
