using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Consents;

/// <summary>
/// Consent records (issue 31.2): given and withdrawn by staff from paper or in words, or by the client through the
/// portal; an EHR integration bound to consent sees a client only while that client's sharing consent is in force, on
/// every read path; withdrawing a person's sharing consent stops contact with them; all in the export and the access
/// log.
/// </summary>
public sealed class ConsentTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static async Task<(Guid Id, HttpClient Client)> IntegrationAsync(ApiFactory api, PracticeContext practice,
        bool bound, params string[] scopes)
    {
        var created = await (await practice.Admin.PostAsJsonAsync("/api/v1/tokens", new
        {
            kind = "integration", name = bound ? "EHR bound to consent" : "EHR", scopes, requiresConsent = bound,
        })).ReadJsonAsync(201);
        Assert.Equal(bound, created.GetProperty("requiresConsent").GetBoolean());
        return (created.GetProperty("id").GetGuid(), api.ClientWith(created.GetProperty("token").GetString()));
    }

    private static async Task<List<string>> FhirIdsAsync(HttpClient client, string url) =>
        JsonNode.Parse(await (await client.GetAsync(url)).Content.ReadAsStringAsync())!["entry"]?.AsArray()
            .Select(e => e!["resource"]!["id"]!.GetValue<string>()).ToList() ?? [];

    /// <summary>Everything the integration reads about clients, by each path it has: REST lists and reads, FHIR
    /// searches and reads.</summary>
    private static async Task<HashSet<string>> SeenAsync(HttpClient ehr, Guid a, Guid b, Guid sessionA, Guid sessionB)
    {
        var seen = new HashSet<string>();
        foreach (var id in (await (await ehr.GetAsync("/api/v1/clients?limit=200")).ReadJsonAsync(200))
            .Ids()) seen.Add($"clients:{id}");
        foreach (var id in (await (await ehr.GetAsync("/api/v1/sessions?limit=200")).ReadJsonAsync(200))
            .Ids()) seen.Add($"sessions:{id}");
        foreach (var (client, session) in new[] { (a, sessionA), (b, sessionB) })
        {
            if ((int)(await ehr.GetAsync($"/api/v1/clients/{client}")).StatusCode == 200) seen.Add($"client:{client}");
            if ((int)(await ehr.GetAsync($"/api/v1/sessions/{session}"))
                .StatusCode == 200) seen.Add($"session:{session}");
            if ((int)(await ehr.GetAsync($"/fhir/Patient/{client}")).StatusCode == 200) seen.Add($"Patient/{client}");
            foreach (var id in await FhirIdsAsync(ehr,
                $"/fhir/Appointment?patient={client}")) seen.Add($"Appointment:{id}");
        }

        foreach (var id in await FhirIdsAsync(ehr, "/fhir/Patient?_count=200")) seen.Add($"Patients:{id}");
        return seen;
    }

    [Fact]
    public async Task An_ehr_bound_to_consent_sees_a_client_on_every_read_path_only_while_their_sharing_consent_is_in_force()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var b = await practice.Admin.CreateClientIdAsync();
        var start = api.Clock.GetUtcNow().UtcDateTime.Date.AddDays(2).AddHours(9);
        var sessionA = await practice.Admin.CreateSessionAsync(new { clientId = a }, start);
        var sessionB = await practice.Admin.CreateSessionAsync(new { clientId = b }, start.AddHours(2));
        var (boundId, bound) = await IntegrationAsync(api, practice, true, "clients:read", "sessions:read",
            "fhir:read");
        var (_, open) = await IntegrationAsync(api, practice, false, "clients:read", "sessions:read", "fhir:read");

        Assert.Empty(await SeenAsync(bound, a, b, sessionA, sessionB));
        var everything = await SeenAsync(open, a, b, sessionA, sessionB);
        Assert.Contains($"client:{b}", everything);

        var consent = await (await practice.Admin.PostAsJsonAsync($"/api/v1/clients/{a}/consents", new
        {
            kind = "ehr_sharing", textVersion = "2026-01", recipientId = boundId, via = "paper",
        })).ReadJsonAsync(201);
        Assert.Equal("EHR bound to consent", consent.GetProperty("recipientName").GetString());
        var shared = await SeenAsync(bound, a, b, sessionA, sessionB);
        Assert.Equal(everything.Where(s => !s.Contains(b.ToString()) && !s.Contains(sessionB.ToString())).Order(),
            shared.Order());
        Assert.Contains($"Patient/{a}", shared);

        // Withdrawn (here by the client, through the portal): the next read sees nothing of them.
        var portalA = api.ClientWith(await practice.PortalTokenAsync(a));
        var withdrawn = await (await portalA.PostAsJsonAsync($"/api/v1/me/consents/{consent.Id()}/withdraw", new { }))
            .ReadJsonAsync(200);
        Assert.Equal(("portal", false), (withdrawn.GetProperty("withdrawnVia").GetString(),
            withdrawn.GetProperty("active").GetBoolean()));
        Assert.Empty(await SeenAsync(bound, a, b, sessionA, sessionB));
        Assert.Equal(everything.Order(), (await SeenAsync(open, a, b, sessionA, sessionB)).Order());

        // An EHR bound to consent may push a new client, and reads it only once the client consents to share with it.
        var (_, writer) = await IntegrationAsync(api, practice, true, "clients:read", "clients:write");
        var pushed = (await (await writer.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Eva", lastName = "Pushed", dateOfBirth = "1990-01-01", preferredLanguage = "nl",
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        await (await writer.GetAsync($"/api/v1/clients/{pushed}")).AssertProblemAsync(404, "not-found");

        // A token bound to consent cannot hold practice-wide scopes; a user token cannot be bound.
        foreach (var body in new object[]
                 {
                     new { kind = "integration", name = "x", scopes = new[] { "clients:read", "events:read" }, requiresConsent = true },
                     new { kind = "integration", name = "x", scopes = new[] { "webhooks:manage" }, requiresConsent = true },
                 })
        {
            var problem = await (await practice.Admin.PostAsJsonAsync("/api/v1/tokens", body)).AssertProblemAsync(400,
                "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty("scopes", out _), problem.ToString());
        }
    }

    [Fact]
    public async Task Consents_are_given_and_withdrawn_by_staff_or_the_client_and_are_in_the_export_and_the_access_log()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var a = await practice.Admin.CreateClientIdAsync(new[] { therapist.Id });
        var portalA = api.ClientWith(await practice.PortalTokenAsync(a));

        var treatment = await (await portalA.PostAsJsonAsync("/api/v1/me/consents", new { kind = "treatment",
            textVersion = "v3" })).ReadJsonAsync(201);
        Assert.Equal(("portal", a), (treatment.GetProperty("givenVia").GetString(), treatment.GetProperty("givenBy")
            .GetGuid()));
        await (await portalA.PostAsJsonAsync("/api/v1/me/consents", new { kind = "treatment", textVersion = "v3" }))
            .AssertProblemAsync(409, "consent-already-given");
        var portalUse = await (await therapist.Client.PostAsJsonAsync($"/api/v1/clients/{a}/consents",
            new { kind = "portal_use", textVersion = "v1", via = "verbal" }))
            .ReadJsonAsync(201);
        Assert.Equal(("verbal", therapist.Id), (portalUse.GetProperty("givenVia").GetString(),
            portalUse.GetProperty("givenBy").GetGuid()));

        // Bad requests name the field and change nothing.
        var token = (await (await practice.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "integration",
            name = "EHR", scopes = new[] { "clients:read" } }))
            .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        foreach (var (client, url, body, field) in new (HttpClient, string, object, string)[]
                 {
                     (therapist.Client, $"/api/v1/clients/{a}/consents", new { kind = "marketing", textVersion = "v1",
                         via = "paper" }, "kind"),
                     (therapist.Client, $"/api/v1/clients/{a}/consents", new { kind = "treatment", via = "paper" },
                         "textVersion"),
                     (therapist.Client, $"/api/v1/clients/{a}/consents", new { kind = "ehr_sharing",
                         textVersion = "v1", via = "paper" }, "recipientId"),
                     (therapist.Client, $"/api/v1/clients/{a}/consents", new { kind = "treatment", textVersion = "v1",
                         recipientId = token, via = "paper" }, "recipientId"),
                     (therapist.Client, $"/api/v1/clients/{a}/consents", new { kind = "ehr_sharing",
                         textVersion = "v1", recipientId = Guid.NewGuid(), via = "paper" }, "recipientId"),
                     (therapist.Client, $"/api/v1/clients/{a}/consents", new { kind = "portal_use",
                         textVersion = "v2" }, "via"),
                     (therapist.Client, $"/api/v1/clients/{a}/consents", new { kind = "portal_use", textVersion = "v2",
                         via = "email" }, "via"),
                     (portalA, "/api/v1/me/consents", new { kind = "portal_use", textVersion = "v2",
                         via = "paper" }, "via"),
                 })
        {
            var problem = await (await client.PostAsJsonAsync(url, body)).AssertProblemAsync(400, "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{body}: {problem}");
        }

        Assert.Equal(2, (await (await therapist.Client.GetAsync($"/api/v1/clients/{a}/consents")).ReadJsonAsync(200))
            .Ids().Count);

        // Sharing with a person of the support network: in force, the practice may contact them; withdrawn, it may not,
        // and keeps no contact details for them.
        var sponsor = (await (await therapist.Client.PostAsJsonAsync($"/api/v1/clients/{a}/support-network", new
        {
            name = "Ruben", relationship = "sponsor", effect = "supports", mayContact = false, contact = (string?)null,
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var sharing = await (await portalA.PostAsJsonAsync("/api/v1/me/consents", new { kind = "person_sharing",
            textVersion = "v1", recipientId = sponsor }))
            .ReadJsonAsync(201);
        async Task<bool> MayContactAsync() =>
            (await (await therapist.Client.GetAsync($"/api/v1/clients/{a}/support-network")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == sponsor)
            .GetProperty("mayContact").GetBoolean();
        Assert.True(await MayContactAsync());
        await (await therapist.Client.PostAsJsonAsync($"/api/v1/clients/{a}/consents/{sharing.Id()}/withdraw",
            new { via = "paper" })).ReadJsonAsync(200);
        Assert.False(await MayContactAsync());
        await (await portalA.PostAsJsonAsync($"/api/v1/me/consents/{sharing.Id()}/withdraw", new { }))
            .AssertProblemAsync(409, "consent-withdrawn");

        var one = await (await therapist.Client.GetAsync($"/api/v1/clients/{a}/consents/{sharing.Id()}"))
            .ReadJsonAsync(200);
        Assert.Equal(("paper", therapist.Id), (one.GetProperty("withdrawnVia").GetString(),
            one.GetProperty("withdrawnBy").GetGuid()));
        var mine = (await (await portalA.GetAsync("/api/v1/me/consents")).ReadJsonAsync(200)).Ids();
        Assert.Equal(3, mine.Count);
        var export = await (await practice.Admin.PostAsync($"/api/v1/clients/{a}/export", null)).ReadJsonAsync(200);
        Assert.Equal(3, export.GetProperty("consents").GetArrayLength());
        var log = await practice.AuditEventsAsync($"clientId={a}&resourceType=consent");
        Assert.True(log.Count(e => e.GetProperty("action").GetString() is "create" or "update") >= 4);

        // Outside the caseload, the practice or the portal's own record: not found; anonymous: 401.
        var stranger = await practice.AddTherapistAsync();
        await (await stranger.Client.GetAsync($"/api/v1/clients/{a}/consents")).AssertProblemAsync(404, "not-found");
        await (await stranger.Client.PostAsJsonAsync($"/api/v1/clients/{a}/consents", new { kind = "treatment",
            textVersion = "v9", via = "paper" }))
            .AssertProblemAsync(404, "not-found");
        await (await stranger.Client.PostAsJsonAsync($"/api/v1/clients/{a}/consents/{treatment.Id()}/withdraw",
            new { via = "paper" })).AssertProblemAsync(404, "not-found");
        var other = await api.NewPracticeAsync();
        await (await other.Admin.GetAsync($"/api/v1/clients/{a}/consents/{treatment.Id()}")).AssertProblemAsync(404,
            "not-found");
        var b = await practice.Admin.CreateClientIdAsync();
        var portalB = api.ClientWith(await practice.PortalTokenAsync(b));
        await (await portalB.PostAsJsonAsync($"/api/v1/me/consents/{treatment.Id()}/withdraw", new { }))
            .AssertProblemAsync(404, "not-found");
        Assert.Empty((await (await portalB.GetAsync("/api/v1/me/consents")).ReadJsonAsync(200)).Ids());
        await (await api.ClientWith(null).GetAsync($"/api/v1/clients/{a}/consents")).AssertProblemAsync(401);
        await (await portalA.GetAsync($"/api/v1/clients/{a}/consents")).AssertProblemAsync(403);
        Assert.True((await (await portalA.GetAsync("/api/v1/me/consents")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray()
            .Single(k => k.GetProperty("id").GetGuid() == treatment.Id()).GetProperty("active").GetBoolean());
    }
}

internal static class ConsentJson
{
    public static Guid Id(this JsonElement json) => json.GetProperty("id").GetGuid();
}
