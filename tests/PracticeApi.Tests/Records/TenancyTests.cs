using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Records;

/// <summary>Nothing crosses practices: every id of another practice is a 404, wherever it is placed.</summary>
public abstract class TenancySuite(ApiFactory api)
{
    [SkippableFact]
    public async Task Every_route_answers_404_for_another_practices_ids_and_changes_nothing()
    {
        var mine = await api.NewPracticeAsync();
        var theirs = await api.NewPracticeAsync();
        var theirTherapist = await theirs.AddTherapistAsync();
        var (coupleId, a, b) = await theirs.Admin.CreateCoupleWithClientsAsync();
        var clientId = await theirs.Admin.CreateClientIdAsync();
        var sessionId = await theirs.Admin.CreateSessionAsync(new { coupleId }, DateTime.UtcNow.Date.AddDays(3).AddHours(9));
        var theirToken = (await (await theirs.Admin.GetAsync("/api/v1/tokens")).ReadJsonAsync(200)).Ids()[0];
        var snapshot = await SnapshotAsync(theirs, clientId, coupleId, sessionId);

        var myClient = await mine.Admin.CreateClientIdAsync();
        var (myCouple, myA, _) = await mine.Admin.CreateCoupleWithClientsAsync();
        var start = DateTime.UtcNow.Date.AddDays(5).AddHours(10);
        var sessionBody = new { kind = "couple", modality = "video", startsAt = start, durationMinutes = 50 };
        var clientBody = new { firstName = "X", lastName = "Y" };
        var coupleBody = new { breachType = "other", partnerARole = "breaching", partnerBRole = "hurt", startedOn = "2026-01-01", status = "paused" };

        var calls = new List<(string Method, string Template, Func<Task<HttpResponseMessage>> Call)>
        {
            ("GET", "/api/v1/therapists/{id}", () => mine.Admin.GetAsync($"/api/v1/therapists/{theirTherapist.Id}")),
            ("PUT", "/api/v1/therapists/{id}", () => mine.Admin.PutAsJsonAsync($"/api/v1/therapists/{theirTherapist.Id}", new { name = "X", email = "x@example.test", role = "therapist" })),
            ("POST", "/api/v1/therapists/{id}/deactivate", () => mine.Admin.PostAsync($"/api/v1/therapists/{theirTherapist.Id}/deactivate", null)),
            ("GET", "/api/v1/tokens/{id}", () => mine.Admin.GetAsync($"/api/v1/tokens/{theirToken}")),
            ("DELETE", "/api/v1/tokens/{id}", () => mine.Admin.DeleteAsync($"/api/v1/tokens/{theirToken}")),
            ("GET", "/api/v1/clients/{id}", () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}")),
            ("PUT", "/api/v1/clients/{id}", () => mine.Admin.PutAsJsonAsync($"/api/v1/clients/{clientId}", clientBody)),
            ("PUT", "/api/v1/clients/{id}/care-team", () => mine.Admin.PutAsJsonAsync($"/api/v1/clients/{clientId}/care-team", new { therapistIds = new[] { mine.AdminId } })),
            ("POST", "/api/v1/clients/{id}/discharge", () => mine.Admin.PostAsync($"/api/v1/clients/{clientId}/discharge", null)),
            ("POST", "/api/v1/clients/{id}/reactivate", () => mine.Admin.PostAsync($"/api/v1/clients/{clientId}/reactivate", null)),
            ("GET", "/api/v1/couples/{id}", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}")),
            ("PUT", "/api/v1/couples/{id}", () => mine.Admin.PutAsJsonAsync($"/api/v1/couples/{coupleId}", coupleBody)),
            ("POST", "/api/v1/couples/{id}/close", () => mine.Admin.PostAsync($"/api/v1/couples/{coupleId}/close", null)),
            ("POST", "/api/v1/couples/{id}/step", () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/step", new { step = 4 })),
            ("GET", "/api/v1/couples/{id}/steps", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/steps")),
            ("POST", "/api/v1/couples/{id}/breaches", () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/breaches", new { occurredOn = "2026-01-02", type = "other" })),
            ("GET", "/api/v1/couples/{id}/breaches", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/breaches")),
            ("POST", "/api/v1/couples/{id}/safety-screenings", () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/safety-screenings", new { clientId = a, abuseOrDanger = true, untreatedAddiction = false })),
            ("GET", "/api/v1/couples/{id}/safety-screenings", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/safety-screenings")),
            ("GET", "/api/v1/sessions/{id}", () => mine.Admin.GetAsync($"/api/v1/sessions/{sessionId}")),
            ("PUT", "/api/v1/sessions/{id}", () => mine.Admin.PutAsJsonAsync($"/api/v1/sessions/{sessionId}", sessionBody)),
            ("POST", "/api/v1/sessions/{id}/complete", () => mine.Admin.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/complete", new { attendance = new[] { new { clientId = a, attended = true } } })),
            ("POST", "/api/v1/sessions/{id}/cancel", () => mine.Admin.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/cancel", new { reason = "x", byClient = false })),
            ("POST", "/api/v1/sessions/{id}/no-show", () => mine.Admin.PostAsync($"/api/v1/sessions/{sessionId}/no-show", null)),
        };

        // Their ids placed in my request bodies.
        var bodies = new List<Func<Task<HttpResponseMessage>>>
        {
            () => mine.Admin.PostAsJsonAsync("/api/v1/clients", new { firstName = "A", lastName = "B", careTeam = new[] { theirTherapist.Id } }),
            () => mine.Admin.PutAsJsonAsync($"/api/v1/clients/{myClient}/care-team", new { therapistIds = new[] { theirTherapist.Id } }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/couples", new { partnerAId = a, partnerBId = b, breachType = "other", partnerARole = "breaching", partnerBRole = "hurt" }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/couples", new { partnerAId = myA, partnerBId = b, breachType = "other", partnerARole = "breaching", partnerBRole = "hurt" }),
            () => mine.Admin.PostSessionAsync(new { clientId }, start),
            () => mine.Admin.PostSessionAsync(new { coupleId }, start),
            () => mine.Admin.PostSessionAsync(new { clientId = myClient }, start, therapistId: theirTherapist.Id),
            () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{myCouple}/safety-screenings", new { clientId = a, abuseOrDanger = true, untreatedAddiction = false }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "user", name = "x", therapistId = theirTherapist.Id }),
        };

        foreach (var (method, template, call) in calls)
        {
            var response = await call();
            Assert.True((int)response.StatusCode == 404, $"{method} {template} answered {(int)response.StatusCode}");
            await response.AssertProblemAsync(404, "not-found");
        }

        foreach (var call in bodies) await (await call()).AssertProblemAsync(404, "not-found");

        // Lists never show their rows either.
        Assert.Empty((await (await mine.Admin.GetAsync($"/api/v1/sessions?clientId={a}")).ReadJsonAsync(200)).Ids());
        Assert.Empty((await (await mine.Admin.GetAsync($"/api/v1/couples?clientId={a}")).ReadJsonAsync(200)).Ids());
        Assert.Empty((await (await mine.Admin.GetAsync($"/api/v1/clients?therapistId={theirTherapist.Id}")).ReadJsonAsync(200)).Ids());

        Assert.Equal(snapshot, await SnapshotAsync(theirs, clientId, coupleId, sessionId));
        await (await theirTherapist.Client.GetAsync("/api/v1/me")).ReadJsonAsync(200);

        // Every route with an id in the API description is covered here.
        var document = JsonNode.Parse(await api.ClientWith(null).GetStringAsync("/openapi/v1.json"))!;
        var routes = document["paths"]!.AsObject()
            .Where(p => p.Key.Contains("{id}", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(m => (m.Key.ToUpperInvariant(), p.Key)))
            .ToHashSet();
        var covered = calls.Select(c => (c.Method, c.Template)).ToHashSet();
        Assert.Empty(routes.Except(covered));
    }

    private static async Task<string> SnapshotAsync(PracticeContext practice, Guid clientId, Guid coupleId, Guid sessionId)
    {
        var parts = new[]
        {
            await practice.Admin.GetStringAsync($"/api/v1/clients/{clientId}"),
            await practice.Admin.GetStringAsync($"/api/v1/couples/{coupleId}"),
            await practice.Admin.GetStringAsync($"/api/v1/sessions/{sessionId}"),
            await practice.Admin.GetStringAsync($"/api/v1/couples/{coupleId}/steps"),
            await practice.Admin.GetStringAsync($"/api/v1/couples/{coupleId}/breaches"),
            await practice.Admin.GetStringAsync("/api/v1/therapists"),
            await practice.Admin.GetStringAsync("/api/v1/tokens"),
        };
        return string.Join("\n", parts.Select(p => System.Text.RegularExpressions.Regex.Replace(p, "\"(monthsInRepair|lastUsedAt)\":[^,}]*", "")));
    }
}

public sealed class TenancyOnSqlite(SqliteApi api) : TenancySuite(api), IClassFixture<SqliteApi>;

public sealed class TenancyOnSqlServer(SqlServerApi api) : TenancySuite(api), IClassFixture<SqlServerApi>;
