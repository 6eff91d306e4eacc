using System.Net.Http.Headers;
using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Tokens;

/// <summary>Tokens and what they authenticate: /me, the 401s (none, malformed, unknown, revoked, expired, an inactive
/// therapist's), the 403s of roles and scopes, another practice's ids, and a token list that never shows a
/// secret.</summary>
public abstract class AuthSuite(ApiFactory api)
{
    [SkippableFact]
    public async Task Me_describes_the_token()
    {
        var practice = await api.NewPracticeAsync();
        var me = await (await practice.Admin.GetAsync("/api/v1/me")).ReadJsonAsync(200);
        Assert.Equal("user", me.GetProperty("kind").GetString());
        Assert.Equal("admin", me.GetProperty("role").GetString());
        Assert.Equal(practice.PracticeId, me.GetProperty("practiceId").GetGuid());
        Assert.Equal(practice.AdminId, me.GetProperty("therapistId").GetGuid());

        var integration = await practice.IntegrationAsync("clients:read", "sessions:write");
        var machine = await (await integration.GetAsync("/api/v1/me")).ReadJsonAsync(200);
        Assert.Equal("integration", machine.GetProperty("kind").GetString());
        Assert.Equal(["clients:read", "sessions:write"], machine.GetProperty("scopes").EnumerateArray()
            .Select(s => s.GetString()!).ToArray());
    }

    [SkippableFact]
    public async Task No_token_is_401_with_a_problem_and_a_challenge()
    {
        api.EnsureAvailable();
        var response = await api.ClientWith(null).GetAsync("/api/v1/me");
        await response.AssertProblemAsync(401, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [SkippableTheory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer pa_not-a-real-token-at-all-0123456789abcdef")]
    public async Task Malformed_or_unknown_tokens_are_401(string header)
    {
        api.EnsureAvailable();
        var client = api.ClientWith(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        await (await client.GetAsync("/api/v1/me")).AssertProblemAsync(401, "unauthorized");
    }

    [SkippableFact]
    public async Task Revoked_token_is_401_at_once()
    {
        var practice = await api.NewPracticeAsync();
        var created = await (await practice.Admin.PostAsJsonAsync("/api/v1/tokens",
            new { kind = "integration", name = "old ehr", scopes = new[] { "clients:read" } })).ReadJsonAsync(201);
        var client = api.ClientWith(created.GetProperty("token").GetString());
        await client.GetAsync("/api/v1/me").ContinueWith(t => t.Result.ReadJsonAsync(200)).Unwrap();

        var revoke = await practice.Admin.DeleteAsync($"/api/v1/tokens/{created.GetProperty("id").GetGuid()}");
        Assert.Equal(204, (int)revoke.StatusCode);
        await (await client.GetAsync("/api/v1/me")).AssertProblemAsync(401);
    }

    [SkippableFact]
    public async Task Expired_token_is_401()
    {
        var practice = await api.NewPracticeAsync();
        var expiresAt = api.Clock.GetUtcNow().AddMinutes(5).UtcDateTime;
        var token = await practice.IssueTokenAsync(new { kind = "integration", name = "short",
            scopes = new[] { "clients:read" }, expiresAt });
        var client = api.ClientWith(token);
        await (await client.GetAsync("/api/v1/me")).ReadJsonAsync(200);

        api.Clock.Advance(TimeSpan.FromMinutes(6));
        await (await client.GetAsync("/api/v1/me")).AssertProblemAsync(401);
    }

    [SkippableFact]
    public async Task Deactivated_therapist_is_401_with_every_token()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        await (await therapist.Client.GetAsync("/api/v1/me")).ReadJsonAsync(200);

        Assert.Equal(204, (int)(await practice.Admin.PostAsync($"/api/v1/therapists/{therapist.Id}/deactivate", null))
            .StatusCode);

        await (await therapist.Client.GetAsync("/api/v1/me")).AssertProblemAsync(401);
        var tokens = await (await practice.Admin.GetAsync($"/api/v1/tokens?therapistId={therapist.Id}"))
            .ReadJsonAsync(200);
        Assert.All(tokens.GetProperty("items").EnumerateArray(),
            t => Assert.NotEqual(System.Text.Json.JsonValueKind.Null, t.GetProperty("revokedAt").ValueKind));
    }

    [SkippableFact]
    public async Task Therapist_calling_admin_endpoints_is_403()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();

        await (await therapist.Client.PostAsJsonAsync("/api/v1/therapists", new { name = "X", email = "x@example.test",
            role = "admin" }))
            .AssertProblemAsync(403, "forbidden");
        await (await therapist.Client.PutAsJsonAsync($"/api/v1/therapists/{therapist.Id}", new { name = "X",
            email = "x@example.test", role = "admin" }))
            .AssertProblemAsync(403, "forbidden");
        await (await therapist.Client.PostAsync($"/api/v1/therapists/{practice.AdminId}/deactivate", null))
            .AssertProblemAsync(403);
        await (await therapist.Client.GetAsync("/api/v1/tokens")).AssertProblemAsync(403);
        await (await therapist.Client.PostAsJsonAsync("/api/v1/tokens", new { kind = "user", name = "x",
            therapistId = therapist.Id })).AssertProblemAsync(403);
        await (await therapist.Client.GetAsync("/api/v1/audit-events")).AssertProblemAsync(403);

        // The therapist is still a therapist: nothing was changed by the refused calls.
        var me = await (await therapist.Client.GetAsync("/api/v1/me")).ReadJsonAsync(200);
        Assert.Equal("therapist", me.GetProperty("role").GetString());
    }

    [SkippableFact]
    public async Task Integration_token_cannot_manage_therapists_or_tokens()
    {
        var practice = await api.NewPracticeAsync();
        var integration = await practice.IntegrationAsync("clients:read", "clients:write", "webhooks:manage");
        await (await integration.GetAsync("/api/v1/therapists")).AssertProblemAsync(403);
        await (await integration.GetAsync("/api/v1/tokens")).AssertProblemAsync(403);
    }

    [SkippableFact]
    public async Task Every_id_of_another_practice_is_404()
    {
        var mine = await api.NewPracticeAsync();
        var theirs = await api.NewPracticeAsync();
        var theirTherapist = await theirs.AddTherapistAsync();
        var theirTokens = await (await theirs.Admin.GetAsync("/api/v1/tokens")).ReadJsonAsync(200);
        var theirTokenId = theirTokens.GetProperty("items")[0].GetProperty("id").GetGuid();
        var body = new { name = "Stolen", email = "stolen@example.test", role = "admin" };

        await (await mine.Admin.GetAsync($"/api/v1/therapists/{theirTherapist.Id}")).AssertProblemAsync(404,
            "not-found");
        await (await mine.Admin.PutAsJsonAsync($"/api/v1/therapists/{theirTherapist.Id}", body))
            .AssertProblemAsync(404, "not-found");
        await (await mine.Admin.PostAsync($"/api/v1/therapists/{theirTherapist.Id}/deactivate", null))
            .AssertProblemAsync(404, "not-found");
        await (await mine.Admin.GetAsync($"/api/v1/tokens/{theirTokenId}")).AssertProblemAsync(404, "not-found");
        await (await mine.Admin.DeleteAsync($"/api/v1/tokens/{theirTokenId}")).AssertProblemAsync(404, "not-found");
        await (await mine.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "user", name = "x",
            therapistId = theirTherapist.Id }))
            .AssertProblemAsync(404, "not-found");

        // Their therapist and tokens are untouched.
        await (await theirTherapist.Client.GetAsync("/api/v1/me")).ReadJsonAsync(200);
        var still = await (await theirs.Admin.GetAsync($"/api/v1/therapists/{theirTherapist.Id}")).ReadJsonAsync(200);
        Assert.Equal(1, still.GetProperty("version").GetInt32());
        await (await theirs.Admin.GetAsync("/api/v1/me")).ReadJsonAsync(200);
    }

    [SkippableFact]
    public async Task Listing_tokens_never_shows_secrets()
    {
        var practice = await api.NewPracticeAsync();
        var token = await practice.IssueTokenAsync(new { kind = "integration", name = "ehr",
            scopes = new[] { "clients:read" } });
        var raw = await (await practice.Admin.GetAsync("/api/v1/tokens")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, raw);
        Assert.DoesNotContain(practice.AdminToken, raw);
        Assert.DoesNotContain("hash", raw, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task Token_requests_are_validated()
    {
        var practice = await api.NewPracticeAsync();
        var unknown = await (await practice.Admin.PostAsJsonAsync("/api/v1/tokens",
            new { kind = "integration", name = "x", scopes = new[] { "clients:read", "everything" } }))
                .AssertProblemAsync(400, "validation");
        Assert.StartsWith("scopes[1] must be one of: clients:read, clients:write,", unknown.GetProperty("errors")
            .GetProperty("scopes[1]")[0].GetString());
        var problem = await (await practice.Admin.PostAsJsonAsync("/api/v1/tokens",
            new { kind = "integration", name = "", scopes = Array.Empty<string>(), expiresAt = "2001-01-01T00:00:00Z" }))
            .AssertProblemAsync(400, "validation");
        Assert.Contains("name", problem.ErrorFields());
        Assert.Contains("expiresAt", problem.ErrorFields());
        Assert.Contains("scopes", problem.ErrorFields());

        var user = await (await practice.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "user", name = "x" }))
            .AssertProblemAsync(400);
        Assert.Contains("therapistId", user.ErrorFields());
        var tokens = await (await practice.Admin.GetAsync("/api/v1/tokens")).ReadJsonAsync(200);
        Assert.Equal(1, tokens.GetProperty("items").GetArrayLength());
    }
}

public sealed class AuthOnSqlite(SqliteApi api) : AuthSuite(api), IClassFixture<SqliteApi>;

public sealed class AuthOnSqlServer(SqlServerApi api) : AuthSuite(api), IClassFixture<SqlServerApi>;
