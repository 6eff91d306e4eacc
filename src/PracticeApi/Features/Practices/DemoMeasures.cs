using PracticeApi.Features.Measures;
using static PracticeApi.Features.Practices.DemoPractice;

namespace PracticeApi.Features.Practices;

/// <summary>
/// The demo's outcome measure: a short check the practice wrote itself (four items, each from never to always, two
/// subscales, three bands, one critical item), assigned weekly to Sanne and Joost four weeks ago and taken every week on time,
/// the scores easing as the work goes on.
/// </summary>
internal sealed class DemoMeasures(MeasureStore measures, DemoTime time)
{
    private static readonly string[] Scale = ["Nooit", "Soms", "Vaak", "Altijd"];

    public static MeasureDefinitionRequest Definition => new("weekly_relationship_check", "Wekelijkse relatiecheck", null, null,
        [Item("dichtbij", "Ik voelde me dicht bij mijn partner", "verbinding", reverse: true), Item("gehoord", "Ik voelde me gehoord", "verbinding", reverse: true),
            Item("spanning", "Ruzies liepen uit de hand", "spanning"), Item("onveilig", "Ik voelde me thuis niet veilig", "spanning")],
        [new(0, 3, "laag"), new(4, 7, "matig"), new(8, 12, "hoog")],
        [new("onveilig", 2, "Voelt zich thuis niet veilig: neem voor de volgende sessie contact op.")]);

    // Items where "always" is good count down, so that a higher total is always more distress.
    private static MeasureItem Item(string linkId, string text, string subscale, bool reverse = false) =>
        new(linkId, text, Scale.Select((t, v) => new MeasureOption($"a{v}", t, reverse ? 3 - v : v)).ToList(), subscale);

    public async Task SeedAsync(Caller admin, CancellationToken ct)
    {
        var definition = Definition;
        MeasureResponse measure;
        using (EntityIds.Plan(DemoIds.WeeklyCheckMeasure))
        {
            measure = await measures.CreateAsync(admin, definition.Key, definition.Name,
                new MeasureDefinition(null, null, definition.Items, definition.Bands, definition.CriticalItems), ct);
        }

        // Four weekly checks each, a week apart, ending yesterday: from matig toward laag.
        string[][] sanne = [["a1", "a1", "a2", "a0"], ["a1", "a2", "a2", "a0"], ["a2", "a2", "a1", "a0"], ["a2", "a3", "a1", "a0"]];
        string[][] joost = [["a2", "a1", "a2", "a0"], ["a2", "a2", "a1", "a0"], ["a2", "a2", "a1", "a0"], ["a3", "a2", "a0", "a0"]];
        var firstWeek = time.Today.AddDays(-22);
        foreach (var (client, answers, assignmentId) in new[]
                 {
                     (DemoIds.Sanne, sanne, DemoIds.SanneWeeklyCheckAssignment), (DemoIds.Joost, joost, DemoIds.JoostWeeklyCheckAssignment),
                 })
        {
            using (EntityIds.Plan(assignmentId))
            {
                Value(await time.At<MeasureAssignments>(time.On(firstWeek, new TimeOnly(10, 0))).AssignAsync(admin, client,
                    new AssignMeasureRequest(measure.Id, "weekly", firstWeek, null, null, "21:00", "Elke week, op een rustig moment."), ct));
            }

            for (var week = 0; week < 4; week++)
            {
                var day = firstWeek.AddDays(7 * week);
                var at = time.On(day, new TimeOnly(20, 30));
                var portal = new Caller(admin.PracticeId, Guid.Empty, TokenKinds.Client, null, client, null, new HashSet<string>(), null, "demo-seed");
                var keyed = measure.Items.Select((item, i) => (item.LinkId, answers[week][i])).ToDictionary(p => p.LinkId, p => p.Item2);
                using var planned = client == DemoIds.Sanne && week == 0 ? EntityIds.Plan(DemoIds.SanneFirstScore) : null;
                Value(await time.At<MeasureStore>(at).RecordAsync(portal, client, new RecordScoreRequest(measure.Id, keyed, at, assignmentId, day), ct));
            }
        }
    }
}
