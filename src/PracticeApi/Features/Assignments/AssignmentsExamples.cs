using PracticeApi.Features.Exercises;
using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Infrastructure.Examples.RequestExample;

namespace PracticeApi.Features.Assignments;

/// <summary>
/// The OpenAPI examples of assignments and responses, one per operation that takes a body or names a record. Each names
/// the demo practice's records, so Swagger UI's "Try it out" works as written on a fresh demo (a test sends every one).
/// </summary>
internal static class AssignmentsExamples
{
    private static object CheckIn(string mood, string need, string grateful) =>
        new { mood, need_from_you = need, grateful_for = grateful };

    public static RequestExample CreateAssignment => new(new
    {
        templateId = BuiltInCatalogue.IdFor(
            "weekly_trust_rating"), coupleId = DemoIds.AffairCouple, respondents = "both", cadence = "weekly",
        note = "Sunday evenings, separately; we look at both series together in session.", visibility = "shared",
    });

    public static RequestExample SubmitResponse => new(new
    {
        respondentId = DemoIds.Joost, answers = CheckIn("cloudy", "Tell me when something I say lands badly",
            "You laughed at my joke at dinner"),
    }, Id(DemoIds.AffairCheckIn));

    public static RequestExample SubmitMyResponse => new(new
    {
        answers = CheckIn("sunny", "Ten minutes on the couch after the children are in bed",
            "You told me about your day before I asked"),
    }, Id(DemoIds.AffairCheckIn), ExampleCaller.Partner);

    public static RequestExample ReviewResponse => new(new
    {
        feedback = "Clear and without excuses. Released to Sanne; we read it together next session.", release = true,
    }, Id(DemoIds.JoostLetterResponse));
}
