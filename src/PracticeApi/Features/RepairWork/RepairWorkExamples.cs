using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.RepairWork;

/// <summary>
/// The OpenAPI examples of the trust contract, repair assessments, the trigger plan and milestones, one per operation
/// that takes a body or names a record. Each names the demo practice's records, so Swagger UI's "Try it out" works as
/// written on a fresh demo (a test sends every one).
/// </summary>
internal static class RepairWorkExamples
{
    public static RequestExample PutTrustContract => new(new
    {
        lines = new object[]
        {
            new { lineId = DemoIds.AffairLinePhone, area = "Phone", agreement = "Phones are open to each other; no deleted messages.", measure = "Sanne may look when she asks; we talk about how that felt." },
            new { lineId = DemoIds.AffairLineContact, area = "Contact", agreement = "Any contact from her is shared the same evening, by Joost, unasked.", measure = "Sanne hears it from Joost before she could hear it elsewhere." },
            new { lineId = DemoIds.AffairLineTime, area = "Time", agreement = "Late evenings are announced before six.", measure = "A message before 18:00 when it gets late." },
        },
    }, Id(DemoIds.AffairCouple));

    public static RequestExample AgreeToTrustContract => new(new { clientId = DemoIds.Daan },
        Id(DemoIds.AddictionCouple));

    public static RequestExample EvaluateTrustContract => new(new
    {
        clientId = DemoIds.Joost, month = "2026-11",
        ratings = new[]
        {
            new { lineId = DemoIds.AffairLinePhone, rating = "kept", comment = (string?)"Easier than I feared." },
            new { lineId = DemoIds.AffairLineContact, rating = "partly_kept", comment = (string?)"I waited two days once; I should not have." },
            new { lineId = DemoIds.AffairLineTime, rating = "kept", comment = (string?)null },
        },
        decisions = new[] { new { lineId = DemoIds.AffairLineContact, decision = "adjust" } },
    }, Id(DemoIds.AffairCouple));

    public static RequestExample AddRepairAssessment => new(new
    {
        repairableSigns = new[] { "both_want_repair", "full_responsibility", "no_abuse_or_danger", "love_remains", "progress_visible" },
        irreparableSigns = Array.Empty<string>(),
        motivations = new[] { new { partnerId = DemoIds.Sanne, answer = "love_and_hope" }, new { partnerId = DemoIds.Joost, answer = "love_and_hope" } },
        outlook = "repairable", note = "Joost owns it without explaining it away; Sanne's anger has room and she keeps choosing to come.",
    }, Id(DemoIds.AffairCouple));

    public static RequestExample PutTriggerPlan => new(new
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
    }, Id(DemoIds.AffairCouple));

    public static RequestExample LogTriggerEpisode => new(new
    {
        clientId = DemoIds.Sanne, occurredAt = "2026-11-27T21:30:00Z", intensity = 4, trigger = "A message from an unknown number at night",
        whatHelped = "He showed me the message straight away; we went for a short walk.",
    }, Id(DemoIds.AffairCouple));

    public static RequestExample AddMilestone => new(new
    {
        title = "A month of check-ins kept", occurredOn = "2026-11-15", note = "Dinner out, the first since the disclosure.",
    }, Id(DemoIds.AffairCouple));
}
