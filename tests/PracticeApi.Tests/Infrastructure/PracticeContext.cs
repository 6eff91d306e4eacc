using System.Net.Http.Json;
using System.Text.Json;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>One practice made for one test: its admin, and helpers to add therapists and tokens.</summary>
public sealed class PracticeContext(ApiFactory api, Guid practiceId, Guid adminId, string adminToken)
{
    public ApiFactory Api { get; } = api;
    public Guid PracticeId { get; } = practiceId;
    public Guid AdminId { get; } = adminId;
    public string AdminToken { get; } = adminToken;
    public HttpClient Admin { get; } = api.ClientWith(adminToken);

    public sealed record Member(Guid Id, string Token, HttpClient Client);

    /// <summary>A new therapist (or admin) with a user token of their own.</summary>
    public async Task<Member> AddTherapistAsync(string role = "therapist", string? name = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var created = await Admin.PostAsJsonAsync("/api/v1/therapists",
            new { name = name ?? $"Therapist {suffix}", email = $"t-{suffix}@example.test", role });
        var therapist = await created.ReadJsonAsync(201);
        var id = therapist.GetProperty("id").GetGuid();
        var token = await IssueTokenAsync(new { kind = "user", name = "test", therapistId = id });
        return new Member(id, token, Api.ClientWith(token));
    }

    public async Task<HttpClient> IntegrationAsync(params string[] scopes) =>
        Api.ClientWith(await IssueTokenAsync(new { kind = "integration", name = "ehr", scopes }));

    /// <summary>An integration token's id (a consent's recipient, say).</summary>
    public async Task<Guid> IntegrationTokenIdAsync() =>
        (await (await Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "integration", name = "ehr",
            scopes = new[] { "clients:read" } })).ReadJsonAsync(201))
        .GetProperty("id").GetGuid();

    public async Task<string> IssueTokenAsync(object request)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/tokens", request);
        return (await response.ReadJsonAsync(201)).GetProperty("token").GetString()!;
    }
}

public static class HttpAssertions
{
    /// <summary>Asserts the status and returns the JSON body.</summary>
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, int expectedStatus)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus,
            $"Expected {expectedStatus} but got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and type name; returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status,
        string? type = null)
    {
        var problem = await response.ReadJsonAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        if (type is not null) Assert.Equal($"https://practiceapi.dev/problems/{type}", problem.GetProperty("type")
            .GetString());
        Assert.False(problem.TryGetProperty("exception", out _));
        return problem;
    }

    public static IEnumerable<string> ErrorFields(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name);
}
