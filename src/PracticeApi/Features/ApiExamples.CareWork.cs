using PracticeApi.Features.Exercises;
using PracticeApi.Features.Practices;

namespace PracticeApi.Features;

public static partial class ApiExamples
{
    /// <summary>Exercise templates, programs, assignments and the couple's repair work.</summary>
    private static Dictionary<string, RequestExample> CareWorkExamples() => new()
    {
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

        // Outcome measures: the demo's weekly check, a next version of it, and a two-item check imported from a FHIR Questionnaire
        ["POST /api/v1/measures"] = new(Practices.DemoMeasures.Definition),
        ["POST /api/v1/measures/import"] = new(new
        {
            key = "evening_calm", totalLoincCode = (string?)null, bands = new[] { new { min = 0, max = 1, label = "calm" }, new { min = 2, max = 2, label = "restless" } },
            criticalItems = Array.Empty<object>(), questionnaire = new
            {
                resourceType = "Questionnaire", status = "active", title = "Evening calm",
                item = new[] { ("rest", "I could rest this evening"), ("talk", "We could talk without raising our voices") }.Select(q => new
                {
                    linkId = q.Item1, type = "choice", text = q.Item2,
                    answerOption = new[] { ("yes", "Yes", 0), ("no", "No", 1) }.Select(o => new
                    {
                        valueCoding = new { code = o.Item1, display = o.Item2 },
                        extension = new[] { new { url = "http://hl7.org/fhir/StructureDefinition/ordinalValue", valueDecimal = o.Item3 } },
                    }),
                }),
            },
        }),
        ["POST /api/v1/clients/{id}/measures"] = new(new { measureId = DemoIds.WeeklyCheckMeasure, answers = WeeklyCheck, takenAt = (DateTime?)null }, Id(DemoIds.Sanne)),
        ["POST /api/v1/me/measures"] = new(new { measureId = DemoIds.WeeklyCheckMeasure, answers = WeeklyCheck, takenAt = (DateTime?)null }, Caller: ExampleCaller.Partner),
        ["GET /api/v1/me/measures"] = new(null, Caller: ExampleCaller.Partner),
        ["POST /api/v1/clients/{id}/measure-assignments"] = new(new
        {
            measureId = DemoIds.WeeklyCheckMeasure, cadence = "weekly", startsOn = (DateOnly?)null, endsOn = (DateOnly?)null, occurrences = 8, dueTime = "20:00",
            note = "Elke week na het avondeten.",
        }, Id(DemoIds.Sanne)),
        ["GET /api/v1/clients/{id}/measure-assignments/{assignmentId}"] = new(null,
            Ids(("id", DemoIds.Sanne), ("assignmentId", DemoIds.SanneWeeklyCheckAssignment))),
        ["POST /api/v1/clients/{id}/measure-assignments/{assignmentId}/cancel"] = new(null,
            Ids(("id", DemoIds.Joost), ("assignmentId", DemoIds.JoostWeeklyCheckAssignment))),
    };

    private static readonly Dictionary<string, string> WeeklyCheck = new() { ["dichtbij"] = "a2", ["gehoord"] = "a2", ["spanning"] = "a1", ["onveilig"] = "a0" };
}
