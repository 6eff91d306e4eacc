using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;
using CheckIns = PracticeApi.Tests.Infrastructure.ExerciseWork;

namespace PracticeApi.Tests.Hardening;

/// <summary>NEN 7513: reads that hand out client ids, and refused attempts, leave an audit trail too.</summary>
public sealed class AuditGapTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    [Fact]
    public async Task Reading_the_audit_trail_is_itself_audited_naming_the_client_it_was_filtered_by()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        await practice.AuditEventsAsync($"clientId={client}");
        var trail = await practice.AuditEventsAsync($"clientId={client}");
        var read = Assert.Single(trail, e => e.GetProperty("resourceType").GetString() == "audit_events");
        Assert.Equal("read", read.GetProperty("action").GetString());
        Assert.Equal(practice.AdminId, read.GetProperty("actorId").GetGuid());
        // Unfiltered reads of the practice's trail are in it too.
        await practice.AuditEventsAsync("");
        Assert.Contains(await practice.AuditEventsAsync(""), e => e.GetProperty("resourceType")
            .GetString() == "audit_events" &&
            e.GetProperty("clientIds").GetArrayLength() == 0);
    }

    [Fact]
    public async Task An_export_carrying_the_partners_answers_is_in_the_partners_access_log_and_one_without_is_not()
    {
        var c = await CheckIns.NewCoupleCaseAsync(api);
        var admin = c.Practice.Admin;
        var assignment = await admin.AssignAsync(new { templateId = CheckIns.DailyCheckIn, coupleId = c.CoupleId,
            visibility = "private" });
        var date = (await (await c.PortalA.GetAsync($"/api/v1/me/assignments/{assignment}/occurrences"))
            .ReadJsonAsync(200)).GetProperty("items")[0].GetProperty("date").GetString()!;
        await (await c.PortalB.AnswerAsync(assignment, date, CheckIns.CheckIn("stormy"))).ReadJsonAsync(201);
        // Private answers stay out of A's export, and so out of B's log.
        await (await admin.PostAsync($"/api/v1/clients/{c.A}/export", null)).ReadJsonAsync(200);
        Assert.DoesNotContain(await ExportsInLogAsync(c.PortalB), _ => true);

        var shared = await admin.AssignAsync(new { templateId = CheckIns.DailyCheckIn, coupleId = c.CoupleId,
            visibility = "shared" });
        await (await c.PortalB.AnswerAsync(shared, date, CheckIns.CheckIn("sunny"))).ReadJsonAsync(201);
        var export = await (await admin.PostAsync($"/api/v1/clients/{c.A}/export", null)).ReadJsonAsync(200);
        Assert.Contains(export.GetProperty("exerciseResponses").EnumerateArray(), r => r.GetProperty("respondentId")
            .GetGuid() == c.B);
        Assert.Single(await ExportsInLogAsync(c.PortalB));

        static async Task<List<System.Text.Json.JsonElement>> ExportsInLogAsync(HttpClient portal) =>
            (await (await portal.GetAsync("/api/v1/me/access-log")).ReadJsonAsync(200)).GetProperty("items")
                .EnumerateArray()
                .Where(e => e.GetProperty("action").GetString() == "export").ToList();
    }

    [Fact]
    public async Task The_change_feed_and_delivery_lists_are_audited_naming_the_clients()
    {
        var practice = await api.NewPracticeAsync();
        var ehr = await practice.IntegrationAsync("clients:write", "events:read", "webhooks:manage");
        var hook = await (await ehr.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook",
            events = new[] { "client.created" } })).ReadJsonAsync(201);
        var client = await practice.Admin.CreateClientIdAsync();

        await (await ehr.GetAsync("/api/v1/events")).ReadJsonAsync(200);
        await (await ehr.GetAsync($"/api/v1/webhooks/{hook.GetProperty("id").GetGuid()}/deliveries"))
            .ReadJsonAsync(200);

        var reads = (await practice.AuditEventsAsync($"clientId={client}")).Where(e => e.GetProperty("action")
            .GetString() == "read")
            .Select(e => e.GetProperty("resourceType").GetString()).ToList();
        Assert.Contains("change_feed", reads);
        Assert.Contains("webhook_delivery", reads);
    }

    [Fact]
    public async Task Refused_attempts_on_client_resources_are_audited_as_denied()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var notMine = await practice.Admin.CreateClientIdAsync();
        var other = await api.NewPracticeAsync();
        var foreign = await other.Admin.CreateClientIdAsync();
        var reader = await practice.IntegrationAsync("events:read");

        await (await therapist.Client.GetAsync($"/api/v1/clients/{notMine}")).AssertProblemAsync(404);
        await (await therapist.Client.GetAsync($"/api/v1/clients/{foreign}")).AssertProblemAsync(404);
        await (await reader.GetAsync($"/api/v1/clients/{notMine}")).AssertProblemAsync(403);

        var events = await practice.AuditEventsAsync("");
        var denied = events.Where(e => e.GetProperty("outcome").GetString() == "denied").ToList();
        Assert.Contains(denied, e => e.GetProperty("actorId").GetGuid() == therapist.Id && e.GetProperty("resourceId")
            .GetGuid() == notMine);
        Assert.Contains(denied, e => e.GetProperty("actorId").GetGuid() == therapist.Id && e.GetProperty("resourceId")
            .GetGuid() == foreign);
        Assert.Contains(denied, e => e.GetProperty("detail").GetString()!.StartsWith("403 GET",
            StringComparison.Ordinal));
        // The foreign id is recorded as the id asked for, never as a client of this practice.
        Assert.Empty(await practice.AuditEventsAsync($"clientId={foreign}"));
        Assert.DoesNotContain((await other.AuditEventsAsync("")), e => e.GetProperty("outcome")
            .GetString() == "denied");
    }
}
