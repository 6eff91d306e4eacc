using System.Net;
using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>
/// Tokens are remembered in-process for Auth:TokenCacheSeconds (5 s): whatever ends a token ends it at once on the
/// instance that did it, and on every other instance once the remembered state is older than the cache lifetime.
/// </summary>
public sealed class TokenCacheTests
{
    [Fact]
    public async Task A_revoked_token_stops_at_once_where_it_was_revoked_and_within_the_cache_lifetime_elsewhere()
    {
        using var database = new SharedDatabaseFile("token-cache");
        await using var first = new RestartableWebhookApi(database.Path, dispatcher: false);
        await using var second = new RestartableWebhookApi(database.Path, dispatcher: false);
        var practice = await first.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var onSecond = second.ClientWith(therapist.Token);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/api/v1/me"))
            .StatusCode); // remembered by the second instance

        var tokens = await (await practice.Admin.GetAsync($"/api/v1/tokens?therapistId={therapist.Id}"))
            .ReadJsonAsync(200);
        var tokenId = tokens.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("kind")
            .GetString() == "user").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await practice.Admin.DeleteAsync($"/api/v1/tokens/{tokenId}"))
            .StatusCode);

        await (await therapist.Client.GetAsync("/api/v1/me")).AssertProblemAsync(401, "unauthorized");
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/api/v1/me")).StatusCode);
        second.Clock.Advance(TimeSpan.FromSeconds(5));
        await (await onSecond.GetAsync("/api/v1/me")).AssertProblemAsync(401, "unauthorized");
    }

    [Fact]
    public async Task Deactivating_a_therapist_and_discharging_a_client_end_their_cached_tokens_at_once()
    {
        await using var api = new SqliteApi();
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var clientId = await practice.Admin.CreateClientIdAsync();
        var issued = await (await practice.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/portal-tokens", new { }))
            .ReadJsonAsync(201);
        var portal = api.ClientWith(issued.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await therapist.Client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync("/api/v1/me")).StatusCode);

        (await practice.Admin.PostAsync($"/api/v1/therapists/{therapist.Id}/deactivate", null))
            .EnsureSuccessStatusCode();
        (await practice.Admin.PostAsync($"/api/v1/clients/{clientId}/discharge", null)).EnsureSuccessStatusCode();

        await (await therapist.Client.GetAsync("/api/v1/me")).AssertProblemAsync(401, "unauthorized");
        await (await portal.GetAsync("/api/v1/me")).AssertProblemAsync(401, "unauthorized");
    }

    [Fact]
    public async Task A_role_change_applies_to_the_next_request()
    {
        await using var api = new SqliteApi();
        var practice = await api.NewPracticeAsync();
        var colleague = await practice.AddTherapistAsync(role: "admin");
        Assert.Equal(HttpStatusCode.OK, (await colleague.Client.GetAsync("/api/v1/tokens")).StatusCode);

        var current = await practice.Admin.GetAsync($"/api/v1/therapists/{colleague.Id}");
        var body = await current.ReadJsonAsync(200);
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/therapists/{colleague.Id}")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { name = body.GetProperty("name").GetString(),
                email = body.GetProperty("email").GetString(), role = "therapist" }),
        };
        update.Headers.IfMatch.Add(current.Headers.ETag!);
        (await practice.Admin.SendAsync(update)).EnsureSuccessStatusCode();

        await (await colleague.Client.GetAsync("/api/v1/tokens")).AssertProblemAsync(403, "forbidden");
    }
}
