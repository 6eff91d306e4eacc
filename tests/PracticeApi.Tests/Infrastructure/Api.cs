using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>Makes clinical records through the API, with unique values per call.</summary>
public static class Api
{
    public static async Task<JsonElement> CreateClientAsync(this HttpClient client, object? careTeam = null,
        string? lastName = null, object? identifiers = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var response = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Client",
            lastName = lastName ?? $"Test{suffix}",
            dateOfBirth = "1985-04-12",
            email = $"c-{suffix}@example.test",
            preferredLanguage = "nl",
            careTeam,
            identifiers,
        });
        return await response.ReadJsonAsync(201);
    }

    public static async Task<Guid> CreateClientIdAsync(this HttpClient client, object? careTeam = null) =>
        (await client.CreateClientAsync(careTeam)).GetProperty("id").GetGuid();

    public static async Task<JsonElement> CreateCoupleAsync(this HttpClient client, Guid a, Guid b,
        string breachType = "emotional_affair")
    {
        var response = await client.PostAsJsonAsync("/api/v1/couples", new
        {
            partnerAId = a, partnerBId = b, breachType, partnerARole = "breaching", partnerBRole = "hurt", disclosedOn = "2026-01-10",
        });
        return await response.ReadJsonAsync(201);
    }

    /// <summary>A couple of two new clients, both with the given care team.</summary>
    public static async Task<(Guid CoupleId, Guid A, Guid B)> CreateCoupleWithClientsAsync(this HttpClient client,
        object? careTeam = null)
    {
        var a = await client.CreateClientIdAsync(careTeam);
        var b = await client.CreateClientIdAsync(careTeam);
        var couple = await client.CreateCoupleAsync(a, b);
        return (couple.GetProperty("id").GetGuid(), a, b);
    }

    public static async Task<HttpResponseMessage> PostSessionAsync(this HttpClient client, object subject,
        DateTime startsAt, int minutes = 50, Guid? therapistId = null, string? kind = null)
    {
        var body = JsonSerializer.SerializeToNode(subject)!.AsObject();
        body["therapistId"] = therapistId is null ? null : JsonValue.Create(therapistId);
        body["kind"] = kind ?? (body.ContainsKey("coupleId") ? "couple" : "individual");
        body["modality"] = "in_person";
        body["startsAt"] = startsAt.ToString("yyyy-MM-ddTHH:mm:ssZ");
        body["durationMinutes"] = minutes;
        return await client.PostAsJsonAsync("/api/v1/sessions", body);
    }

    public static async Task<Guid> CreateSessionAsync(this HttpClient client, object subject, DateTime startsAt,
        int minutes = 50, Guid? therapistId = null) =>
        (await (await client.PostSessionAsync(subject, startsAt, minutes, therapistId)).ReadJsonAsync(201))
            .GetProperty("id").GetGuid();

    public static HttpRequestMessage WithIfMatch(this HttpRequestMessage request, int version)
    {
        request.Headers.IfMatch.ParseAdd($"\"{version}\"");
        return request;
    }

    public static HttpRequestMessage Put(string url, object body) => new(HttpMethod.Put,
        url) { Content = JsonContent.Create(body) };

    public static async Task<List<JsonElement>> AuditEventsAsync(this PracticeContext practice, string query)
    {
        var page = await (await practice.Admin.GetAsync($"/api/v1/audit-events?limit=200&{query}")).ReadJsonAsync(200);
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    public static List<Guid> Ids(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
}
