using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.SupportNetwork;

/// <summary>
/// A client's support network (seed 000): the people in their life, how each affects recovery, and whether the practice
/// may contact them. Staff keep it on their own caseload; every change is versioned and audited against the client, and
/// a refused change leaves the network as it was.
/// </summary>
public abstract class SupportNetworkSuite(ApiFactory api)
{
    private static string Network(Guid client) => $"/api/v1/clients/{client}/support-network";

    private static async Task<List<JsonElement>> PeopleAsync(HttpClient staff, Guid client) =>
        (await (await staff.GetAsync(Network(client))).ReadJsonAsync(200)).GetProperty("items").EnumerateArray()
        .ToList();

    [SkippableFact]
    public async Task The_support_network_is_kept_with_the_client()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var url = $"/api/v1/clients/{client}/support-network";
        var sponsor = await (await practice.Admin.PostAsJsonAsync(url, new
        {
            name = "Karin", relationship = "sponsor", effect = "supports", expectations = "Call after a hard day", mayContact = true, contact = "+31 6 1234 5678",
        })).ReadJsonAsync(201);
        var friendResponse = await practice.Admin.PostAsJsonAsync(url, new { name = "Old drinking friend",
            relationship = "friend", effect = "strains", mayContact = false });
        var friend = await friendResponse.ReadJsonAsync(201);
        var invalid = await (await practice.Admin.PostAsJsonAsync(url, new { name = "", relationship = "friend",
            effect = "both", mayContact = false, contact = "x" }))
            .AssertProblemAsync(400, "validation");
        foreach (var field in new[] { "name", "contact" }) Assert.Contains(field, invalid.ErrorFields());
        var neighbour = await (await practice.Admin.PostAsJsonAsync(url, new { name = "N", relationship = "neighbour",
            effect = "both", mayContact = false }))
            .AssertProblemAsync(400, "validation");
        Assert.Equal(["relationship"], neighbour.ErrorFields());

        var friendId = friend.GetProperty("id").GetGuid();
        var updated = await (await practice.Admin.SendAsync(Api.Put($"{url}/{friendId}", new { name = "Old friend",
            relationship = "friend", effect = "both", mayContact = false }).WithIfMatch(1)))
            .ReadJsonAsync(200);
        Assert.Equal("both", updated.GetProperty("effect").GetString());
        await (await practice.Admin.SendAsync(Api.Put($"{url}/{friendId}", new { name = "X", relationship = "friend",
            effect = "both", mayContact = false }).WithIfMatch(1)))
            .AssertProblemAsync(412);
        Assert.Equal(204, (int)(await practice.Admin.DeleteAsync($"{url}/{friendId}")).StatusCode);
        await (await practice.Admin.DeleteAsync($"{url}/{friendId}")).AssertProblemAsync(404);
        Assert.Equal([sponsor.GetProperty("id").GetGuid()], (await (await practice.Admin.GetAsync(url))
            .ReadJsonAsync(200)).Ids());

        var events = await practice.AuditEventsAsync($"clientId={client}");
        Assert.Contains(events, e => e.GetProperty("resourceType").GetString() == "support_person"
            && e.GetProperty("action").GetString() == "delete");
    }

    [SkippableFact]
    public async Task A_person_without_consent_to_contact_keeps_no_contact_details_and_a_refused_request_changes_nothing()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();

        var problem = await (await practice.Admin.PostAsJsonAsync(Network(client), new
        {
            name = "Ruben", relationship = "friend", effect = "strains", mayContact = false, contact = "r@example.test",
        })).AssertProblemAsync(400, "validation");
        Assert.Equal("keep no contact details for someone the practice may not contact.",
            problem.GetProperty("errors").GetProperty("contact")[0].GetString());
        var blank = await (await practice.Admin.PostAsJsonAsync(Network(client), new
        {
            name = " ", relationship = "friend", effect = "strains", mayContact = false,
        })).AssertProblemAsync(400, "validation");
        Assert.True(blank.GetProperty("errors").TryGetProperty("name", out _));
        Assert.Empty(await PeopleAsync(practice.Admin, client));

        // A person of another client is not found under this one, and is left as it was.
        var other = await practice.Admin.CreateClientIdAsync();
        var theirs = (await (await practice.Admin.PostAsJsonAsync(Network(other), new
        {
            name = "Mila", relationship = "family", effect = "supports", mayContact = false,
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        await (await practice.Admin.SendAsync(Api.Put($"{Network(client)}/{theirs}", new
        {
            name = "Changed", relationship = "family", effect = "strains", mayContact = false,
        }))).AssertProblemAsync(404, "not-found");
        await (await practice.Admin.DeleteAsync($"{Network(client)}/{theirs}")).AssertProblemAsync(404, "not-found");
        var kept = (await PeopleAsync(practice.Admin, other)).Single();
        Assert.Equal(("Mila", "supports", 1), (kept.GetProperty("name").GetString(),
            kept.GetProperty("effect").GetString(), kept.GetProperty("version").GetInt32()));
    }

    [SkippableFact]
    public async Task Another_caseload_or_practice_finds_nothing_the_portal_is_refused_and_no_token_is_unauthorised()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var person = (await (await admin.PostAsJsonAsync(Network(c.A), new
        {
            name = "Ruben", relationship = "sponsor", effect = "supports", mayContact = false,
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var outsider = await c.Practice.AddTherapistAsync();
        var elsewhere = await api.NewPracticeAsync();
        var body = new { name = "Changed", relationship = "other", effect = "strains", mayContact = false };

        foreach (var staff in new[] { outsider.Client, elsewhere.Admin })
        {
            await (await staff.GetAsync(Network(c.A))).AssertProblemAsync(404, "not-found");
            await (await staff.PostAsJsonAsync(Network(c.A), body)).AssertProblemAsync(404, "not-found");
            await (await staff.SendAsync(Api.Put($"{Network(c.A)}/{person}", body))).AssertProblemAsync(404,
                "not-found");
            await (await staff.DeleteAsync($"{Network(c.A)}/{person}")).AssertProblemAsync(404, "not-found");
        }

        // The network is the practice's working record, not the client's own page.
        await (await c.PortalA.GetAsync(Network(c.A))).AssertProblemAsync(403);
        await (await c.PortalA.PostAsJsonAsync(Network(c.A), body)).AssertProblemAsync(403);
        await (await api.ClientWith(null).GetAsync(Network(c.A))).AssertProblemAsync(401);

        var kept = (await PeopleAsync(admin, c.A)).Single();
        Assert.Equal((person, "Ruben", 1), (kept.GetProperty("id").GetGuid(), kept.GetProperty("name").GetString(),
            kept.GetProperty("version").GetInt32()));
    }
}

public sealed class SupportNetworkOnSqlite(SqliteApi api) : SupportNetworkSuite(api), IClassFixture<SqliteApi>;

public sealed class SupportNetworkOnSqlServer(SqlServerApi api) : SupportNetworkSuite(api),
    IClassFixture<SqlServerApi>;
