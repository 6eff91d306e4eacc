using System.Globalization;
using System.Text.Json;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.RepairWork;
using PracticeApi.Features.SupportNetwork;
using PracticeApi.Features.Therapists;
using PracticeApi.Features.Tokens;
using PracticeApi.Infrastructure.Examples;

namespace PracticeApi.Features.Practices;

/// <summary>
/// A demo practice worth exploring, made through the stores' own rules (care teams, schedules, the safety hold): two
/// therapists, a couple repairing after an affair at step 4 with a month of daily check-ins (one day missed), a trust
/// contract agreed and evaluated, a trigger plan with episodes, and a couple working on a hidden addiction that has
/// stalled; past sessions with notes and upcoming ones; a support network; and the alerts that follow from all that.
/// </summary>
internal sealed class DemoPractice(
    TherapistStore therapists, RegisterClient clients, ChangeClientStatus clientStatus, DemoCouples couples, DemoSessions sessions, AssignmentStore assignments,
    ResponseStore responses, TrustContractStore contracts, TriggerStore triggers, SupportNetworkStore network, TokenStore tokens,
    TemplateStore templates, Programs.ProgramStore programs, Records.ErasureRequests erasures, Recovery.RecoveryLogStore recovery, DemoIntegrations integrations, DemoBilling billing, DemoTime time, DemoMeasures measures, PracticeCalendar calendar)
{
    public async Task<DemoTokens> SeedAsync(BootstrappedPractice practice, CancellationToken ct)
    {
        var admin = new Caller(practice.PracticeId, practice.TokenId, ActorKind.User, practice.TherapistId, null,
            TherapistRole.Admin, new HashSet<string>(), null, "demo-seed");
        var eva = (await Planned(DemoIds.Eva, () => therapists.CreateAsync(admin,
            new CreateTherapistRequest("Eva Jansen", "eva@demo.practice.example", TherapistRole.Therapist), ct))).Id;
        var mark = (await Planned(DemoIds.Mark, () => therapists.CreateAsync(admin,
            new CreateTherapistRequest("Mark de Boer", "mark@demo.practice.example", TherapistRole.Therapist), ct))).Id;

        async Task<Guid> Client(Guid id, string first, string last, string born, Language language, Guid therapist) =>
            (await Planned(id, () => clients.CreateAsync(admin, new CreateClientRequest(first, last,
                DateOnly.Parse(born, CultureInfo.InvariantCulture),
                $"{first.ToLowerInvariant()}@example.org", null, language, null, null, [therapist]), ct))).Id;

        var sanne = await Client(DemoIds.Sanne, "Sanne", "de Vries", "1986-03-14", Language.Nl, eva);
        var joost = await Client(DemoIds.Joost, "Joost", "Bakker", "1984-11-02", Language.Nl, eva);
        var lotte = await Client(DemoIds.Lotte, "Lotte", "Visser", "1990-06-21", Language.En, mark);
        var daan = await Client(DemoIds.Daan, "Daan", "Smit", "1988-01-30", Language.Nl, mark);
        var noor = await Client(DemoIds.Noor, "Noor", "El Amrani", "1995-09-09", Language.En, mark);
        await FormerClientAsync(admin, eva, ct);

        var today = calendar.Today;
        var (affair, addiction) = await couples.SeedAsync(admin, sanne, joost, daan, lotte, ct);

        await sessions.SeedAsync(admin, eva, mark, affair, addiction, noor, sanne, joost, daan, lotte, ct);
        await CheckInsAsync(admin, practice.PracticeId, affair, sanne, joost, today, ct);
        await StalledCheckInsAsync(admin, practice.PracticeId, addiction, daan, lotte, today, ct);
        await ContractAsync(admin, practice.PracticeId, affair, sanne, joost, today, ct);
        await TriggersAsync(admin, affair, sanne, joost, today, ct);
        await LetterAsync(admin, practice.PracticeId, affair, joost, ct);
        await RecoveryAsync(practice.PracticeId, daan, today, ct);
        // The addiction couple follows the built-in program: its first items (the letter for Daan, his support network,
        // Lotte's self-care) are assigned at once; the rest wait for their step.
        await Planned(DemoIds.AddictionEnrolment, () => programs.EnrolAsync(admin, addiction,
            new Programs.EnrolRequest(Programs.BuiltInPrograms.IdFor(Programs.BuiltInPrograms.AfterHiddenAddictionKey),
                null), ct));
        await DraftContractAsync(admin, addiction, ct);
        await PracticeTemplateAsync(admin, ct);

        await Planned(DemoIds.DaanSponsor, () => network.AddAsync(admin, daan,
            new SupportPersonRequest("Ruben", Relationship.Sponsor, Effect.Supports,
                "Call when the urge comes, any hour.", false, null), ct));
        foreach (var (client, person) in new[]
                 {
                     (daan, new SupportPersonRequest("Bas Smit", Relationship.Family, Effect.Both,
                         "Stop covering for me at family dinners.", true, "bas@example.org")),
                     (daan, new SupportPersonRequest("Colleague at work", Relationship.Colleague, Effect.Strains,
                         "Drinks after work: say no for now.", false, null)),
                     (noor, new SupportPersonRequest("Weekly group", Relationship.SupportGroup, Effect.Supports,
                         "Go every Thursday.", false, null)),
                 })
        {
            Value(await network.AddAsync(admin, client, person, ct));
        }

        await integrations.SeedAsync(admin, mark, ct);
        await billing.SeedAsync(admin, ct);
        await measures.SeedAsync(admin, ct);
        var therapistToken = Value(await tokens.CreateAsync(admin, new CreateTokenRequest(TokenKind.User,
            "Eva's demo token", eva, null, null), ct)).Token;
        var partnerToken = Value(await tokens.CreatePortalTokenAsync(admin, sanne, "Sanne's demo app", null, ct)).Token;
        var lotteToken = Value(await tokens.CreatePortalTokenAsync(admin, lotte, "Lotte's demo app", null, ct)).Token;
        return new DemoTokens(practice.Token, therapistToken, partnerToken, affair, addiction, sanne, lotteToken);
    }

    private async Task CheckInsAsync(Caller admin, Guid practiceId, Guid couple, Guid sanne, Guid joost,
        DateOnly today, CancellationToken ct)
    {
        var started = today.AddDays(-30);
        var assignment = (await Planned(DemoIds.AffairCheckIn, () => assignments.CreateAsync(admin,
            new CreateAssignmentRequest(BuiltInCatalogue.IdFor(BuiltInCatalogue.DailyCheckInKey),
            null, couple, "both", Cadence.Daily, started, null, 60, "21:00", "Five minutes each, every evening.", Visibility.MutualReveal, null), ct))).Id;
        string[] moods = ["cloudy", "stormy", "cloudy", "sunny", "cloudy", "sunny", "sunny"];
        string[] needs = ["Tell me about your day without me asking", "Put your phone on the table at dinner",
            "A walk, just us", "Patience when I go quiet"];
        string[] thanks = ["You made coffee before I woke up", "You answered my question honestly",
            "We laughed about the dog", "You came home on time"];
        for (var day = started; day < today; day = day.AddDays(1))
        {
            var n = day.DayNumber;
            // Sanne missed one evening (nine days ago); Joost missed that one and one more, so the shared streak is a
            // week. Each answered on its own evening (due at 21:00): Sanne between 20:05 and 20:50; Joost mostly before
            // nine, late every fifth day.
            if (day != today.AddDays(-9)) await AnswerAsync(practiceId, sanne, assignment, day, new TimeOnly(20,
                5 + n % 46), moods[n % moods.Length], needs[n % needs.Length], thanks[n % thanks.Length], ct);
            if (day != today.AddDays(-9) && day != today.AddDays(-8)) await AnswerAsync(practiceId, joost, assignment,
                day, n % 5 == 0 ? new TimeOnly(22, 10) : new TimeOnly(20, 40), moods[(n + 3) % moods.Length], needs[(n
                + 1) % needs.Length], thanks[(n + 2) % thanks.Length], ct);
        }
    }

    private async Task StalledCheckInsAsync(Caller admin, Guid practiceId, Guid couple, Guid daan, Guid lotte,
        DateOnly today, CancellationToken ct)
    {
        var started = today.AddDays(-14);
        var assignment = (await Planned(DemoIds.AddictionCheckIn, () => assignments.CreateAsync(admin,
            new CreateAssignmentRequest(BuiltInCatalogue.IdFor(BuiltInCatalogue.DailyCheckInKey),
            null, couple, "both", Cadence.Daily, started, null, 30, "20:00", null, Visibility.Private, null), ct))).Id;
        for (var day = started; day < today; day = day.AddDays(1))
        {
            // Lotte keeps it up; Daan answered on four days only: the adherence alert.
            await AnswerAsync(practiceId, lotte, assignment, day, new TimeOnly(19, 30), "cloudy",
                "Tell me where the money goes", "You went to your meeting", ct);
            if (day.DayNumber % 4 == 0) await AnswerAsync(practiceId, daan, assignment, day, new TimeOnly(23, 15),
                "sunny", "Trust that I am trying", "You stayed", ct);
        }
    }

    private async Task AnswerAsync(Guid practiceId, Guid client, Guid assignment, DateOnly day, TimeOnly at,
        string mood, string need, string thanks, CancellationToken ct)
    {
        var partner = new Caller(practiceId, Guid.Empty, ActorKind.Client, null, client, null, new HashSet<string>(),
            null, "demo-seed");
        var answers = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["mood"] = mood,
            ["need_from_you"] = need, ["grateful_for"] = thanks });
        Value(await time.At<ResponseStore>(time.On(day, at)).SubmitAsync(partner, assignment,
            new CreateResponseRequest(null, day, answers), ct));
    }

    private async Task ContractAsync(Caller admin, Guid practiceId, Guid couple, Guid sanne, Guid joost,
        DateOnly today, CancellationToken ct)
    {
        using var lineIds = EntityIds.Plan(DemoIds.AffairLinePhone, DemoIds.AffairLineContact, DemoIds.AffairLineTime);
        var contract = Value(await contracts.PutAsync(admin, couple, new TrustContractRequest(
        [
            new ContractLine(null, "Phone", "Phones are open to each other; no deleted messages.",
                "Sanne may look when she asks; we talk about how that felt."),
            new ContractLine(null, "Contact",
                "No contact with the other person; any contact from her is shared the same day.", "Joost tells Sanne the same evening."),
            new ContractLine(null, "Time", "Late evenings are announced before six.",
                "A message before 18:00 when it gets late."),
        ]), null, ct));
        foreach (var partner in new[] { joost, sanne })
        {
            var portal = new Caller(practiceId, Guid.Empty, ActorKind.Client, null, partner, null,
                new HashSet<string>(), null, "demo-seed");
            Value(await contracts.AgreeAsync(portal, couple, new AgreementRequest(partner), ct));
        }

        var month = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var lines = contract.Lines.Select(l => l.LineId!.Value).ToList();
        Value(await contracts.EvaluateAsync(admin, couple, new EvaluationRequest(sanne, month,
        [
            new LineRating(lines[0], Rating.Kept, "He hands me the phone before I ask."),
            new LineRating(lines[1], Rating.PartlyKept, "She messaged; he told me two days later."),
            new LineRating(lines[2], Rating.Kept, null),
        ], [new LineDecision(lines[1], Decision.Adjust)]), ct));
    }

    private async Task TriggersAsync(Caller admin, Guid couple, Guid sanne, Guid joost, DateOnly today,
        CancellationToken ct)
    {
        Value(await triggers.PutPlanAsync(admin, couple, new TriggerPlanRequest(
        [
            new PartnerTriggerPlan(sanne, "His phone lighting up at night; the name of the town where it happened.",
                "Say 'I am triggered' and take ten minutes outside.", "Stay near, put the phone face up, do not defend yourself.",
                "Ask what you need; do not make it about me."),
            new PartnerTriggerPlan(joost, "Being questioned in front of the children.", "Breathe, answer once, calmly.",
                "Ask me later, when we are alone.", "Listen first; the explanation can wait."),
        ]), null, ct));
        // Fewer and milder over the weeks: the sign of the later steps.
        foreach (var (daysAgo, intensity, trigger) in new[] { (26, 8, "A late message"), (22, 7,
            "Seeing the town's name"), (17, 6, "Phone at night"), (9, 4, "A missed check-in"), (2, 3, "A colleague's name") })
        {
            Value(await triggers.LogEpisodeAsync(admin, couple, new TriggerEpisodeRequest(sanne,
                calendar.ToUtc(today.AddDays(-daysAgo), new TimeOnly(21,
                    30)), intensity, trigger, "Walked outside, then talked"), ct));
        }
    }

    /// <summary>A former client of Eva's: discharged, and she asked for her record to be erased (not decided
    /// yet).</summary>
    private async Task FormerClientAsync(Caller admin, Guid eva, CancellationToken ct)
    {
        var femke = (await Planned(DemoIds.Femke, () => clients.CreateAsync(admin,
            new CreateClientRequest("Femke", "Hendriks",
            new DateOnly(1979, 12, 5), "femke@example.org", null, Language.Nl, null, null, [eva]), ct))).Id;
        Value(await clientStatus.SetStatusAsync(admin, femke, ClientStatus.Discharged, ct));
        await Planned(DemoIds.FemkeErasureRequest, () => erasures.RequestAsync(admin, femke,
            new Records.ErasureRequestBody("Femke Hendriks, by letter"), ct));
    }

    /// <summary>Joost's letter of responsibility, written and waiting for Eva to release it to Sanne.</summary>
    private async Task LetterAsync(Caller admin, Guid practiceId, Guid couple, Guid joost, CancellationToken ct)
    {
        var letter = (await Planned(DemoIds.JoostLetter, () => assignments.CreateAsync(admin,
            new CreateAssignmentRequest(
            BuiltInCatalogue.IdFor("letter_of_responsibility"), null, couple, null, Cadence.Once, calendar.Today.AddDays(-6), null, null, null,
            "Bring it to the session; Eva releases it to Sanne afterwards.", Visibility.TherapistRelease, null), ct))).Id;
        var partner = new Caller(practiceId, Guid.Empty, ActorKind.Client, null, joost, null, new HashSet<string>(),
            null, "demo-seed");
        var answers = JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["what_i_did"] = "For eight months I had a relationship with a colleague and lied about where I was.",
            ["impact_on_you"] = "You stopped sleeping, you doubt your own memory, and you feel a fool for trusting me. None of that is on you.",
            ["why_it_happened"] = "I avoided every difficult talk at home and let the attention at work fill that gap. That was my choice.",
            ["what_i_will_do"] = "Open phone, no contact with her, and my own therapy on why I run from conflict.",
            ["what_i_need"] = "Time, and to hear it when you are angry rather than find out later.",
        });
        await Planned(DemoIds.JoostLetterResponse, () => responses.SubmitAsync(partner, letter,
            new CreateResponseRequest(null, null, answers), ct));
    }

    /// <summary>Daan's recovery log: sober days, his Thursday group, a setback twelve days ago; shared with
    /// Lotte.</summary>
    private async Task RecoveryAsync(Guid practiceId, Guid daan, DateOnly today, CancellationToken ct)
    {
        var portal = new Caller(practiceId, Guid.Empty, ActorKind.Client, null, daan, null, new HashSet<string>(),
            null, "demo-seed");
        for (var back = 20; back >= 1; back--)
        {
            var day = today.AddDays(-back);
            if (back == 12)
            {
                Value(await recovery.AddAsync(portal, daan,
                    new Recovery.RecoveryEntryRequest(Recovery.RecoveryKind.Setback, day,
                    "A colleague's leaving drinks; I stayed too long and drank.", "Leave early, and text Ruben before I go, not after.", null), ct));
                continue;
            }

            Value(await recovery.AddAsync(portal, daan,
                new Recovery.RecoveryEntryRequest(Recovery.RecoveryKind.SoberDay, day, null, null, null), ct));
            if (day.DayOfWeek == DayOfWeek.Thursday)
            {
                Value(await recovery.AddAsync(portal, daan,
                    new Recovery.RecoveryEntryRequest(Recovery.RecoveryKind.Meeting, day, null, null,
                    "Thursday group"), ct));
            }
        }

        Value(await recovery.SetSharingAsync(portal, new Recovery.RecoverySharingRequest(DemoIds.AddictionCouple,
            true), ct));
    }

    /// <summary>The addiction couple's first trust contract: drafted in the last session, not agreed by either
    /// yet.</summary>
    private async Task DraftContractAsync(Caller admin, Guid couple, CancellationToken ct)
    {
        using var lineIds = EntityIds.Plan(DemoIds.AddictionLineMoney, DemoIds.AddictionLineMeetings);
        Value(await contracts.PutAsync(admin, couple, new TrustContractRequest(
        [
            new ContractLine(null, "Money", "Daan shares his bank statements every Sunday.",
                "Lotte has seen them by Sunday evening."),
            new ContractLine(null, "Recovery", "Daan goes to his group every Thursday.",
                "He tells Lotte after, in a sentence or two."),
        ]), null, ct));
    }

    /// <summary>An exercise the practice wrote itself, and a short program of its own that uses it.</summary>
    private async Task PracticeTemplateAsync(Caller admin, CancellationToken ct)
    {
        await Planned(DemoIds.PracticeTemplate, () => templates.CreateAsync(admin,
            Exercises.ExercisesExamples.PracticeTemplate("evening_walk"), ct));
        await Planned(DemoIds.PracticeProgram, () => programs.CreateAsync(admin,
            Programs.ProgramsExamples.PracticeProgram("reconnecting"), ct));
    }

    internal static async Task<T> Planned<T>(Guid id, Func<Task<Outcome<T>>> create)
    {
        using (EntityIds.Plan(id)) return Value(await create());
    }

    /// <summary>What the demo seed was given; a refusal is a bug in the seed, so it stops the seed.</summary>
    internal static T Value<T>(Outcome<T> outcome) =>
        outcome.Succeeded
            ? outcome.Value! : throw new InvalidOperationException($"Demo seed refused: {outcome.Failure!.Detail}");
}
