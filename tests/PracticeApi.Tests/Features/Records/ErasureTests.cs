using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;
using CheckIns = PracticeApi.Tests.Infrastructure.ExerciseWork;

namespace PracticeApi.Tests.Features.Records;

/// <summary>Erasure under WGBO retention (the clinical record issue, part 3).</summary>
public sealed class ErasureTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task An_executed_erasure_anonymises_the_clients_own_data_and_keeps_the_partners_and_the_audit_trail()
    {
        var c = await CheckIns.NewCoupleCaseAsync(api);
        var admin = c.Practice.Admin;
        (await admin.PutAsJsonAsync($"/api/v1/clients/{c.A}", new
        {
            firstName = "Sanne", lastName = "de Vries", email = "sanne@example.org", preferredLanguage = "nl",
            identifiers = new[] { new { system = "https://ehr.example.org/patient", value = "P-1" } },
        })).EnsureSuccessStatusCode();
        var assignment = await admin.AssignAsync(new { templateId = CheckIns.DailyCheckIn, coupleId = c.CoupleId,
            visibility = "shared" });
        var date = (await (await c.PortalA.GetAsync($"/api/v1/me/assignments/{assignment}/occurrences"))
            .ReadJsonAsync(200)).GetProperty("items")[0].GetProperty("date").GetString()!;
        await (await c.PortalA.AnswerAsync(assignment, date, CheckIns.CheckIn("sunny"))).ReadJsonAsync(201);
        await (await c.PortalB.AnswerAsync(assignment, date, CheckIns.CheckIn("stormy"))).ReadJsonAsync(201);
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var individual = await admin.CreateSessionAsync(new { clientId = c.A }, new DateTime(now.Year, now.Month,
            now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(-3));
        (await admin.PostAsJsonAsync($"/api/v1/sessions/{individual}/complete", new
        {
            attendance = new[] { new { clientId = c.A, attended = true } },
            note = new { format = "free", sections = new Dictionary<string, string> { ["text"] = "Personal history." } },
        })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/sessions/{individual}/note/addenda", new { text = "More history." }))
            .EnsureSuccessStatusCode();

        var request = await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/erasure-requests",
            new { requestedBy = "The client, by letter of 1 May" })).ReadJsonAsync(201);
        var id = request.GetProperty("id").GetGuid();
        Assert.Equal("requested", request.GetProperty("status").GetString());
        await (await admin.PostAsJsonAsync($"/api/v1/erasure-requests/{id}/execute", new { confirmClientId = c.B }))
            .AssertProblemAsync(400, "validation");
        await (await admin.PostAsJsonAsync($"/api/v1/erasure-requests/{id}/execute", new { confirmClientId = c.A }))
            .AssertProblemAsync(409, "client-in-care");
        Assert.Equal("Sanne", (await (await admin.GetAsync($"/api/v1/clients/{c.A}")).ReadJsonAsync(200))
            .GetProperty("firstName").GetString());

        (await admin.PostAsync($"/api/v1/clients/{c.A}/discharge", null)).EnsureSuccessStatusCode();
        var executed = await (await admin.PostAsJsonAsync($"/api/v1/erasure-requests/{id}/execute",
            new { confirmClientId = c.A })).ReadJsonAsync(200);
        Assert.Equal("executed", executed.GetProperty("status").GetString());
        await (await admin.PostAsJsonAsync($"/api/v1/erasure-requests/{id}/execute", new { confirmClientId = c.A }))
            .AssertProblemAsync(409, "erasure-decided");

        var erased = await (await admin.GetAsync($"/api/v1/clients/{c.A}")).ReadJsonAsync(200);
        Assert.Equal("Erased", erased.GetProperty("firstName").GetString());
        Assert.Equal(JsonValueKind.Null, erased.GetProperty("email").ValueKind);
        Assert.Empty(erased.GetProperty("identifiers").EnumerateArray());
        var session = await (await admin.GetAsync($"/api/v1/sessions/{individual}")).ReadJsonAsync(200);
        Assert.Equal(JsonValueKind.Null, session.GetProperty("note").ValueKind);
        Assert.Empty(session.GetProperty("noteAddenda").EnumerateArray());
        var answers = (await (await admin.GetAsync($"/api/v1/assignments/{assignment}/responses")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("stormy", answers.Single(r => r.GetProperty("respondentId").GetGuid() == c.B)
            .GetProperty("answers").GetProperty("mood").GetString());
        Assert.False(answers.Single(r => r.GetProperty("respondentId").GetGuid() == c.A).GetProperty("answers")
            .TryGetProperty("mood", out _));
        Assert.Equal(200, (int)(await admin.GetAsync($"/api/v1/couples/{c.CoupleId}")).StatusCode);
        await (await c.PortalA.GetAsync("/api/v1/me")).AssertProblemAsync(401, "unauthorized");
        await (await admin.PostAsync($"/api/v1/clients/{c.A}/reactivate", null)).AssertProblemAsync(409,
            "client-erased");
        await (await admin.PutAsJsonAsync($"/api/v1/clients/{c.A}", new { firstName = "Sanne", lastName = "de Vries",
            preferredLanguage = "nl" }))
            .AssertProblemAsync(409, "client-erased");
        var careTeam = (await (await admin.GetAsync($"/api/v1/clients/{c.A}")).ReadJsonAsync(200)).GetProperty("careTeam")
            .GetRawText();
        await (await admin.PutAsJsonAsync($"/api/v1/clients/{c.A}/care-team", new { therapistIds = new[] { c.Practice.AdminId } }))
            .AssertProblemAsync(409, "client-erased");
        Assert.Equal(careTeam, (await (await admin.GetAsync($"/api/v1/clients/{c.A}")).ReadJsonAsync(200))
            .GetProperty("careTeam").GetRawText());
        // Nor through the features that hang off the client: a support person, a recovery log entry.
        await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/support-network",
            new { name = "Ruben", relationship = "sponsor", effect = "supports", mayContact = false }))
                .AssertProblemAsync(409, "client-erased");
        await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/recovery-log", new { kind = "sober_day" }))
            .AssertProblemAsync(409, "client-erased");
        Assert.Empty((await (await admin.GetAsync($"/api/v1/clients/{c.A}/support-network")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        Assert.Empty((await (await admin.GetAsync($"/api/v1/clients/{c.A}/recovery-log")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        Assert.Equal("Erased", (await (await admin.GetAsync($"/api/v1/clients/{c.A}")).ReadJsonAsync(200))
            .GetProperty("firstName").GetString());

        var trail = await c.Practice.AuditEventsAsync($"clientId={c.A}");
        Assert.Contains(trail, e => e.GetProperty("action").GetString() == "delete" && e.GetProperty("detail")
            .GetString() == $"erased (request {id})");
        Assert.Contains(trail, e => e.GetProperty("resourceType").GetString() == "erasure_request"
            && e.GetProperty("action").GetString() == "create");
        var feed = await (await admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200);
        Assert.Contains(feed.GetProperty("items").EnumerateArray(), e => e.GetProperty("type")
            .GetString() == "client.erased");
    }

    [Fact]
    public async Task After_an_executed_erasure_no_file_beside_the_database_holds_the_clients_text()
    {
        var c = await CheckIns.NewCoupleCaseAsync(api);
        var admin = c.Practice.Admin;
        var marker = $"Zq{Guid.NewGuid():N}"[..20];
        (await admin.PutAsJsonAsync($"/api/v1/clients/{c.A}", new
        {
            firstName = marker, lastName = marker, email = $"{marker.ToLowerInvariant()}@example.org", preferredLanguage = "nl",
        })).EnsureSuccessStatusCode();
        var assignment = await admin.AssignAsync(new { templateId = CheckIns.DailyCheckIn, coupleId = c.CoupleId,
            visibility = "shared" });
        var date = (await (await c.PortalA.GetAsync($"/api/v1/me/assignments/{assignment}/occurrences"))
            .ReadJsonAsync(200)).GetProperty("items")[0].GetProperty("date").GetString()!;
        await (await c.PortalA.AnswerAsync(assignment, date, new { mood = "sunny", need_from_you = marker,
            grateful_for = marker })).ReadJsonAsync(201);
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var session = await admin.CreateSessionAsync(new { clientId = c.A }, new DateTime(now.Year, now.Month, now.Day,
            now.Hour, 0, 0, DateTimeKind.Utc).AddHours(-3));
        (await admin.PostAsJsonAsync($"/api/v1/sessions/{session}/complete", new
        {
            attendance = new[] { new { clientId = c.A, attended = true } },
            note = new { format = "free", sections = new Dictionary<string, string> { ["text"] = marker } },
        })).EnsureSuccessStatusCode();
        var sponsor = (await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/support-network",
            new { name = marker, relationship = "sponsor", effect = "supports", mayContact = false }))
                .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        // Consent to involve that person (it keeps their name) and billing details under the marker too.
        (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/consents", new { kind = "person_sharing",
            textVersion = "v1", recipientId = sponsor, via = "paper" }))
            .EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/v1/clients/{c.A}/billing", new { name = marker,
            address = $"{marker} 1\n1015 AA Amsterdam" })).EnsureSuccessStatusCode();
        // Reads, so the audit inbox has rows about the client too.
        await (await admin.GetAsync($"/api/v1/clients/{c.A}")).ReadJsonAsync(200);
        Assert.NotEmpty(FilesHolding(marker));

        (await admin.PostAsync($"/api/v1/clients/{c.A}/discharge", null)).EnsureSuccessStatusCode();
        var id = (await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/erasure-requests",
            new { requestedBy = "The client" })).ReadJsonAsync(201))
            .GetProperty("id").GetGuid();
        // Keyed: the erasure commits with its stored answer, and the write-ahead logs are emptied after that commit.
        using var execute = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/erasure-requests/{id}/execute")
        {
            Content = JsonContent.Create(new { confirmClientId = c.A }), Headers = { { "Idempotency-Key", Guid.NewGuid()
                .ToString() } },
        };
        await (await admin.SendAsync(execute)).ReadJsonAsync(200);

        Assert.Empty(FilesHolding(marker));
    }

    /// <summary>Every file beside the test database (the database, its WAL and shared memory, the audit inbox and its
    /// own) holding the text.</summary>
    private List<string> FilesHolding(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var folder = Path.GetDirectoryName(api.File)!;
        return Directory.GetFiles(folder, Path.GetFileName(api.File) + "*")
            .Where(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read,
                    FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                return copy.ToArray().AsSpan().IndexOf(bytes) >= 0;
            })
            .Select(Path.GetFileName).ToList()!;
    }

    [Fact]
    public async Task A_request_can_be_refused_with_a_reason_and_only_admins_decide()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var client = await therapist.Client.CreateClientIdAsync();
        await (await therapist.Client.PostAsJsonAsync($"/api/v1/clients/{client}/erasure-requests",
            new { requestedBy = " " })).AssertProblemAsync(400, "validation");
        var request = await (await therapist.Client.PostAsJsonAsync($"/api/v1/clients/{client}/erasure-requests",
            new { requestedBy = "Client, in session" })).ReadJsonAsync(201);
        var id = request.GetProperty("id").GetGuid();
        Assert.Equal(therapist.Id, request.GetProperty("recordedBy").GetGuid());

        await (await therapist.Client.PostAsJsonAsync($"/api/v1/erasure-requests/{id}/refuse",
            new { reason = "legal_hold", explanation = "x" })).AssertProblemAsync(403, "forbidden");
        var other = await api.NewPracticeAsync();
        await (await other.Admin.PostAsJsonAsync($"/api/v1/erasure-requests/{id}/refuse", new { reason = "legal_hold",
            explanation = "x" })).AssertProblemAsync(404, "not-found");
        await (await other.Admin.PostAsJsonAsync($"/api/v1/clients/{client}/erasure-requests",
            new { requestedBy = "x" })).AssertProblemAsync(404, "not-found");
        var colleague = await practice.AddTherapistAsync();
        await (await colleague.Client.PostAsJsonAsync($"/api/v1/clients/{client}/erasure-requests",
            new { requestedBy = "x" })).AssertProblemAsync(404, "not-found");
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/erasure-requests/{id}/refuse", new { reason = "because",
            explanation = "x" })).AssertProblemAsync(400, "validation");

        var refused = await (await practice.Admin.PostAsJsonAsync($"/api/v1/erasure-requests/{id}/refuse",
            new { reason = "significant_interest_of_another", explanation = "The partner's record depends on these notes." })).ReadJsonAsync(200);
        Assert.Equal("refused", refused.GetProperty("status").GetString());
        Assert.Equal("significant_interest_of_another", refused.GetProperty("refusalReason").GetString());
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/erasure-requests/{id}/execute",
            new { confirmClientId = client })).AssertProblemAsync(409, "erasure-decided");
        var listed = await (await practice.Admin.GetAsync("/api/v1/erasure-requests?status=refused"))
            .ReadJsonAsync(200);
        Assert.Equal(id, Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        await (await practice.Admin.GetAsync("/api/v1/erasure-requests?status=maybe")).AssertProblemAsync(400,
            "validation");
        Assert.Equal(200, (int)(await practice.Admin.GetAsync($"/api/v1/erasure-requests/{id}")).StatusCode);
        await (await therapist.Client.GetAsync("/api/v1/erasure-requests")).AssertProblemAsync(403, "forbidden");
    }

    [Fact]
    public async Task A_discharged_record_is_due_for_destruction_twenty_years_after_its_last_change()
    {
        var practice = await api.NewPracticeAsync();
        var kept = await practice.Admin.CreateClientIdAsync();
        var discharged = await practice.Admin.CreateClientIdAsync();
        (await practice.Admin.PostAsync($"/api/v1/clients/{discharged}/discharge", null)).EnsureSuccessStatusCode();
        Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/retention/due")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());

        api.Clock.Advance(TimeSpan.FromDays(365.25 * 20 + 2));
        var due = Assert.Single((await (await practice.Admin.GetAsync("/api/v1/retention/due")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(discharged, due.GetProperty("clientId").GetGuid());
        Assert.NotEqual(kept, due.GetProperty("clientId").GetGuid());
        await (await (await practice.AddTherapistAsync()).Client.GetAsync("/api/v1/retention/due"))
            .AssertProblemAsync(403, "forbidden");
        await (await practice.Admin.GetAsync("/api/v1/retention/due?cursor=x")).AssertProblemAsync(400, "validation");
        api.Clock.Advance(-TimeSpan.FromDays(365.25 * 20 + 2));
    }
}
