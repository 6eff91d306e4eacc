using PracticeApi.Features.Measures;
using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Features.Practices.DemoPractice;

namespace PracticeApi.Features.Practices;

/// <summary>
/// The demo's outcome measure: a short check the practice wrote itself (four items, each from never to always, two
/// subscales, three bands, one critical item), assigned weekly to Sanne and Joost four weeks ago and taken every week
/// on time, the scores easing as the work goes on.
/// </summary>
internal sealed class DemoMeasures(MeasureStore measures, DemoTime time)
{
    public async Task SeedAsync(Caller admin, CancellationToken ct)
    {
        var definition = MeasuresExamples.WeeklyCheckDefinition;
        MeasureResponse measure;
        using (EntityIds.Plan(DemoIds.WeeklyCheckMeasure))
        {
            measure = await measures.CreateAsync(admin, definition.Key, definition.Name,
                new MeasureDefinition(null, null, definition.Items, definition.Bands, definition.CriticalItems), ct);
        }

        // Four weekly checks each, a week apart, ending yesterday: from matig toward laag.
        string[][] sanne = [["a1", "a1", "a2", "a0"], ["a1", "a2", "a2", "a0"], ["a2", "a2", "a1", "a0"], ["a2", "a3",
            "a1", "a0"]];
        string[][] joost = [["a2", "a1", "a2", "a0"], ["a2", "a2", "a1", "a0"], ["a2", "a2", "a1", "a0"], ["a3", "a2",
            "a0", "a0"]];
        var firstWeek = time.Today.AddDays(-22);
        foreach (var (client, answers, assignmentId) in new[]
                 {
                     (DemoIds.Sanne, sanne, DemoIds.SanneWeeklyCheckAssignment), (DemoIds.Joost, joost,
                         DemoIds.JoostWeeklyCheckAssignment),
                 })
        {
            using (EntityIds.Plan(assignmentId))
            {
                Value(await time.At<MeasureAssignments>(time.On(firstWeek, new TimeOnly(10, 0)))
                    .AssignAsync(admin, client,
                    new AssignMeasureRequest(measure.Id, Cadence.Weekly, firstWeek, null, null, "21:00",
                        "Elke week, op een rustig moment."), ct));
            }

            for (var week = 0; week < 4; week++)
            {
                var day = firstWeek.AddDays(7 * week);
                var at = time.On(day, new TimeOnly(20, 30));
                var portal = new Caller(admin.PracticeId, Guid.Empty, ActorKind.Client, null, client, null,
                    new HashSet<string>(), null, "demo-seed");
                var keyed = measure.Items.Select((item, i) => (item.LinkId, answers[week][i]))
                    .ToDictionary(p => p.LinkId, p => p.Item2);
                using var planned = client == DemoIds.Sanne && week == 0
                    ? EntityIds.Plan(DemoIds.SanneFirstScore) : null;
                Value(await time.At<MeasureStore>(at).RecordAsync(portal, client, new RecordScoreRequest(measure.Id,
                    keyed, at, assignmentId, day), ct));
            }
        }
    }
}
