using PracticeApi.Features.Assignments;
using System.Security.Cryptography;
using System.Text;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;

namespace PracticeApi.Features.Programs;

/// <summary>
/// The programs that ship with the product, following the seven repair steps of the source material (seed 003) and, for
/// a hidden addiction, the recovery of both partners (seeds 000–002). Read-only to practices; a change here is a new
/// version. Enrolments keep the version they started with.
/// </summary>
public static class BuiltInPrograms
{
    public const string AfterInfidelityKey = "after_infidelity";
    public const string AfterHiddenAddictionKey = "after_hidden_addiction";

    public static Guid IdFor(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("practiceapi:program:" + key));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static ProgramItem Item(string key, string template, ProgramTrigger start, Visibility? visibility = null,
        string? respondents = null, Cadence? cadence = null, int? occurrences = null) =>
        new(key, BuiltInCatalogue.IdFor(template), respondents, cadence, occurrences, visibility, null, start);

    private static ProgramTrigger AtStart(int days = 0) => new(StartOn.Start, null, null, days);

    private static ProgramTrigger AtStep(int step, int days = 0) => new(StartOn.Step, step, null, days);

    private static ProgramTrigger AfterRelease(string item, int days) => new(StartOn.Released, null, item, days);

    public static readonly IReadOnlyList<ProgramDefinition> All =
    [
        new(AfterInfidelityKey, 1,
            new LocalizedText("Repair after infidelity", "Herstel na ontrouw"),
            new LocalizedText(
                "The seven steps after an affair. At the start: the letter of responsibility and a month of daily check-ins. A week after the therapist releases the letter to the hurt partner, their reply. At step 3 each partner looks at what lay underneath; at step 4 the couple writes a trust contract, a trigger plan and their boundaries, which they review monthly; from step 5 a weekly trust rating; at step 7 rituals of connection.",
                "De zeven stappen na een affaire. Bij de start: de brief van verantwoordelijkheid en een maand dagelijkse check-ins. Een week nadat de therapeut de brief aan de gekwetste partner heeft vrijgegeven, diens antwoord. Bij stap 3 kijkt ieder naar wat eronder lag; bij stap 4 schrijft het paar een vertrouwenscontract, een triggerplan en hun grenzen, die ze maandelijks herzien; vanaf stap 5 een wekelijkse vertrouwensscore; bij stap 7 rituelen van verbinding."),
            [
                Item("letter", BuiltInCatalogue.LetterKey, AtStart(), Visibility.TherapistRelease),
                Item("check_in", BuiltInCatalogue.DailyCheckInKey, AtStart(), Visibility.MutualReveal, occurrences: 30),
                Item("reply", BuiltInCatalogue.ReplyKey, AfterRelease("letter", 7), Visibility.TherapistRelease),
                Item("underlying_causes", "underlying_causes", AtStep(3), Visibility.TherapistRelease),
                Item("trust_contract", BuiltInCatalogue.TrustContractKey, AtStep(4), Visibility.Shared,
                    cadence: Cadence.Once),
                Item("trigger_plan", BuiltInCatalogue.TriggerPlanKey, AtStep(4), Visibility.Shared),
                Item("boundaries", "agreed_boundaries", AtStep(4), Visibility.Shared),
                Item("boundary_review", BuiltInCatalogue.BoundaryReviewKey, AtStep(4, 30), Visibility.Shared,
                    occurrences: 6),
                Item("trust_rating", "weekly_trust_rating", AtStep(5), Visibility.Shared, occurrences: 12),
                Item("rituals", "rituals_of_connection", AtStep(7), Visibility.Shared, occurrences: 8),
            ]),
        new(AfterHiddenAddictionKey, 1,
            new LocalizedText("Repair after a hidden addiction", "Herstel na een verborgen verslaving"),
            new LocalizedText(
                "For a couple where one partner is in recovery. At the start: the letter of responsibility for the partner in recovery, their support network, and self-care for the loved one. A week after the letter is released, the loved one's reply. At step 3 the loved one looks at enabling; at step 4 the couple agrees boundaries and reviews them monthly, and the partner in recovery starts a weekly accountability log; from step 5 daily check-ins for a month and a weekly trust rating.",
                "Voor een paar van wie één partner herstelt. Bij de start: de brief van verantwoordelijkheid voor de partner in herstel, diens steunnetwerk, en zelfzorg voor de naaste. Een week nadat de brief is vrijgegeven, het antwoord van de naaste. Bij stap 3 kijkt de naaste naar meehelpen; bij stap 4 spreekt het paar grenzen af en herziet die maandelijks, en begint de partner in herstel een wekelijks logboek; vanaf stap 5 een maand dagelijkse check-ins en een wekelijkse vertrouwensscore."),
            [
                Item("letter", BuiltInCatalogue.LetterKey, AtStart(), Visibility.TherapistRelease),
                Item("support_network", "support_network", AtStart(), Visibility.Private, respondents: "in_recovery"),
                Item("self_care", "loved_one_self_care", AtStart(), Visibility.Private, occurrences: 12),
                Item("reply", BuiltInCatalogue.ReplyKey, AfterRelease("letter", 7), Visibility.TherapistRelease),
                Item("enabling", "recognising_enabling", AtStep(3), Visibility.Private),
                Item("boundaries", "agreed_boundaries", AtStep(4), Visibility.Shared),
                Item("boundary_review", BuiltInCatalogue.BoundaryReviewKey, AtStep(4, 30), Visibility.Shared,
                    occurrences: 6),
                Item("accountability", "accountability_log", AtStep(4), Visibility.Shared, respondents: "in_recovery",
                    occurrences: 12),
                Item("check_in", BuiltInCatalogue.DailyCheckInKey, AtStep(5), Visibility.MutualReveal, occurrences: 30),
                Item("trust_rating", "weekly_trust_rating", AtStep(5), Visibility.Shared, occurrences: 12),
            ]),
    ];
}
