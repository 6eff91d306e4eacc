using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Exercises;

/// <summary>The exercise catalogue: the built-in templates in both languages, a practice's own templates with their
/// field definitions, versions, and who may see or change which.</summary>
public abstract class CatalogueSuite(ApiFactory api)
{
    private static object Template(string key, object fields, string audience = "individual",
        bool conjoint = false) => new
    {
        key, title = new { en = "Evening reflection", nl = "Avondreflectie" }, instructions = new { en = "Write briefly.", nl = "Schrijf kort." },
        audience, defaultCadence = "daily", estimatedMinutes = 5, steps = new[] { 5 }, conjoint, fields,
    };

    private static readonly object[] ScaleFields = [new { key = "calm", type = "scale", label = new { en = "Calm",
        nl = "Rust" }, required = true, min = 0, max = 10 }];

    [SkippableFact]
    public async Task The_built_in_catalogue_is_bilingual_and_filterable()
    {
        var practice = await api.NewPracticeAsync();
        var all = await (await practice.Admin.GetAsync("/api/v1/exercise-templates?limit=200&language=nl"))
            .ReadJsonAsync(200);
        var keys = all.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("key").GetString()).ToList();
        foreach (var key in new[] { "daily_check_in", "trust_contract", "letter_of_responsibility", "trigger_plan",
            "underlying_causes", "agreed_boundaries",
                     "accountability_log", "support_network", "rituals_of_connection", "weekly_trust_rating", "milestone_celebration" })
        {
            Assert.Contains(key, keys);
        }

        var checkIn = await (await practice.Admin.GetAsync(
            $"/api/v1/exercise-templates/{ExerciseWork.DailyCheckIn}?language=nl")).ReadJsonAsync(200);
        Assert.Equal("Dagelijkse check-in", checkIn.GetProperty("title").GetString());
        Assert.Equal("Daily check-in", checkIn.GetProperty("translations").GetProperty("title").GetProperty("en")
            .GetString());
        Assert.True(checkIn.GetProperty("builtIn").GetBoolean());
        var mood = checkIn.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("key")
            .GetString() == "mood");
        Assert.Equal(["sunny", "cloudy", "stormy"], mood.GetProperty("options").EnumerateArray()
            .Select(o => o.GetProperty("value").GetString()));

        var breaching = await (await practice.Admin.GetAsync("/api/v1/exercise-templates?audience=role_breaching"))
            .ReadJsonAsync(200);
        Assert.Equal(["letter_of_responsibility"], breaching.GetProperty("items").EnumerateArray()
            .Select(t => t.GetProperty("key").GetString()));
        var stepThree = await (await practice.Admin.GetAsync("/api/v1/exercise-templates?step=3")).ReadJsonAsync(200);
        Assert.All(stepThree.GetProperty("items").EnumerateArray(), t => Assert.Contains(3, t.GetProperty("steps")
            .EnumerateArray().Select(s => s.GetInt32())));
        await (await practice.Admin.GetAsync("/api/v1/exercise-templates?audience=everyone")).AssertProblemAsync(400,
            "validation");
    }

    [SkippableFact]
    public async Task Field_definitions_are_validated()
    {
        var practice = await api.NewPracticeAsync();
        var fields = new object[]
        {
            new { key = "same", type = "text", label = new { en = "A", nl = "A" }, required = true },
            new { key = "same", type = "text", label = new { en = "B", nl = "B" }, required = true },
        };
        var duplicate = await (await practice.Admin.PostAsJsonAsync("/api/v1/exercise-templates", Template("dup",
            fields))).AssertProblemAsync(400, "validation");
        Assert.Contains("fields", duplicate.ErrorFields());

        var broken = new object[]
        {
            new { key = "pick", type = "choice", label = new { en = "Pick", nl = "Kies" }, required = true },
            new { key = "rate", type = "scale", label = new { en = "Rate", nl = "Score" }, required = true, min = 5, max = 5 },
            new { key = "grid", type = "table", label = new { en = "Grid", nl = "Tabel" }, required = true },
            new { key = "Bad Key", type = "text", label = new { en = "X", nl = "X" }, required = false },
        };
        var problem = await (await practice.Admin.PostAsJsonAsync("/api/v1/exercise-templates", Template("broken",
            broken))).AssertProblemAsync(400, "validation");
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("fields[0].options", errors);
        Assert.Contains("fields[1].max", errors);
        Assert.Contains("fields[2].columns", errors);
        Assert.Contains("fields[3].key", errors);
        var colour = new object[] { new { key = "colour", type = "colour", label = new { en = "X", nl = "X" }, required = false } };
        var unknown = await (await practice.Admin.PostAsJsonAsync("/api/v1/exercise-templates", Template("colour",
            colour))).AssertProblemAsync(400, "validation");
        Assert.Equal(["fields[0].type"], unknown.ErrorFields());
        var mine = await (await practice.Admin.GetAsync("/api/v1/exercise-templates?limit=200")).ReadJsonAsync(200);
        Assert.DoesNotContain(mine.GetProperty("items").EnumerateArray(), t => !t.GetProperty("builtIn").GetBoolean());
    }

    [SkippableFact]
    public async Task Changing_a_template_makes_a_new_version_and_older_assignments_keep_theirs()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var created = await (await practice.Admin.PostAsJsonAsync("/api/v1/exercise-templates", Template("evening",
            ScaleFields))).ReadJsonAsync(201);
        var templateId = created.GetProperty("id").GetGuid();
        var first = await practice.Admin.AssignAsync(new { templateId, clientId = client, cadence = "once" });

        var v2Fields = new object[] { new { key = "mood_word", type = "text", label = new { en = "One word", nl = "Eén woord" }, required = true } };
        var update = Api.Put($"/api/v1/exercise-templates/{templateId}", Template("evening", v2Fields)).WithIfMatch(1);
        var v2 = await (await practice.Admin.SendAsync(update)).ReadJsonAsync(200);
        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        await (await practice.Admin.SendAsync(Api.Put($"/api/v1/exercise-templates/{templateId}", Template("evening",
            v2Fields)).WithIfMatch(1)))
            .AssertProblemAsync(412, "stale-version");
        var v1 = await (await practice.Admin.GetAsync($"/api/v1/exercise-templates/{templateId}?version=1"))
            .ReadJsonAsync(200);
        Assert.Equal("calm", v1.GetProperty("fields")[0].GetProperty("key").GetString());

        var assignment = await (await practice.Admin.GetAsync($"/api/v1/assignments/{first}")).ReadJsonAsync(200);
        Assert.Equal(1, assignment.GetProperty("templateVersion").GetInt32());
        var today = assignment.GetProperty("startsOn").GetString()!;
        await (await practice.Admin.AnswerAsync(first, today, new { mood_word = "calm" }, client, portal: false))
            .AssertProblemAsync(400, "validation");
        await (await practice.Admin.AnswerAsync(first, today, new { calm = 7 }, client, portal: false))
            .ReadJsonAsync(201);
        var second = await practice.Admin.AssignAsync(new { templateId, clientId = client, cadence = "once" });
        Assert.Equal(2, (await (await practice.Admin.GetAsync($"/api/v1/assignments/{second}")).ReadJsonAsync(200))
            .GetProperty("templateVersion").GetInt32());
    }

    [SkippableFact]
    public async Task Built_in_templates_are_read_only_and_other_practices_templates_are_404()
    {
        var practice = await api.NewPracticeAsync();
        await (await practice.Admin.SendAsync(Api.Put($"/api/v1/exercise-templates/{ExerciseWork.DailyCheckIn}",
            Template("daily_check_in", ScaleFields))))
            .AssertProblemAsync(403, "read-only");
        await (await practice.Admin.PostAsJsonAsync("/api/v1/exercise-templates", Template("daily_check_in",
            ScaleFields))).AssertProblemAsync(409, "duplicate-key");

        var other = await api.NewPracticeAsync();
        var theirs = (await (await other.Admin.PostAsJsonAsync("/api/v1/exercise-templates", Template("private_one",
            ScaleFields))).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        await (await practice.Admin.GetAsync($"/api/v1/exercise-templates/{theirs}")).AssertProblemAsync(404,
            "not-found");
        var client = await practice.Admin.CreateClientIdAsync();
        await (await practice.Admin.PostAsJsonAsync("/api/v1/assignments", new { templateId = theirs,
            clientId = client })).AssertProblemAsync(404, "not-found");
    }
}

public sealed class CatalogueOnSqlite(SqliteApi api) : CatalogueSuite(api), IClassFixture<SqliteApi>;

public sealed class CatalogueOnSqlServer(SqlServerApi api) : CatalogueSuite(api), IClassFixture<SqlServerApi>;
