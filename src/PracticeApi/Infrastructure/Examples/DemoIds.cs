namespace PracticeApi.Infrastructure.Examples;

/// <summary>
/// The fixed ids of the demo practice's records, so that the OpenAPI document's examples name records that exist in a
/// freshly seeded demo database (Swagger UI's "Try it out" works as written). Only the demo practice uses them; it is
/// seeded into an empty database only, so they cannot collide.
/// </summary>
public static class DemoIds
{
    private static Guid Id(int kind, int n) => new($"de{kind:D2}{n:D4}-0000-4000-8000-00000000de00");

    // Therapists
    public static readonly Guid Eva = Id(1, 1);
    public static readonly Guid Mark = Id(1, 2);

    // Clients
    public static readonly Guid Sanne = Id(2, 1);
    public static readonly Guid Joost = Id(2, 2);
    public static readonly Guid Lotte = Id(2, 3);
    public static readonly Guid Daan = Id(2, 4);
    public static readonly Guid Noor = Id(2, 5);
    /// <summary>Noor's partner, whose couple case is not opened yet.</summary>
    public static readonly Guid Thijs = Id(2, 6);
    /// <summary>A former client, discharged, who asked for her record to be erased.</summary>
    public static readonly Guid Femke = Id(2, 7);

    // Couples
    public static readonly Guid AffairCouple = Id(3, 1);
    public static readonly Guid AddictionCouple = Id(3, 2);

    // Sessions
    public static readonly Guid AffairSessionCompleted = Id(4, 1);
    public static readonly Guid AffairSessionLastWeek = Id(4, 2);
    public static readonly Guid AffairSessionNextWeek = Id(4, 3);
    public static readonly Guid AddictionSessionCompleted = Id(4, 4);
    public static readonly Guid AddictionSessionUpcoming = Id(4, 5);
    public static readonly Guid NoorSessionTomorrow = Id(4, 6);
    /// <summary>Held two days ago and not yet completed.</summary>
    public static readonly Guid NoorSessionToComplete = Id(4, 7);

    // Noor's weekly series and its occurrences
    public static readonly Guid NoorSeries = Id(5, 0);
    public static readonly Guid[] NoorSeriesOccurrences = [Id(5, 1), Id(5, 2), Id(5, 3), Id(5, 4), Id(5, 5), Id(5, 6)];

    // Assignments and a response
    public static readonly Guid AffairCheckIn = Id(6, 1);
    public static readonly Guid AddictionCheckIn = Id(6, 2);
    public static readonly Guid JoostLetter = Id(6, 3);
    public static readonly Guid JoostLetterResponse = Id(7, 1);

    // Trust contracts: the affair couple's agreed lines, the addiction couple's draft
    public static readonly Guid AffairLinePhone = Id(8, 1);
    public static readonly Guid AffairLineContact = Id(8, 2);
    public static readonly Guid AffairLineTime = Id(8, 3);
    public static readonly Guid AddictionLineMoney = Id(8, 4);
    public static readonly Guid AddictionLineMeetings = Id(8, 5);

    // Others
    public static readonly Guid PracticeTemplate = Id(9, 1);
    public static readonly Guid PracticeProgram = Id(9, 2);
    /// <summary>The addiction couple following the built-in program after a hidden addiction.</summary>
    public static readonly Guid AddictionEnrolment = Id(9, 3);
    public static readonly Guid DaanSponsor = Id(10, 1);
    public static readonly Guid FemkeErasureRequest = Id(11, 1);

    // The EHR the practice works with: its integration token, SMART client and webhook subscription with one delivery
    public static readonly Guid EhrToken = Id(12, 1);
    public static readonly Guid EhrSmartClient = Id(12, 2);
    public static readonly Guid EhrWebhook = Id(12, 3);
    public static readonly Guid EhrWebhookDelivery = Id(12, 4);

    // Invoicing: the fee schedule; the affair couple's first session, split: Joost's half paid, Sanne's overdue; the
    // addiction couple's session billed to Daan, credited and invoiced again; Joost's half of last week's session in
    // draft
    public static readonly Guid FeeSchedule = Id(13, 1);
    public static readonly Guid JoostPaidInvoice = Id(13, 2);
    public static readonly Guid SanneOverdueInvoice = Id(13, 3);
    public static readonly Guid DaanCreditedInvoice = Id(13, 4);
    public static readonly Guid DaanCreditNote = Id(13, 5);
    public static readonly Guid DaanOpenInvoice = Id(13, 6);
    public static readonly Guid JoostDraftInvoice = Id(13, 7);

    /// <summary>Sanne's consent to treatment, given through the portal (the other demo consents have ids of their own
    /// making).</summary>
    public static readonly Guid SanneTreatmentConsent = Id(14, 1);

    /// <summary>The practice's own weekly relationship check (an outcome measure), which both partners of the affair
    /// couple take.</summary>
    public static readonly Guid WeeklyCheckMeasure = Id(15, 1);
    public static readonly Guid SanneFirstScore = Id(15, 2);
    public static readonly Guid SanneWeeklyCheckAssignment = Id(15, 3);
    public static readonly Guid JoostWeeklyCheckAssignment = Id(15, 4);

    /// <summary>The public signing key of the demo EHR's SMART client (its private key is nowhere: the demo cannot sign
    /// as it).</summary>
    public static readonly System.Text.Json.JsonElement EhrJwks = System.Text.Json.JsonDocument.Parse("""
        {"keys":[{"kty":"EC","crv":"P-384","kid":"zorgdossier-2026-11","use":"sig","alg":"ES384",
        "x":"U7tWEqVv3GGOjv9AR1zoAN3E2qBc7LtWiKyFeh7uSkSDzRa1Bhbt2MpQ0x0OCdKr",
        "y":"KdFBC_MPBNSebcTK87Tns_0in9g-39P50tPvaNriYxIVRXUYl6c2pLVISjIyo66m"}]}
        """).RootElement.Clone();

    /// <summary>Where the demo EHR's webhooks go: an address of the documentation range (RFC 5737), public yet never
    /// answering.</summary>
    public const string EhrWebhookUrl = "https://203.0.113.10/practiceapi/webhooks";

    /// <summary>The demo record each kind of id in a path names when an operation has no example of its own (the
    /// OpenAPI document's path examples).</summary>
    public static readonly IReadOnlyDictionary<string, string> ByResource = new Dictionary<string, Guid>
    {
        ["clients"] = Sanne,
        ["couples"] = AffairCouple,
        ["sessions"] = AffairSessionLastWeek,
        ["session-series"] = NoorSeries,
        ["assignments"] = AffairCheckIn,
        ["responses"] = JoostLetterResponse,
        ["therapists"] = Eva,
        ["exercise-templates"] = PracticeTemplate,
        ["programs"] = PracticeProgram,
        ["erasure-requests"] = FemkeErasureRequest,
        ["tokens"] = EhrToken,
        ["fee-schedules"] = FeeSchedule,
        ["invoices"] = JoostPaidInvoice,
        ["webhooks"] = EhrWebhook,
        ["deliveries"] = EhrWebhookDelivery,
        ["smart-clients"] = EhrSmartClient,
        ["Group"] = Eva,
        ["Patient"] = Sanne,
        ["Appointment"] = AffairSessionLastWeek,
        ["QuestionnaireResponse"] = JoostLetterResponse,
        ["Invoice"] = JoostPaidInvoice,
        ["Consent"] = SanneTreatmentConsent,
        ["measures"] = WeeklyCheckMeasure,
        ["Observation"] = SanneFirstScore,
    }.ToDictionary(p => p.Key, p => p.Value.ToString());
}
