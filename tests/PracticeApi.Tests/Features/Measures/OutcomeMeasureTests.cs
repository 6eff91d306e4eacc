using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Measures;

/// <summary>
/// Outcome measures (issue 31.1): versioned definitions written or imported from a FHIR Questionnaire with answer
/// values, scored on submission (total, band, subscales), a critical answer announced at once, each instrument's trend
/// per client.
/// </summary>
public sealed class OutcomeMeasureTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static readonly string[] Scale = ["Never", "Sometimes", "Often", "Always"];

    /// <summary>A practice-written check of four items (0-3 each), two subscales, three bands, item four critical from
    /// 2.</summary>
    private static object Definition(string key = "weekly_check") => new
    {
        key, name = "Weekly relationship check", loincCode = (string?)null, totalLoincCode = (string?)null,
        items = new[] { ("close", "I felt close to my partner", "bond"), ("heard", "I felt heard", "bond"), ("tense",
            "Arguments got out of hand", "strain"), ("unsafe", "I felt unsafe at home", "strain") }
            .Select(i => new { linkId = i.Item1, text = i.Item2, subscale = i.Item3, options = Scale.Select((t,
            v) => new { code = $"a{v}", text = t, value = v }) }),
        bands = new[] { new { min = 0, max = 3, label = "low" }, new { min = 4, max = 7, label = "moderate" }, new { min = 8, max = 12, label = "high" } },
        criticalItems = new[] { new { linkId = "unsafe", minValue = 2, alert = "Says they feel unsafe at home: contact them before the next session." } },
    };

    /// <summary>The same instrument as a FHIR R4 Questionnaire, answer values as ordinalValue extensions, items in a
    /// group.</summary>
    private static JsonObject Questionnaire() => JsonNode.Parse($$"""
        {
          "resourceType": "Questionnaire", "status": "active", "title": "Two-item stress check",
          "code": [{ "system": "http://loinc.org", "code": "00000-0" }],
          "item": [{ "linkId": "g", "type": "group", "item": [
            { "linkId": "intro", "type": "display", "text": "Over the last week:" },
            { "linkId": "q1", "type": "choice", "text": "Felt under pressure", "answerOption": [
              { "valueCoding": { "code": "LA6568-5", "display": "Not at all" }, "extension": [{ "url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 0 }] },
              { "valueCoding": { "code": "LA6569-3", "display": "Several days", "extension": [{ "url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 1 }] } } ] },
            { "linkId": "q2", "type": "choice", "text": "Could not switch off", "answerOption": [
              { "valueCoding": { "code": "LA6568-5", "display": "Not at all" }, "extension": [{ "url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 0 }] },
              { "valueCoding": { "code": "LA6569-3", "display": "Several days" }, "extension": [{ "url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1 }] } ] }
          ] }]
        }
        """)!.AsObject();

    private static Dictionary<string, string> Answers(int close, int heard, int tense, int unsafeAtHome) =>
        new() { ["close"] = $"a{close}", ["heard"] = $"a{heard}", ["tense"] = $"a{tense}", ["unsafe"] = $"a{unsafeAtHome}" };

    [Fact]
    public async Task A_measure_is_scored_banded_and_trended_and_a_critical_answer_is_announced_at_once()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var measure = await (await admin.PostAsJsonAsync("/api/v1/measures", Definition())).ReadJsonAsync(201);
        Assert.Equal((1, 12), (measure.GetProperty("version").GetInt32(), measure.GetProperty("maxTotal").GetInt32()));
        var id = measure.GetProperty("id").GetGuid();

        var now = api.Clock.GetUtcNow().UtcDateTime;
        var first = await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/measures", new { measureId = id,
            answers = Answers(3, 3, 1, 0), takenAt = now.AddDays(-14) }))
            .ReadJsonAsync(201);
        Assert.Equal((7, "moderate", "staff"), (first.GetProperty("total").GetInt32(), first.GetProperty("band")
            .GetString(), first.GetProperty("recordedVia").GetString()));
        Assert.Equal((6, 1), (first.GetProperty("subscales").GetProperty("bond").GetInt32(),
            first.GetProperty("subscales").GetProperty("strain").GetInt32()));
        Assert.Empty(first.GetProperty("critical").EnumerateArray());

        var critical = await (await c.PortalA.PostAsJsonAsync("/api/v1/me/measures", new { measureId = id,
            answers = Answers(1, 0, 3, 2) })).ReadJsonAsync(201);
        Assert.Equal(("portal", "unsafe"), (critical.GetProperty("recordedVia").GetString(),
            critical.GetProperty("critical")[0].GetProperty("linkId").GetString()));
        var events = (await (await admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "measure.critical_item").ToList();
        var announced = Assert.Single(events);
        Assert.Equal(critical.GetProperty("id").GetGuid(), announced.GetProperty("data").GetProperty("scoreId")
            .GetGuid());
        Assert.DoesNotContain("unsafe at home", announced.ToString());

        // A second version keeps the first's scores; the trend shows each instrument's scores oldest first, paged.
        var second = await (await admin.PostAsJsonAsync("/api/v1/measures", Definition())).ReadJsonAsync(201);
        Assert.Equal(2, second.GetProperty("version").GetInt32());
        await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/measures", new { measureId = second.GetProperty("id")
            .GetGuid(), answers = Answers(0, 0, 0, 0), takenAt = now.AddDays(-7) })).ReadJsonAsync(201);
        var trend = Assert.Single((await (await admin.GetAsync($"/api/v1/clients/{c.A}/measures")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        Assert.Equal([7, 0, 6], trend.GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("total")
            .GetInt32()));
        var firstPage = await (await admin.GetAsync($"/api/v1/clients/{c.A}/measures?limit=2")).ReadJsonAsync(200);
        var next = await (await admin.GetAsync($"/api/v1/clients/{c.A}/measures?limit=2&cursor={firstPage.GetProperty("nextCursor").GetString()}")).ReadJsonAsync(200);
        Assert.Equal([6], next.GetProperty("items")[0].GetProperty("scores").EnumerateArray()
            .Select(s => s.GetProperty("total").GetInt32()));
        Assert.Single((await (await c.PortalA.GetAsync("/api/v1/me/measures")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray());
        Assert.Empty((await (await c.PortalB.GetAsync("/api/v1/me/measures")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray());
        Assert.Contains(await c.Practice.AuditEventsAsync($"clientId={c.A}"), e => e.GetProperty("resourceType")
            .GetString() == "measure_score");

        // The couple's progress shows both partners' scores per measure; the critical answer is an alert for the care
        // team.
        await (await c.PortalB.PostAsJsonAsync("/api/v1/me/measures", new { measureId = id, answers = Answers(2, 2, 0,
            0) })).ReadJsonAsync(201);
        var progress = (await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/progress")).ReadJsonAsync(200))
            .GetProperty("measures").EnumerateArray().ToList();
        Assert.Equal([c.A, c.B], progress.Select(p => p.GetProperty("clientId").GetGuid()).Order());
        Assert.Equal([7, 0, 6], progress.Single(p => p.GetProperty("clientId").GetGuid() == c.A).GetProperty("scores")
            .EnumerateArray()
            .Select(p => p.GetProperty("total").GetInt32()));
        var alert = Assert.Single((await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/alerts"))
            .ReadJsonAsync(200)).GetProperty("items").EnumerateArray(),
            a => a.GetProperty("kind").GetString() == "critical_answer");
        Assert.Contains("unsafe at home", alert.GetProperty("reason").GetString());
        Assert.Equal(c.A, alert.GetProperty("data").GetProperty("clientId").GetGuid());

        // For integrators, each score is a survey Observation: the total, the band, the subscales.
        var observations = JsonNode.Parse(await (await admin.GetAsync($"/fhir/Observation?patient={c.A}"))
            .Content.ReadAsStringAsync())!["entry"]!.AsArray()
            .Select(e => e!["resource"]!).ToDictionary(o => o["id"]!.GetValue<string>());
        var observed = observations[first.GetProperty("id").GetGuid().ToString()];
        Assert.Equal((7, "moderate", "survey"), (observed["valueInteger"]!.GetValue<int>(),
            observed["interpretation"]![0]!["text"]!.GetValue<string>(),
            observed["category"]![0]!["coding"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal(["bond", "strain"], observed["component"]!.AsArray()
            .Select(x => x!["code"]!["text"]!.GetValue<string>()));
        Assert.Equal(3, observations.Count); // partner A's
        Assert.Equal($"QuestionnaireResponse/{first.GetProperty("id").GetGuid()}",
            observed["derivedFrom"]![0]!["reference"]!.GetValue<string>());

        // And the answers are a QuestionnaireResponse of the same id: the measure's version, each question and the
        // option chosen.
        var answered = JsonNode.Parse(await (await admin.GetAsync(
            $"/fhir/QuestionnaireResponse/{first.GetProperty("id").GetGuid()}")).Content.ReadAsStringAsync())!;
        Assert.Equal(("https://practiceapi.dev/fhir/measures/weekly_check|1", "completed"),
            (answered["questionnaire"]!.GetValue<string>(), answered["status"]!.GetValue<string>()));
        Assert.Equal([("close", "I felt close to my partner", "a3", "Always"), ("heard", "I felt heard", "a3",
            "Always"), ("tense", "Arguments got out of hand", "a1", "Sometimes"),
                ("unsafe", "I felt unsafe at home", "a0", "Never")],
            answered["item"]!.AsArray().Select(i => (i!["linkId"]!.GetValue<string>(), i["text"]!.GetValue<string>(),
                i["answer"]![0]!["valueCoding"]!["code"]!.GetValue<string>(), i["answer"]![0]!["valueCoding"]!["display"]!.GetValue<string>())));
        Assert.Null(answered["source"]); // recorded by staff in session
        var searched = JsonNode.Parse(await (await admin.GetAsync($"/fhir/QuestionnaireResponse?patient={c.A}"))
            .Content.ReadAsStringAsync())!["entry"]!.AsArray()
            .Select(e => e!["resource"]!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(observations.Keys.ToHashSet(), searched);
        // The client's export carries the measures taken, and its FHIR Bundle each one's answers and score.
        var export = await (await admin.PostAsync($"/api/v1/clients/{c.A}/export", null)).ReadJsonAsync(200);
        Assert.Equal(3, export.GetProperty("measures").GetArrayLength());
        var bundle = JsonNode.Parse(await (await admin.PostAsync($"/api/v1/clients/{c.A}/export?format=fhir", null))
            .Content.ReadAsStringAsync())!;
        var exported = bundle["entry"]!.AsArray().Select(e => (e!["resource"]!["resourceType"]!.GetValue<string>(),
            e["resource"]!["id"]!.GetValue<string>())).ToList();
        Assert.Contains(("Observation", first.GetProperty("id").GetGuid().ToString()), exported);
        Assert.Contains(("QuestionnaireResponse", first.GetProperty("id").GetGuid().ToString()), exported);
        var outsider = await api.NewPracticeAsync();
        Assert.Equal(404,
            (int)(await outsider.Admin.GetAsync($"/fhir/QuestionnaireResponse/{first.GetProperty("id").GetGuid()}"))
            .StatusCode);
    }

    [Fact]
    public async Task A_fhir_questionnaire_with_answer_values_imports_as_a_measure_and_bad_input_is_refused_naming_the_field()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var imported = await (await admin.PostAsJsonAsync("/api/v1/measures/import", new
        {
            key = "stress_check", questionnaire = Questionnaire(), totalLoincCode = (string?)null, bands = new[] { new { min = 0, max = 2, label = "any" } },
            criticalItems = Array.Empty<object>(),
        })).ReadJsonAsync(201);
        Assert.Equal(("Two-item stress check", "00000-0", 2), (imported.GetProperty("name").GetString(),
            imported.GetProperty("loincCode").GetString(), imported.GetProperty("maxTotal").GetInt32()));
        Assert.Equal(["q1", "q2"], imported.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("linkId")
            .GetString()));
        var scored = await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/measures", new
        {
            measureId = imported.GetProperty("id")
                .GetGuid(), answers = new Dictionary<string, string> { ["q1"] = "LA6569-3", ["q2"] = "LA6569-3" },
        })).ReadJsonAsync(201);
        Assert.Equal(2, scored.GetProperty("total").GetInt32());

        var measure = (await (await admin.PostAsJsonAsync("/api/v1/measures", Definition())).ReadJsonAsync(201))
            .GetProperty("id").GetGuid();
        var noValue = Questionnaire();
        noValue["item"]![0]!["item"]![1]!["answerOption"]![0]!.AsObject().Remove("extension");
        foreach (var (url, body, field) in new (string, object, string)[]
                 {
                     ("/api/v1/measures/import", new { key = "x_1", questionnaire = noValue,
                         bands = Array.Empty<object>(), criticalItems = Array.Empty<object>() }, "questionnaire"),
                     ("/api/v1/measures/import", new { key = "x_1", questionnaire = new { resourceType = "Patient" },
                         bands = Array.Empty<object>(), criticalItems = Array.Empty<object>() }, "questionnaire"),
                     ("/api/v1/measures", new { key = "Bad Key", name = "x", items = Array.Empty<object>(),
                         bands = Array.Empty<object>(), criticalItems = Array.Empty<object>() }, "key"),
                     ("/api/v1/measures", new { key = "no_bands", name = "x", items = ((dynamic)Definition())
                         .items }, "bands"),
                     ($"/api/v1/clients/{c.A}/measures", new { measureId = measure, answers = new Dictionary<string,
                         string> { ["close"] = "a1" } }, "answers"),
                     ($"/api/v1/clients/{c.A}/measures", new { measureId = measure, answers = Answers(0, 0, 0,
                         9) }, "answers"),
                     ($"/api/v1/clients/{c.A}/measures", new { measureId = Guid.NewGuid(), answers = Answers(0, 0, 0,
                         0) }, "measureId"),
                     ($"/api/v1/clients/{c.A}/measures", new { measureId = measure, answers = Answers(0, 0, 0, 0),
                         takenAt = DateTime.UtcNow.AddDays(3) }, "takenAt"),
                 })
        {
            var problem = await (await admin.PostAsJsonAsync(url, body)).AssertProblemAsync(400, "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _),
                $"{url} {JsonSerializer.Serialize(body)}: {problem}");
        }

        Assert.Empty((await (await admin.GetAsync($"/api/v1/clients/{c.B}/measures")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        var therapist = await c.Practice.AddTherapistAsync();
        await (await therapist.Client.PostAsJsonAsync("/api/v1/measures", Definition("mine"))).AssertProblemAsync(403);
        await (await therapist.Client.GetAsync($"/api/v1/clients/{c.A}/measures")).AssertProblemAsync(404, "not-found");
        await (await therapist.Client.PostAsJsonAsync($"/api/v1/clients/{c.A}/measures", new { measureId = measure,
            answers = Answers(0, 0, 0, 0) }))
            .AssertProblemAsync(404, "not-found");
        var stranger = await api.NewPracticeAsync();
        await (await stranger.Admin.GetAsync($"/api/v1/measures/{measure}")).AssertProblemAsync(404, "not-found");
        await (await stranger.Admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/measures", new { measureId = measure,
            answers = Answers(0, 0, 0, 0) }))
            .AssertProblemAsync(404, "not-found");
        await (await api.ClientWith(null).GetAsync("/api/v1/measures")).AssertProblemAsync(401);
        await (await c.PortalA.GetAsync("/api/v1/measures")).AssertProblemAsync(403);
    }
}
