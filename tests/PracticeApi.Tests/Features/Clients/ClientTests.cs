using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Clients;

public abstract class ClientSuite(ApiFactory api)
{
    [SkippableFact]
    public async Task Therapist_creates_a_client_and_is_on_its_care_team()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var response = await therapist.Client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Marleen", lastName = "de Boer", dateOfBirth = "1979-02-03", pronouns = "zij/haar",
            identifiers = new[] { new { system = "https://ehr.example/patient", value = "P-1001" } },
        });
        var client = await response.ReadJsonAsync(201);
        var id = client.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/clients/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        Assert.Equal("nl", client.GetProperty("preferredLanguage").GetString());
        Assert.Equal("active", client.GetProperty("status").GetString());
        Assert.Equal("1979-02-03", client.GetProperty("dateOfBirth").GetString());
        Assert.Equal([therapist.Id], client.GetProperty("careTeam").EnumerateArray().Select(t => t.GetGuid()));
        Assert.Equal("P-1001", client.GetProperty("identifiers")[0].GetProperty("value").GetString());
    }

    [SkippableFact]
    public async Task A_created_client_is_answered_exactly_as_a_read_of_it_returns_it()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var colleague = await practice.AddTherapistAsync();
        var response = await therapist.Client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "  Marleen ", lastName = "de Boer ", email = " Marleen@Example.NL ", phone = " 06 1234 5678 ", pronouns = " zij/haar ",
            dateOfBirth = "1979-02-03", preferredLanguage = "en",
            careTeam = new[] { colleague.Id },
            identifiers = new[]
            {
                new { system = "https://ehr.example/patient", value = "P-2" },
                new { system = "https://bsn.example", value = "Z-9" },
                new { system = "https://ehr.example/patient", value = "P-10" },
            },
        });
        var created = await response.ReadJsonAsync(201);
        var read = await (await therapist.Client.GetAsync($"/api/v1/clients/{created.GetProperty("id").GetGuid()}"))
            .ReadJsonAsync(200);
        Assert.Equal(read.GetRawText(), created.GetRawText());
        Assert.Equal("marleen@example.nl", created.GetProperty("email").GetString());
        Assert.Equal(new[] { therapist.Id, colleague.Id }.Order(), created.GetProperty("careTeam").EnumerateArray()
            .Select(t => t.GetGuid()));
    }

    [SkippableFact]
    public async Task Invalid_clients_are_400_naming_each_field_and_nothing_is_created()
    {
        var practice = await api.NewPracticeAsync();
        var response = await practice.Admin.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "", lastName = "X", email = "not-an-email", dateOfBirth = "2999-01-01",
            identifiers = new[] { new { system = "not a uri", value = "" } },
        });
        var problem = await response.AssertProblemAsync(400, "validation");
        var fields = problem.ErrorFields().ToList();
        foreach (var field in new[] { "firstName", "email", "dateOfBirth" }) Assert.Contains(field, fields);
        var german = await practice.Admin.PostAsJsonAsync("/api/v1/clients", new { firstName = "Anna", lastName = "X",
            preferredLanguage = "de" });
        Assert.Equal("preferredLanguage must be one of: nl, en.",
            (await german.AssertProblemAsync(400, "validation")).GetProperty("errors")
                .GetProperty("preferredLanguage")[0].GetString());
        Assert.Contains(fields, f => f.StartsWith("identifiers", StringComparison.Ordinal));
        Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());
    }

    [SkippableFact]
    public async Task A_duplicate_identifier_is_409_and_nothing_is_created()
    {
        var practice = await api.NewPracticeAsync();
        var identifiers = new[] { new { system = "https://ehr.example/patient", value = "P-7" } };
        await practice.Admin.CreateClientAsync(identifiers: identifiers);
        var clash = await practice.Admin.PostAsJsonAsync("/api/v1/clients", new { firstName = "Other",
            lastName = "Person", identifiers });
        await clash.AssertProblemAsync(409, "duplicate-identifier");
        Assert.Single((await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());

        // The same identifier in another practice is someone else entirely.
        var other = await api.NewPracticeAsync();
        await other.Admin.CreateClientAsync(identifiers: identifiers);
    }

    [SkippableFact]
    public async Task Therapists_see_only_their_caseload_admins_and_integrations_see_the_practice()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var bob = await practice.AddTherapistAsync();
        var annsClient = await ann.Client.CreateClientIdAsync();
        var bobsClient = await bob.Client.CreateClientIdAsync();

        Assert.Equal([annsClient], (await (await ann.Client.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());
        await (await ann.Client.GetAsync($"/api/v1/clients/{bobsClient}")).AssertProblemAsync(404, "not-found");
        await (await ann.Client.SendAsync(Api.Put($"/api/v1/clients/{bobsClient}", new { firstName = "X",
            lastName = "Y" }))).AssertProblemAsync(404);
        await (await ann.Client.PostAsync($"/api/v1/clients/{bobsClient}/discharge", null)).AssertProblemAsync(404);

        var all = (await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids();
        Assert.Equal(new[] { annsClient, bobsClient }.Order(), all.Order());

        var ehr = await practice.IntegrationAsync("clients:read");
        Assert.Equal(2, (await (await ehr.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids().Count);
        await (await ehr.PostAsJsonAsync("/api/v1/clients", new { firstName = "A", lastName = "B" }))
            .AssertProblemAsync(403, "forbidden");
        var noScope = await practice.IntegrationAsync("sessions:read");
        await (await noScope.GetAsync("/api/v1/clients")).AssertProblemAsync(403);
    }

    [SkippableFact]
    public async Task Clients_filter_by_name_status_therapist_and_identifier()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var jansen = (await practice.Admin.CreateClientAsync(lastName: "Jänsen-Öztürk", careTeam: new[] { ann.Id }))
            .GetProperty("id").GetGuid();
        var other = (await practice.Admin.CreateClientAsync(identifiers: new[] { new { system = "https://ehr.example/id", value = "A|B" } })).GetProperty("id").GetGuid();
        await practice.Admin.PostAsync($"/api/v1/clients/{other}/discharge", null);

        Assert.Equal([jansen], (await (await practice.Admin.GetAsync("/api/v1/clients?q=JÄNSEN"))
            .ReadJsonAsync(200)).Ids());
        Assert.Equal([jansen], (await (await practice.Admin.GetAsync("/api/v1/clients?q=nsen-ö"))
            .ReadJsonAsync(200)).Ids());
        Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/clients?q=%25")).ReadJsonAsync(200)).Ids());
        Assert.Equal([other], (await (await practice.Admin.GetAsync("/api/v1/clients?status=discharged"))
            .ReadJsonAsync(200)).Ids());
        Assert.Equal([jansen], (await (await practice.Admin.GetAsync($"/api/v1/clients?therapistId={ann.Id}"))
            .ReadJsonAsync(200)).Ids());
        var identifier = Uri.EscapeDataString("https://ehr.example/id|A|B");
        Assert.Equal([other], (await (await practice.Admin.GetAsync($"/api/v1/clients?identifier={identifier}"))
            .ReadJsonAsync(200)).Ids());
        await (await practice.Admin.GetAsync("/api/v1/clients?identifier=nopipe")).AssertProblemAsync(400,
            "validation");
        await (await practice.Admin.GetAsync("/api/v1/clients?status=asleep")).AssertProblemAsync(400, "validation");
    }

    [SkippableFact]
    public async Task Updates_use_etags_and_a_stale_if_match_is_412_with_nothing_changed()
    {
        var practice = await api.NewPracticeAsync();
        var id = await practice.Admin.CreateClientIdAsync();
        var body = new { firstName = "Renamed", lastName = "Client", preferredLanguage = "en" };

        var updated = await practice.Admin.SendAsync(Api.Put($"/api/v1/clients/{id}", body).WithIfMatch(1));
        var client = await updated.ReadJsonAsync(200);
        Assert.Equal(2, client.GetProperty("version").GetInt32());
        Assert.Equal("\"2\"", updated.Headers.ETag!.Tag);
        Assert.Equal("en", client.GetProperty("preferredLanguage").GetString());

        await (await practice.Admin.SendAsync(Api.Put($"/api/v1/clients/{id}", body with { firstName = "Stale" })
            .WithIfMatch(1)))
            .AssertProblemAsync(412, "stale-version");
        var after = await (await practice.Admin.GetAsync($"/api/v1/clients/{id}")).ReadJsonAsync(200);
        Assert.Equal("Renamed", after.GetProperty("firstName").GetString());
        Assert.Equal(2, after.GetProperty("version").GetInt32());

        var badHeader = Api.Put($"/api/v1/clients/{id}", body);
        badHeader.Headers.TryAddWithoutValidation("If-Match", "yesterday");
        await (await practice.Admin.SendAsync(badHeader)).AssertProblemAsync(400);
    }

    [SkippableFact]
    public async Task Care_team_changes_give_and_take_access()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var bob = await practice.AddTherapistAsync();
        var id = await ann.Client.CreateClientIdAsync();
        await (await bob.Client.GetAsync($"/api/v1/clients/{id}")).AssertProblemAsync(404);

        var team = await (await ann.Client.SendAsync(Api.Put($"/api/v1/clients/{id}/care-team",
            new { therapistIds = new[] { bob.Id } }).WithIfMatch(1)))
            .ReadJsonAsync(200);
        Assert.Equal([bob.Id], team.GetProperty("careTeam").EnumerateArray().Select(t => t.GetGuid()));
        await (await bob.Client.GetAsync($"/api/v1/clients/{id}")).ReadJsonAsync(200);
        await (await ann.Client.GetAsync($"/api/v1/clients/{id}")).AssertProblemAsync(404);

        await (await bob.Client.SendAsync(Api.Put($"/api/v1/clients/{id}/care-team",
            new { therapistIds = Array.Empty<Guid>() })))
            .AssertProblemAsync(400, "validation");
    }

    [SkippableFact]
    public async Task Discharge_and_reactivate_are_actions_with_their_rules()
    {
        var practice = await api.NewPracticeAsync();
        var id = await practice.Admin.CreateClientIdAsync();
        Assert.Equal(200, (int)(await practice.Admin.PostAsync($"/api/v1/clients/{id}/discharge", null)).StatusCode);
        await (await practice.Admin.PostAsync($"/api/v1/clients/{id}/discharge", null)).AssertProblemAsync(409,
            "invalid-transition");
        Assert.Equal("discharged", (await (await practice.Admin.GetAsync($"/api/v1/clients/{id}")).ReadJsonAsync(200))
            .GetProperty("status").GetString());
        Assert.Equal(200, (int)(await practice.Admin.PostAsync($"/api/v1/clients/{id}/reactivate", null)).StatusCode);
        await (await practice.Admin.PostAsync($"/api/v1/clients/{id}/reactivate", null)).AssertProblemAsync(409,
            "invalid-transition");
    }

    [SkippableFact]
    public async Task Discharge_cancels_the_clients_future_sessions_and_says_so_past_ones_stay()
    {
        var practice = await api.NewPracticeAsync();
        var id = await practice.Admin.CreateClientIdAsync();
        var partner = await practice.Admin.CreateClientIdAsync();
        var couple = (await practice.Admin.CreateCoupleAsync(id, partner)).GetProperty("id").GetGuid();
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var past = await practice.Admin.CreateSessionAsync(new { clientId = id }, now.AddDays(-3),
            therapistId: practice.AdminId);
        var future = await practice.Admin.CreateSessionAsync(new { clientId = id }, now.AddDays(3),
            therapistId: practice.AdminId);
        var together = await practice.Admin.CreateSessionAsync(new { coupleId = couple }, now.AddDays(5),
            therapistId: practice.AdminId);
        var others = await practice.Admin.CreateSessionAsync(new { clientId = partner }, now.AddDays(6),
            therapistId: practice.AdminId);

        // Refused (another practice): nothing changes.
        var outsider = await api.NewPracticeAsync();
        await (await outsider.Admin.PostAsync($"/api/v1/clients/{id}/discharge", null)).AssertProblemAsync(404);
        Assert.Equal("scheduled", await StatusOf(future));

        var answer = await (await practice.Admin.PostAsync($"/api/v1/clients/{id}/discharge", null)).ReadJsonAsync(200);
        Assert.Equal("discharged", answer.GetProperty("status").GetString());
        Assert.Equal(new[] { future, together }.Order(), answer.GetProperty("cancelledSessionIds").EnumerateArray()
            .Select(e => e.GetGuid()).Order());
        Assert.Equal("cancelled", await StatusOf(future));
        Assert.Equal("cancelled", await StatusOf(together));
        Assert.Equal("scheduled", await StatusOf(past));
        Assert.Equal("scheduled", await StatusOf(others));

        // One audit event for the discharge names the cancelled sessions; a session.cancelled event each, as for a
        // cancel.
        var trail = (await practice.AuditEventsAsync($"clientId={id}")).Where(e => e.GetProperty("resourceType")
            .GetString() == "client" &&
            e.GetProperty("detail").GetString()?.StartsWith("discharged", StringComparison.Ordinal) == true).ToList();
        var discharge = Assert.Single(trail);
        Assert.Contains(future.ToString(), discharge.GetProperty("detail").GetString());
        var feed = (await (await practice.Admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "session.cancelled").Select(e => e.GetProperty("data")
            .GetProperty("sessionId").GetGuid()).ToList();
        Assert.Contains(future, feed);
        Assert.Contains(together, feed);

        // Reactivating brings nothing back: the sessions stay cancelled.
        var back = await (await practice.Admin.PostAsync($"/api/v1/clients/{id}/reactivate", null)).ReadJsonAsync(200);
        Assert.Empty(back.GetProperty("cancelledSessionIds").EnumerateArray());
        Assert.Equal("cancelled", await StatusOf(future));

        async Task<string?> StatusOf(Guid session) =>
            (await (await practice.Admin.GetAsync($"/api/v1/sessions/{session}")).ReadJsonAsync(200))
                .GetProperty("status").GetString();
    }

    [SkippableFact]
    public async Task A_care_team_naming_a_deactivated_therapist_is_409()
    {
        var practice = await api.NewPracticeAsync();
        var gone = await practice.AddTherapistAsync();
        await practice.Admin.PostAsync($"/api/v1/therapists/{gone.Id}/deactivate", null);
        await (await practice.Admin.PostAsJsonAsync("/api/v1/clients", new { firstName = "A", lastName = "B",
            careTeam = new[] { gone.Id } }))
            .AssertProblemAsync(409, "therapist-inactive");
        Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());
    }

    [SkippableFact]
    public async Task A_care_team_change_naming_a_deactivated_or_unknown_therapist_changes_nothing()
    {
        var practice = await api.NewPracticeAsync();
        var other = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var gone = await practice.AddTherapistAsync();
        var stranger = await other.AddTherapistAsync();
        await practice.Admin.PostAsync($"/api/v1/therapists/{gone.Id}/deactivate", null);
        var id = await practice.Admin.CreateClientIdAsync(careTeam: new[] { ann.Id });
        var before = await (await practice.Admin.GetAsync($"/api/v1/clients/{id}")).ReadJsonAsync(200);

        await (await practice.Admin.SendAsync(Api.Put($"/api/v1/clients/{id}/care-team",
            new { therapistIds = new[] { ann.Id, gone.Id } }).WithIfMatch(1)))
            .AssertProblemAsync(409, "therapist-inactive");
        await (await practice.Admin.SendAsync(Api.Put($"/api/v1/clients/{id}/care-team",
            new { therapistIds = new[] { stranger.Id } }).WithIfMatch(1)))
            .AssertProblemAsync(404, "not-found");
        await (await practice.Admin.PostAsJsonAsync("/api/v1/clients", new { firstName = "A", lastName = "B",
            careTeam = new[] { ann.Id, stranger.Id } }))
            .AssertProblemAsync(404, "not-found");

        var after = await (await practice.Admin.GetAsync($"/api/v1/clients/{id}")).ReadJsonAsync(200);
        Assert.Contains(ann.Id, after.GetProperty("careTeam").EnumerateArray().Select(t => t.GetGuid()));
        Assert.Equal(before.GetRawText(), after.GetRawText());
        Assert.Equal([id], (await (await practice.Admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids());
    }

    [SkippableFact]
    public async Task Pagination_returns_every_client_exactly_once_while_clients_are_added()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        for (var i = 0; i < 7; i++) await therapist.Client.CreateClientIdAsync();

        foreach (var client in new[] { practice.Admin, therapist.Client })
        {
            var seen = new List<Guid>();
            string? cursor = null;
            var added = 0;
            do
            {
                var page = await (await client.GetAsync(
                    $"/api/v1/clients?limit=3{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync(200);
                seen.AddRange(page.Ids());
                cursor = page.GetProperty("nextCursor").GetString();
                if (cursor is not null && added++ == 0) await therapist.Client.CreateClientIdAsync();
            } while (cursor is not null);

            Assert.Equal(seen.Count, seen.Distinct().Count());
            var total = (await (await client.GetAsync("/api/v1/clients?limit=200")).ReadJsonAsync(200)).Ids();
            Assert.Equal(total.Order(), seen.Order());
        }
    }

    [SkippableFact]
    public async Task Reads_and_writes_of_clients_are_audited_with_the_client_id()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var created = await therapist.Client.CreateClientAsync(lastName: $"Searchable{Guid.NewGuid():N}");
        var id = created.GetProperty("id").GetGuid();
        var searchTerm = created.GetProperty("lastName").GetString()!.ToLowerInvariant();
        await therapist.Client.GetAsync($"/api/v1/clients/{id}");
        Assert.Equal([id], (await (await therapist.Client.GetAsync($"/api/v1/clients?q={searchTerm}"))
            .ReadJsonAsync(200)).Ids());
        await therapist.Client.SendAsync(Api.Put($"/api/v1/clients/{id}", new { firstName = "New",
            lastName = "Name" }));

        var events = await practice.AuditEventsAsync($"clientId={id}");
        Assert.Contains(events, e => e.GetProperty("action").GetString() == "create");
        Assert.Contains(events, e => e.GetProperty("action").GetString() == "update");
        var reads = events.Where(e => e.GetProperty("action").GetString() == "read").ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(events, e => Assert.Contains(id, e.GetProperty("clientIds").EnumerateArray()
            .Select(c => c.GetGuid())));
        Assert.All(events, e => Assert.Equal(therapist.Id, e.GetProperty("actorId").GetGuid()));
        var raw = JsonSerializer.Serialize(await practice.AuditEventsAsync(""));
        Assert.DoesNotContain(searchTerm, raw, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task A_rejected_client_write_leaves_no_audit_event()
    {
        var practice = await api.NewPracticeAsync();
        var id = await practice.Admin.CreateClientIdAsync();
        await practice.Admin.SendAsync(Api.Put($"/api/v1/clients/{id}", new { firstName = "X", lastName = "Y" })
            .WithIfMatch(9));
        var events = await practice.AuditEventsAsync($"clientId={id}");
        Assert.DoesNotContain(events, e => e.GetProperty("action").GetString() == "update");
    }
}

public sealed class ClientsOnSqlite(SqliteApi api) : ClientSuite(api), IClassFixture<SqliteApi>;

public sealed class ClientsOnSqlServer(SqlServerApi api) : ClientSuite(api), IClassFixture<SqlServerApi>;
