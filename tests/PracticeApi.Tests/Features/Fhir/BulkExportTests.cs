using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Hl7.Fhir.Serialization;
using Microsoft.Data.Sqlite;
using PracticeApi.Tests.Infrastructure;
using PracticeApi.Tests.Features.Invoicing;

namespace PracticeApi.Tests.Features.Fhir;

/// <summary>
/// FHIR Bulk Data export (issue 30.1): kick-off, polling, NDJSON files Firely parses line by line with the counts the
/// searches give, tenancy and requester, groups as caseloads, _type and _since, cancelling, files encrypted at rest.
/// </summary>
public sealed class BulkExportTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static readonly JsonSerializerOptions Strict = new JsonSerializerOptions()
        .ForFhir(Hl7.Fhir.Model.ModelInfo.ModelInspector);

    private static HttpRequestMessage KickOff(string url, bool async = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get,
            url) { Headers = { { "Accept", "application/fhir+json" } } };
        if (async) request.Headers.Add("Prefer", "respond-async");
        return request;
    }

    /// <summary>Kicks off, polls until the manifest, and returns it with its status path.</summary>
    private static async Task<(JsonObject Manifest, string Status)> ExportAsync(HttpClient client, string url)
    {
        var kickOff = await client.SendAsync(KickOff(url));
        Assert.True(202 == (int)kickOff.StatusCode,
            $"{url}: {(int)kickOff.StatusCode} {await kickOff.Content.ReadAsStringAsync()}");
        var status = kickOff.Content.Headers.ContentLocation ?? kickOff.Headers.GetValues("Content-Location")
            .Select(v => new Uri(v)).Single();
        var path = status.PathAndQuery;
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var poll = await client.GetAsync(path);
            if ((int)poll.StatusCode == 200) return (JsonNode.Parse(
                await poll.Content.ReadAsStringAsync())!.AsObject(), path);
            Assert.Equal(202, (int)poll.StatusCode);
            Assert.True(poll.Headers.Contains("X-Progress"));
            Assert.True(DateTime.UtcNow < until, "the export did not finish");
            await Task.Delay(200);
        }
    }

    private static async Task<List<Hl7.Fhir.Model.Resource>> DownloadAsync(HttpClient client, JsonObject output)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(output["url"]!.GetValue<string>())
            .PathAndQuery)
        {
            Headers = { { "Accept", "application/fhir+ndjson" } },
        };
        var file = await client.SendAsync(request);
        Assert.Equal(200, (int)file.StatusCode);
        Assert.Equal("application/fhir+ndjson", file.Content.Headers.ContentType?.MediaType);
        var lines = (await file.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(line => JsonSerializer.Deserialize<Hl7.Fhir.Model.Resource>(line, Strict)!).ToList();
    }

    private static async Task<int> CountAsync(HttpClient client, string search)
    {
        var bundle = await (await client.GetAsync(
            $"/fhir/{search}{(search.Contains('?') ? '&' : '?')}_count=1&_total=accurate")).ReadJsonAsync(200);
        return bundle.GetProperty("total").GetInt32();
    }

    [Fact]
    public async Task A_system_export_has_every_type_parsed_line_by_line_with_the_counts_of_the_searches_and_is_audited()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        api.Clock.Set(Infrastructure.ExerciseWork.Utc("2026-03-05T18:00:00Z"));
        await admin.CreateSessionAsync(new { coupleId = c.CoupleId },
            Infrastructure.ExerciseWork.Utc("2026-03-06T09:00:00Z").UtcDateTime);
        var checkIn = await admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, startsOn = "2026-03-04", occurrences = 3 });
        await (await c.PortalA.AnswerAsync(checkIn, "2026-03-04", Infrastructure.ExerciseWork.CheckIn("stormy")))
            .ReadJsonAsync(201);
        await (await c.PortalB.AnswerAsync(checkIn, "2026-03-05", Infrastructure.ExerciseWork.CheckIn("sunny")))
            .ReadJsonAsync(201);
        await Billing.SetUpAsync(c.Practice);
        await Billing.PayerAsync(admin, c.A);
        await Billing.CompletedSessionAsync(admin, new { clientId = c.A },
            Infrastructure.ExerciseWork.Utc("2026-03-02T09:00:00Z").UtcDateTime, c.A);
        await Billing.IssueAsync(admin, (await Billing.DraftAsync(admin, c.A, new DateOnly(2026, 3, 1),
            new DateOnly(2026, 3, 5))).Id());
        await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.B}/consents", new { kind = "treatment",
            textVersion = "v1", via = "paper" })).ReadJsonAsync(201);
        var measure = (await (await admin.PostAsJsonAsync("/api/v1/measures", new
        {
            key = "calm", name = "Calm", items = new[] { new { linkId = "calm", text = "Calm", options = new[] { new { code = "no", text = "No", value = 0 },
                new { code = "yes", text = "Yes", value = 1 } } } }, bands = Array.Empty<object>(), criticalItems = Array.Empty<object>(),
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/measures", new { measureId = measure,
            answers = new Dictionary<string, string> { ["calm"] = "yes" } }))
            .ReadJsonAsync(201);

        // The kick-off needs Prefer: respond-async and known types.
        Assert.Equal(400, (int)(await admin.SendAsync(KickOff("/fhir/$export", async: false))).StatusCode);
        Assert.Equal(400, (int)(await admin.SendAsync(KickOff("/fhir/$export?_type=Encounter"))).StatusCode);
        Assert.Equal(400, (int)(await admin.SendAsync(KickOff("/fhir/$export?_since=yesterday"))).StatusCode);
        Assert.Equal(400, (int)(await admin.SendAsync(KickOff("/fhir/Patient/$export?_type=Questionnaire")))
            .StatusCode);

        var (manifest, status) = await ExportAsync(admin, "/fhir/$export");
        Assert.True(manifest["requiresAccessToken"]!.GetValue<bool>());
        Assert.Equal("http://localhost/fhir/$export", manifest["request"]!.GetValue<string>());
        Assert.NotNull(manifest["transactionTime"]);
        var outputs = manifest["output"]!.AsArray().Select(o => o!.AsObject()).ToList();
        Assert.Equal(new[] { "Appointment", "CarePlan", "Consent", "Invoice", "Observation", "Patient",
            "Questionnaire", "QuestionnaireResponse", "RelatedPerson", "Task" },
            outputs.Select(o => o["type"]!.GetValue<string>()).Order());
        foreach (var output in outputs)
        {
            var type = output["type"]!.GetValue<string>();
            var resources = await DownloadAsync(admin, output);
            Assert.All(resources, r => Assert.Equal(type, r.TypeName));
            Assert.Equal(output["count"]!.GetValue<int>(), resources.Count);
            var expected = type is "Task" or "CarePlan" or "RelatedPerson"
                ? await CountAsync(admin, $"{type}?patient={c.A}") + await CountAsync(admin, $"{type}?patient={c.B}")
                : await CountAsync(admin, type);
            Assert.True(expected == resources.Count,
                $"{type}: the export has {resources.Count}, the searches {expected}");
        }

        // Every exported client is in the audit trail, and their access log shows the export.
        var events = await c.Practice.AuditEventsAsync($"clientId={c.A}");
        Assert.Contains(events, e => e.GetProperty("resourceType").GetString() == "fhir_bulk_export"
            && e.GetProperty("action").GetString() == "export");
        Assert.Contains(events, e => e.GetProperty("resourceType").GetString() == "fhir_bulk_export_file");

        // The files rest encrypted: no client's name in the table.
        var name = (await (await admin.GetAsync($"/api/v1/clients/{c.A}")).ReadJsonAsync(200)).GetProperty("lastName")
            .GetString()!;
        await using (var connection = new SqliteConnection($"Data Source={api.File}"))
        {
            var contents = (await connection.QueryAsync<string>("SELECT Content FROM BulkExportFiles")).ToList();
            Assert.NotEmpty(contents);
            Assert.All(contents, content => Assert.DoesNotContain(name, content));
        }

        // Another practice sees neither the status nor the files; the requester cancels, and the files are gone.
        var other = await api.NewPracticeAsync();
        Assert.Equal(404, (int)(await other.Admin.GetAsync(status)).StatusCode);
        var fileUrl = new Uri(outputs[0]["url"]!.GetValue<string>()).PathAndQuery;
        Assert.Equal(404, (int)(await other.Admin.GetAsync(fileUrl)).StatusCode);
        Assert.Equal(202, (int)(await admin.DeleteAsync(status)).StatusCode);
        Assert.Equal(404, (int)(await admin.GetAsync(status)).StatusCode);
        Assert.Equal(404, (int)(await admin.GetAsync(fileUrl)).StatusCode);
        Assert.Equal(401, (int)(await api.ClientWith(null).GetAsync(fileUrl)).StatusCode);
    }

    [Fact]
    public async Task A_group_is_a_therapists_caseload_type_and_since_narrow_the_export_and_the_requester_owns_it()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var mine = await practice.Admin.CreateClientIdAsync(new[] { therapist.Id });
        await practice.Admin.CreateClientIdAsync();

        var (group, _) = await ExportAsync(practice.Admin, $"/fhir/Group/{therapist.Id}/$export?_type=Patient");
        var patients = await DownloadAsync(practice.Admin, group["output"]!.AsArray().Single()!.AsObject());
        Assert.Equal([mine.ToString()], patients.Select(p => p.Id));
        Assert.Equal(404, (int)(await practice.Admin.SendAsync(KickOff($"/fhir/Group/{Guid.NewGuid()}/$export")))
            .StatusCode);

        // _since after every change: nothing changed since, so no Patient file.
        var since = Uri.EscapeDataString(api.Clock.GetUtcNow().AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ"));
        var (later, _) = await ExportAsync(practice.Admin,
            $"/fhir/Patient/$export?_type=Patient,Appointment&_since={since}");
        Assert.Empty(later["output"]!.AsArray());

        // A therapist sees their own caseload only, and another therapist's export is not theirs to read.
        var (theirs, theirStatus) = await ExportAsync(therapist.Client, "/fhir/Patient/$export?_type=Patient");
        Assert.Equal([mine.ToString()], (await DownloadAsync(therapist.Client, theirs["output"]!.AsArray()
            .Single()!.AsObject())).Select(p => p.Id));
        Assert.Equal(404, (int)(await practice.Admin.GetAsync(theirStatus)).StatusCode);
    }
}
