using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Therapists;

public abstract class TherapistSuite(ApiFactory api)
{
    [SkippableFact]
    public async Task Admin_creates_reads_and_updates_a_therapist_with_etags()
    {
        var practice = await api.NewPracticeAsync();
        var create = await practice.Admin.PostAsJsonAsync("/api/v1/therapists", new { name = "Ann de Vries",
            email = "Ann@Example.test", role = "therapist" });
        var created = await create.ReadJsonAsync(201);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/therapists/{id}", create.Headers.Location!.OriginalString);
        Assert.Equal("ann@example.test", created.GetProperty("email").GetString());

        var get = await practice.Admin.GetAsync($"/api/v1/therapists/{id}");
        await get.ReadJsonAsync(200);
        Assert.Equal("\"1\"", get.Headers.ETag!.Tag);

        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/therapists/{id}")
        {
            Content = JsonContent.Create(new { name = "Ann de Vries-Bakker", email = "ann@example.test",
                role = "admin" }),
        };
        update.Headers.IfMatch.ParseAdd("\"1\"");
        var updated = await (await practice.Admin.SendAsync(update)).ReadJsonAsync(200);
        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        Assert.Equal("admin", updated.GetProperty("role").GetString());
    }

    [SkippableFact]
    public async Task Stale_if_match_is_412_and_changes_nothing()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync(name: "Original Name");
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/therapists/{therapist.Id}")
        {
            Content = JsonContent.Create(new { name = "Changed", email = "changed@example.test", role = "therapist" }),
        };
        update.Headers.IfMatch.ParseAdd("\"7\"");
        await (await practice.Admin.SendAsync(update)).AssertProblemAsync(412, "stale-version");

        var after = await (await practice.Admin.GetAsync($"/api/v1/therapists/{therapist.Id}")).ReadJsonAsync(200);
        Assert.Equal("Original Name", after.GetProperty("name").GetString());
        Assert.Equal(1, after.GetProperty("version").GetInt32());
    }

    [SkippableFact]
    public async Task Duplicate_email_in_a_practice_is_409_but_fine_across_practices()
    {
        var practice = await api.NewPracticeAsync();
        var other = await api.NewPracticeAsync();
        var body = new { name = "Sam", email = $"sam-{Guid.NewGuid():N}@example.test", role = "therapist" };
        await (await practice.Admin.PostAsJsonAsync("/api/v1/therapists", body)).ReadJsonAsync(201);
        await (await practice.Admin.PostAsJsonAsync("/api/v1/therapists",
            body with { email = body.email.ToUpperInvariant() }))
            .AssertProblemAsync(409, "duplicate-email");
        await (await other.Admin.PostAsJsonAsync("/api/v1/therapists", body)).ReadJsonAsync(201);

        var list = await (await practice.Admin.GetAsync("/api/v1/therapists")).ReadJsonAsync(200);
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
    }

    [SkippableFact]
    public async Task The_last_active_admin_cannot_be_demoted_or_deactivated()
    {
        var practice = await api.NewPracticeAsync();
        await (await practice.Admin.PostAsync($"/api/v1/therapists/{practice.AdminId}/deactivate", null))
            .AssertProblemAsync(409, "last-admin");
        var me = await (await practice.Admin.GetAsync($"/api/v1/therapists/{practice.AdminId}")).ReadJsonAsync(200);
        await (await practice.Admin.PutAsJsonAsync($"/api/v1/therapists/{practice.AdminId}",
            new { name = me.GetProperty("name").GetString(), email = me.GetProperty("email")
                .GetString(), role = "therapist" }))
            .AssertProblemAsync(409, "last-admin");
        await (await practice.Admin.GetAsync("/api/v1/me")).ReadJsonAsync(200);
    }

    [SkippableFact]
    public async Task Therapists_can_read_colleagues_but_not_change_them()
    {
        var practice = await api.NewPracticeAsync();
        var therapist = await practice.AddTherapistAsync();
        var list = await (await therapist.Client.GetAsync("/api/v1/therapists")).ReadJsonAsync(200);
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
        await (await therapist.Client.GetAsync($"/api/v1/therapists/{practice.AdminId}")).ReadJsonAsync(200);
    }

    [SkippableFact]
    public async Task Pagination_returns_every_therapist_exactly_once()
    {
        var practice = await api.NewPracticeAsync();
        for (var i = 0; i < 6; i++) await practice.AddTherapistAsync();

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await practice.Admin.GetAsync(
                $"/api/v1/therapists?limit=3{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync(200);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is not null && seen.Count == 3) await practice.AddTherapistAsync(); // rows added while paging
        } while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(8, seen.Count);
    }
}

public sealed class TherapistsOnSqlite(SqliteApi api) : TherapistSuite(api), IClassFixture<SqliteApi>;

public sealed class TherapistsOnSqlServer(SqlServerApi api) : TherapistSuite(api), IClassFixture<SqlServerApi>;
