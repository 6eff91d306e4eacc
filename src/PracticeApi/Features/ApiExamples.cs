using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.Practices;

namespace PracticeApi.Features;

/// <summary>
/// The OpenAPI document's examples, one per operation with a body, naming records of the demo practice (DemoIds) so that
/// Swagger UI's "Try it out" succeeds on the first try. A test sends each one to a fresh demo database.
/// </summary>
public static class ApiExamples
{
    private static Dictionary<string, string> Ids(params (string Name, Guid Id)[] ids) =>
        ids.ToDictionary(i => i.Name, i => i.Id.ToString());

    private static Dictionary<string, string> Id(Guid id) => Ids(("id", id));

    private static readonly object Identifier = new { system = "https://ehr.example.org/patients", value = "P-10442" };
    private static readonly object AppointmentIdentifier = new { system = "https://ehr.example.org/appointments", value = "A-88121" };

    private static object CheckIn(string mood, string need, string grateful) =>
        new { mood, need_from_you = need, grateful_for = grateful };

    /// <summary>A practice-authored exercise (the demo's own template, and the body to create or change one).</summary>
    public static TemplateRequest PracticeTemplate(string key, int minutes = 20) => new(key,
        new LocalizedText("Evening walk", "Avondwandeling"),
        new LocalizedText("Walk together for twenty minutes without phones. One of you talks about the day, the other only listens; swap halfway. Afterwards, each writes one sentence about how it felt.",
            "Wandel samen twintig minuten zonder telefoon. De een vertelt over de dag, de ander luistert alleen; halverwege wisselen jullie. Schrijf daarna ieder één zin over hoe het voelde."),
        Audiences.EachPartner, "weekly", minutes, [5, 6, 7], false,
        [
            new FieldDefinition("how_it_felt", FieldTypes.Text, new LocalizedText("How the walk felt", "Hoe de wandeling voelde"), true),
            new FieldDefinition("closeness", FieldTypes.Scale, new LocalizedText("How close we felt", "Hoe dichtbij we ons voelden"), false, Min: 0, Max: 10),
        ]);

    /// <summary>A practice-authored program (the demo's own, and the body to create or change one).</summary>
    public static Programs.ProgramRequest PracticeProgram(string key, int ratingAfterDays = 14) => new(key,
        new LocalizedText("Reconnecting", "Opnieuw verbinden"),
        new LocalizedText("For couples past the crisis: evening walks from the start, a weekly trust rating after two weeks, and rituals of connection at step 7.",
            "Voor paren voorbij de crisis: avondwandelingen vanaf de start, een wekelijkse vertrouwensscore na twee weken, en rituelen van verbinding bij stap 7."),
        [
            new("walks", DemoIds.PracticeTemplate, null, "weekly", 8, "shared", "Sunday evenings suit most couples.", new(Programs.ProgramTriggers.Start, null, null, 0)),
            new("trust_rating", BuiltInCatalogue.IdFor("weekly_trust_rating"), "both", "weekly", 12, "shared", null,
                new(Programs.ProgramTriggers.Start, null, null, ratingAfterDays)),
            new("rituals", BuiltInCatalogue.IdFor("rituals_of_connection"), null, null, 8, "shared", null, new(Programs.ProgramTriggers.Step, 7, null, 0)),
        ]);

    private static readonly object ClientBody = new
    {
        firstName = "Iris", lastName = "Jacobs", dateOfBirth = "1991-02-11", email = "iris@example.org", phone = "+31 6 12345678",
        preferredLanguage = "nl", pronouns = "zij/haar", identifiers = new[] { Identifier }, careTeam = new[] { DemoIds.Eva },
    };

    /// <summary>Keyed by "METHOD route" as the OpenAPI document names the operation.</summary>
    public static readonly IReadOnlyDictionary<string, RequestExample> ByOperation = new Dictionary<string, RequestExample>
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

        // Exercise templates and assignments
        ["POST /api/v1/exercise-templates"] = new(PracticeTemplate("weekend_walk")),
        ["PUT /api/v1/exercise-templates/{id}"] = new(PracticeTemplate("evening_walk", 30), Id(DemoIds.PracticeTemplate)),
        ["POST /api/v1/programs"] = new(PracticeProgram("after_the_crisis")),
        ["PUT /api/v1/programs/{id}"] = new(PracticeProgram("reconnecting", ratingAfterDays: 7), Id(DemoIds.PracticeProgram)),
        ["POST /api/v1/couples/{id}/programs"] = new(new { programId = DemoIds.PracticeProgram }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/assignments"] = new(new
        {
            templateId = BuiltInCatalogue.IdFor("weekly_trust_rating"), coupleId = DemoIds.AffairCouple, respondents = "both", cadence = "weekly",
            note = "Sunday evenings, separately; we look at both series together in session.", visibility = "shared",
        }),
        ["POST /api/v1/assignments/{id}/responses"] = new(new
        {
            respondentId = DemoIds.Joost, answers = CheckIn("cloudy", "Tell me when something I say lands badly", "You laughed at my joke at dinner"),
        }, Id(DemoIds.AffairCheckIn)),
        ["POST /api/v1/me/assignments/{id}/responses"] = new(new
        {
            answers = CheckIn("sunny", "Ten minutes on the couch after the children are in bed", "You told me about your day before I asked"),
        }, Id(DemoIds.AffairCheckIn), ExampleCaller.Partner),
        ["POST /api/v1/responses/{id}/review"] = new(new
        {
            feedback = "Clear and without excuses. Released to Sanne; we read it together next session.", release = true,
        }, Id(DemoIds.JoostLetterResponse)),

        // Repair work
        ["PUT /api/v1/couples/{id}/trust-contract"] = new(new
        {
            lines = new object[]
            {
                new { lineId = DemoIds.AffairLinePhone, area = "Phone", agreement = "Phones are open to each other; no deleted messages.", measure = "Sanne may look when she asks; we talk about how that felt." },
                new { lineId = DemoIds.AffairLineContact, area = "Contact", agreement = "Any contact from her is shared the same evening, by Joost, unasked.", measure = "Sanne hears it from Joost before she could hear it elsewhere." },
                new { lineId = DemoIds.AffairLineTime, area = "Time", agreement = "Late evenings are announced before six.", measure = "A message before 18:00 when it gets late." },
            },
        }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/couples/{id}/trust-contract/agreements"] = new(new { clientId = DemoIds.Daan }, Id(DemoIds.AddictionCouple)),
        ["POST /api/v1/couples/{id}/trust-contract/evaluations"] = new(new
        {
            clientId = DemoIds.Joost, month = "2026-11",
            ratings = new[]
            {
                new { lineId = DemoIds.AffairLinePhone, rating = "kept", comment = (string?)"Easier than I feared." },
                new { lineId = DemoIds.AffairLineContact, rating = "partly_kept", comment = (string?)"I waited two days once; I should not have." },
                new { lineId = DemoIds.AffairLineTime, rating = "kept", comment = (string?)null },
            },
            decisions = new[] { new { lineId = DemoIds.AffairLineContact, decision = "adjust" } },
        }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/couples/{id}/repair-assessments"] = new(new
        {
            repairableSigns = new[] { "both_want_repair", "full_responsibility", "no_abuse_or_danger", "love_remains", "progress_visible" },
            irreparableSigns = Array.Empty<string>(),
            motivations = new[] { new { partnerId = DemoIds.Sanne, answer = "love_and_hope" }, new { partnerId = DemoIds.Joost, answer = "love_and_hope" } },
            outlook = "repairable", note = "Joost owns it without explaining it away; Sanne's anger has room and she keeps choosing to come.",
        }, Id(DemoIds.AffairCouple)),
        ["PUT /api/v1/couples/{id}/trigger-plan"] = new(new
        {
            partners = new[]
            {
                new
                {
                    clientId = DemoIds.Sanne, myTriggers = "His phone lighting up at night; the name of the town where it happened.",
                    mySteps = "Say 'I am triggered', take ten minutes outside, then come back.", whatIAskOfYou = "Stay near, phone face up, no defending.",
                    whenYouAreTriggered = "Ask what you need; do not make it about me.",
                },
                new
                {
                    clientId = DemoIds.Joost, myTriggers = "Being questioned in front of the children.", mySteps = "Breathe, answer once, calmly.",
                    whatIAskOfYou = "Ask me later, when we are alone.", whenYouAreTriggered = "Listen first; the explanation can wait.",
                },
            },
        }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/couples/{id}/trigger-episodes"] = new(new
        {
            clientId = DemoIds.Sanne, occurredAt = "2026-11-27T21:30:00Z", intensity = 4, trigger = "A message from an unknown number at night",
            whatHelped = "He showed me the message straight away; we went for a short walk.",
        }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/couples/{id}/milestones"] = new(new
        {
            title = "A month of check-ins kept", occurredOn = "2026-11-15", note = "Dinner out, the first since the disclosure.",
        }, Id(DemoIds.AffairCouple)),

        // Therapists, tokens, integrations
        ["POST /api/v1/therapists"] = new(new { name = "Fleur Peeters", email = "fleur@demo.practice.example", role = "therapist" }),
        ["PUT /api/v1/therapists/{id}"] = new(new { name = "Mark de Boer", email = "mark.deboer@demo.practice.example", role = "therapist" }, Id(DemoIds.Mark)),
        ["POST /api/v1/tokens"] = new(new { kind = "integration", name = "EHR sync", scopes = new[] { "clients:read", "sessions:read", "events:read" } }),
        ["POST /api/v1/webhooks"] = new(new
        {
            url = DemoIds.EhrWebhookUrl, events = new[] { "client.created", "session.scheduled", "response.submitted" },
        }),
        ["POST /api/v1/smart-clients"] = new(new
        {
            name = "EHR backend (Zorgdossier)", jwks = DemoIds.EhrJwks, scopes = new[] { "system/Patient.read", "system/Appointment.read" },
        }),
        // Invoicing
        ["POST /api/v1/fee-schedules"] = new(new
        {
            validFrom = "2027-01-01",
            fees = new object[]
            {
                new { sessionKind = "intake", amountCents = 9800 }, new { sessionKind = "individual", amountCents = 9800 },
                new { sessionKind = "couple", amountCents = 12900 }, new { sessionKind = "couple", durationMinutes = 90, amountCents = 18500 },
                new { sessionKind = "family", amountCents = 12900 },
            },
            lateCancelCents = 5000, noShowCents = 9800, vatExemption = "Vrijgesteld van btw (art. 11 lid 1 onderdeel g Wet OB)", paymentTermDays = 14,
        }),
        ["PUT /api/v1/billing-profile"] = new(new
        {
            legalName = "Praktijk Samen Verder", address = "Herengracht 12\n1015 BN Amsterdam", email = "facturen@demo.practice.example",
            iban = "NL91ABNA0417164300", kvkNumber = "12345678", agbCode = "94001234", bigNumber = "19012345601",
        }),
        ["PUT /api/v1/clients/{id}/billing"] = new(new { name = "Thijs Mulder", address = "Javastraat 88\n1094 HJ Amsterdam", email = "thijs@example.org" },
            Id(DemoIds.Thijs)),
        ["PUT /api/v1/couples/{id}/billing"] = new(new { payerId = DemoIds.Sanne }, Id(DemoIds.AffairCouple)),
        ["POST /api/v1/invoices"] = new(new { payerId = DemoIds.Sanne, from = "2026-06-01", to = "2027-05-31" }),
        ["DELETE /api/v1/invoices/{id}"] = new(null, Id(DemoIds.JoostDraftInvoice)),
        ["POST /api/v1/invoices/{id}/issue"] = new(null, Id(DemoIds.JoostDraftInvoice)),
        ["POST /api/v1/invoices/{id}/credit-notes"] = new(new { reason = "The session fell under the old fee; credited and invoiced again." },
            Id(DemoIds.SanneOverdueInvoice)),
        ["POST /api/v1/invoices/{id}/payments"] = new(new { amountCents = 6250, paidOn = "2026-12-01", method = "bank_transfer", reference = "NL-2026-1203" },
            Id(DemoIds.SanneOverdueInvoice)),
        ["GET /api/v1/me/invoices/{id}"] = new(null, Id(DemoIds.SanneOverdueInvoice), ExampleCaller.Partner),

        // A client assertion is signed by the client's own key and expires in minutes: the example shows its shape only.
        ["POST /oauth/token"] = new(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "system/Patient.read",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = "eyJhbGciOiJFUzM4NCIsImtpZCI6Inpvcmdkb3NzaWVyLTIwMjYtMTEiLCJ0eXAiOiJKV1QifQ.<claims>.<signature>",
        }, Sendable: false),
    };

    /// <summary>The demo record each kind of id in a path names when an operation has no example of its own.</summary>
    public static readonly IReadOnlyDictionary<string, string> PathIdByResource = new Dictionary<string, Guid>
    {
        ["clients"] = DemoIds.Sanne,
        ["couples"] = DemoIds.AffairCouple,
        ["sessions"] = DemoIds.AffairSessionLastWeek,
        ["session-series"] = DemoIds.NoorSeries,
        ["assignments"] = DemoIds.AffairCheckIn,
        ["responses"] = DemoIds.JoostLetterResponse,
        ["therapists"] = DemoIds.Eva,
        ["exercise-templates"] = DemoIds.PracticeTemplate,
        ["programs"] = DemoIds.PracticeProgram,
        ["erasure-requests"] = DemoIds.FemkeErasureRequest,
        ["tokens"] = DemoIds.EhrToken,
        ["fee-schedules"] = DemoIds.FeeSchedule,
        ["invoices"] = DemoIds.JoostPaidInvoice,
        ["webhooks"] = DemoIds.EhrWebhook,
        ["deliveries"] = DemoIds.EhrWebhookDelivery,
        ["smart-clients"] = DemoIds.EhrSmartClient,
        ["Group"] = DemoIds.Eva,
        ["Patient"] = DemoIds.Sanne,
        ["Appointment"] = DemoIds.AffairSessionLastWeek,
        ["QuestionnaireResponse"] = DemoIds.JoostLetterResponse,
    }.Select(p => (Key: p.Key, Value: p.Value.ToString()))
        .Append((Key: "Questionnaire", Value: $"{BuiltInCatalogue.IdFor(BuiltInCatalogue.DailyCheckInKey)}-v{BuiltInCatalogue.All.First(t => t.Key == BuiltInCatalogue.DailyCheckInKey).Version}"))
        .Append((Key: "CarePlan", Value: $"{DemoIds.AffairCouple}-0"))
        .Append((Key: "RelatedPerson", Value: $"{DemoIds.AffairCouple}-0"))
        .ToDictionary(p => p.Key, p => p.Value);

    public static JsonNode? ToJson(object? body) => JsonSerializer.SerializeToNode(body, JsonSerializerOptions.Web);
}
