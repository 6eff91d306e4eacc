using Hl7.Fhir.Serialization;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;
using CheckIns = PracticeApi.Tests.Infrastructure.ExerciseWork;

namespace PracticeApi.Tests.Features.Records;

/// <summary>The client's export (the clinical record issue, part 3: right of access and portability).</summary>
public sealed class ClientExportTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static List<JsonElement> Items(JsonElement export, string name) => export.GetProperty(name)
        .EnumerateArray().ToList();

    [Fact]
    public async Task The_export_holds_the_clients_own_record_and_only_what_the_partner_shared()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var shared = await admin.AssignAsync(new { templateId = CheckIns.DailyCheckIn, coupleId = c.CoupleId,
            visibility = "shared" });
        var hidden = await admin.AssignAsync(new { templateId = CheckIns.DailyCheckIn, coupleId = c.CoupleId,
            visibility = "private" });
        foreach (var assignment in new[] { shared, hidden })
        {
            var date = (await (await c.PortalA.GetAsync($"/api/v1/me/assignments/{assignment}/occurrences"))
                .ReadJsonAsync(200))
                .GetProperty("items")[0].GetProperty("date").GetString()!;
            await (await c.PortalA.AnswerAsync(assignment, date, CheckIns.CheckIn("sunny"))).ReadJsonAsync(201);
            await (await c.PortalB.AnswerAsync(assignment, date, CheckIns.CheckIn("stormy"))).ReadJsonAsync(201);
        }

        (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings",
            new { clientId = c.A, abuseOrDanger = false, untreatedAddiction = false, notes = "Safe at home." }))
                .EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings",
            new { clientId = c.B, abuseOrDanger = false, untreatedAddiction = false, notes = "Partner B's own account." })).EnsureSuccessStatusCode();
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var session = await admin.CreateSessionAsync(new { coupleId = c.CoupleId }, new DateTime(now.Year, now.Month,
            now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(-3));
        (await admin.PostAsJsonAsync($"/api/v1/sessions/{session}/complete", new
        {
            attendance = new[] { new { clientId = c.A, attended = true }, new { clientId = c.B, attended = true } },
            note = new { format = "free", sections = new Dictionary<string, string> { ["text"] = "Talked about the first weeks." } },
        })).EnsureSuccessStatusCode();

        var export = await (await admin.PostAsync($"/api/v1/clients/{c.A}/export", null)).ReadJsonAsync(200);
        Assert.Equal(c.A, export.GetProperty("client").GetProperty("id").GetGuid());
        Assert.Equal("Talked about the first weeks.", Assert.Single(Items(export, "sessions")).GetProperty("note")
            .GetProperty("sections").GetProperty("text").GetString());
        var couple = Assert.Single(Items(export, "couples"));
        Assert.Equal(c.B, couple.GetProperty("partnerId").GetGuid());
        Assert.Equal("breaching", couple.GetProperty("ownRole").GetString());
        var responses = Items(export, "exerciseResponses");
        Assert.Equal(2, responses.Count(r => r.GetProperty("own").GetBoolean()));
        var partners = Assert.Single(responses, r => !r.GetProperty("own").GetBoolean());
        Assert.Equal(shared, partners.GetProperty("assignmentId").GetGuid());
        Assert.Equal("stormy", partners.GetProperty("answers").GetProperty("mood").GetString());
        Assert.Equal("Safe at home.", Assert.Single(Items(export, "screenings")).GetProperty("notes").GetString());
        Assert.Contains(Items(export, "accessLog"), e => e.GetProperty("dataKind").GetString() == "couple");

        var exports = await c.Practice.AuditEventsAsync($"clientId={c.A}");
        Assert.Single(exports, e => e.GetProperty("action").GetString() == "export" && e.GetProperty("resourceId")
            .GetGuid() == c.A);

        var fhir = await admin.PostAsync($"/api/v1/clients/{c.A}/export?format=fhir", null);
        Assert.Equal("application/fhir+json", fhir.Content.Headers.ContentType!.MediaType);
        var bundle = JsonDocument.Parse(await fhir.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("collection", bundle.GetProperty("type").GetString());
        var resources = bundle.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).ToList();
        Assert.Contains(resources, r => r.GetProperty("resourceType").GetString() == "Patient" && r.GetProperty("id")
            .GetString() == c.A.ToString());
        Assert.Contains(resources, r => r.GetProperty("resourceType").GetString() == "Appointment");
        Assert.Equal(2, resources.Count(r => r.GetProperty("resourceType").GetString() == "QuestionnaireResponse"));
        // Strict FHIR clients accept it (Firely's parser in its default, strict mode).
        var strict = new JsonSerializerOptions().ForFhir(Hl7.Fhir.Model.ModelInfo.ModelInspector);
        Assert.IsType<Hl7.Fhir.Model.Bundle>(JsonSerializer.Deserialize<Hl7.Fhir.Model.Resource>(
            bundle.GetRawText(), strict));
    }

    [Fact]
    public async Task Only_staff_who_see_the_client_export_it()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var client = await therapist.Client.CreateClientIdAsync();
        var colleague = await practice.AddTherapistAsync();
        await (await colleague.Client.PostAsync($"/api/v1/clients/{client}/export", null)).AssertProblemAsync(404,
            "not-found");
        var other = await api.NewPracticeAsync();
        await (await other.Admin.PostAsync($"/api/v1/clients/{client}/export", null)).AssertProblemAsync(404,
            "not-found");
        await (await (await practice.IntegrationAsync("clients:read")).PostAsync($"/api/v1/clients/{client}/export",
            null)).AssertProblemAsync(403, "forbidden");
        await (await api.ClientWith(null).PostAsync($"/api/v1/clients/{client}/export", null)).AssertProblemAsync(401,
            "unauthorized");
        await (await therapist.Client.PostAsync($"/api/v1/clients/{client}/export?format=xml", null))
            .AssertProblemAsync(400, "validation");
        Assert.DoesNotContain(await practice.AuditEventsAsync($"clientId={client}"), e => e.GetProperty("action")
            .GetString() == "export");

        var export = await (await practice.Admin.PostAsync($"/api/v1/clients/{client}/export", null))
            .ReadJsonAsync(200);
        Assert.Empty(Items(export, "screenings")); // the admin is not on this client's care team
    }
}
