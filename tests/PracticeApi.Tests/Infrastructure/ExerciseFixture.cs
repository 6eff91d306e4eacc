using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>A couple in a new practice, with each partner's portal client.</summary>
public sealed record CoupleCase(PracticeContext Practice, Guid CoupleId, Guid A, Guid B, HttpClient PortalA,
    HttpClient PortalB);

public static class ExerciseWork
{
    public static readonly Guid DailyCheckIn = TemplateId("daily_check_in");

    public static Guid TemplateId(string key) => PracticeApi.Features.Exercises.BuiltInCatalogue.IdFor(key);

    public static async Task<CoupleCase> NewCoupleCaseAsync(this ApiFactory api, string startedOn = "2026-01-05")
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var b = await practice.Admin.CreateClientIdAsync();
        var couple = await (await practice.Admin.PostAsJsonAsync("/api/v1/couples", new
        {
            partnerAId = a, partnerBId = b, breachType = "emotional_affair", partnerARole = "breaching", partnerBRole = "hurt", startedOn,
        })).ReadJsonAsync(201);
        return new CoupleCase(practice, couple.GetProperty("id").GetGuid(), a, b,
            api.ClientWith(await practice.PortalTokenAsync(a)), api.ClientWith(await practice.PortalTokenAsync(b)));
    }

    public static async Task<string> PortalTokenAsync(this PracticeContext practice, Guid clientId) =>
        (await (await practice.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/portal-tokens", new { name = "app" }))
            .ReadJsonAsync(201))
        .GetProperty("token").GetString()!;

    public static async Task<Guid> AssignAsync(this HttpClient staff, object body) =>
        (await (await staff.PostAsJsonAsync("/api/v1/assignments", body)).ReadJsonAsync(201))
            .GetProperty("id").GetGuid();

    public static object CheckIn(string mood = "sunny") =>
        new { mood, need_from_you = "A walk together", grateful_for = "Your patience" };

    public static Task<HttpResponseMessage> AnswerAsync(this HttpClient client, Guid assignmentId, string date,
        object answers, Guid? respondentId = null, bool portal = true) =>
        client.PostAsJsonAsync(portal ? $"/api/v1/me/assignments/{assignmentId}/responses" : $"/api/v1/assignments/{assignmentId}/responses",
            new { respondentId, occurrenceDate = date, answers });

    public static async Task<List<JsonElement>> PortalResponsesAsync(this HttpClient portal, Guid assignmentId) =>
        (await (await portal.GetAsync($"/api/v1/me/assignments/{assignmentId}/responses?limit=200")).ReadJsonAsync(200))
        .GetProperty("items").EnumerateArray().ToList();

    public static IEnumerable<Guid> Respondents(this IEnumerable<JsonElement> responses) =>
        responses.Select(r => r.GetProperty("respondentId").GetGuid());

    public static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text,
        System.Globalization.CultureInfo.InvariantCulture);
}
