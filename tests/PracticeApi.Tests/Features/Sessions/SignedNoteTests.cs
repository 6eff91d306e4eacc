using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Sessions;

/// <summary>Signed notes, addenda and the unsigned-notes to-do (the clinical record issue, part 1).</summary>
public sealed class SignedNoteTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static readonly object Soap = new
    {
        format = "soap", sections = new Dictionary<string, string> { ["subjective"] = "s", ["objective"] = "o", ["assessment"] = "a", ["plan"] = "p" },
    };

    private async Task<(PracticeContext Practice, PracticeContext.Member Treating, PracticeContext.Member Colleague,
        Guid Session)> CompletedSessionAsync()
    {
        var practice = await api.NewPracticeAsync();
        var treating = await practice.AddTherapistAsync();
        var colleague = await practice.AddTherapistAsync();
        var client = await treating.Client.CreateClientIdAsync(new[] { treating.Id, colleague.Id });
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var session = await treating.Client.CreateSessionAsync(new { clientId = client }, new DateTime(now.Year,
            now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(-2));
        (await treating.Client.PostAsJsonAsync($"/api/v1/sessions/{session}/complete",
            new { attendance = new[] { new { clientId = client, attended = true } }, note = Soap }))
                .EnsureSuccessStatusCode();
        return (practice, treating, colleague, session);
    }

    private static HttpRequestMessage Sign(Guid session, int? version = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sessions/{session}/note/sign");
        return version is null ? request : request.WithIfMatch(version.Value);
    }

    [Fact]
    public async Task Only_the_treating_therapist_signs_once_and_the_signature_is_audited()
    {
        var (practice, treating, colleague, session) = await CompletedSessionAsync();
        var before = await (await treating.Client.GetAsync($"/api/v1/sessions/{session}")).ReadJsonAsync(200);
        var version = before.GetProperty("version").GetInt32();
        Assert.Equal(JsonValueKind.Null, before.GetProperty("noteSignature").ValueKind);

        await (await colleague.Client.SendAsync(Sign(session))).AssertProblemAsync(403, "not-treating-therapist");
        await (await practice.Admin.SendAsync(Sign(session))).AssertProblemAsync(403, "not-treating-therapist");
        await (await treating.Client.SendAsync(Sign(session, version - 1))).AssertProblemAsync(412, "stale-version");
        var unchanged = await (await treating.Client.GetAsync($"/api/v1/sessions/{session}")).ReadJsonAsync(200);
        Assert.Equal(version, unchanged.GetProperty("version").GetInt32());

        var signed = await treating.Client.SendAsync(Sign(session, version));
        var body = await signed.ReadJsonAsync(200);
        Assert.Equal(treating.Id, body.GetProperty("noteSignature").GetProperty("signedBy").GetGuid());
        Assert.Equal(version + 1, body.GetProperty("version").GetInt32());
        Assert.Equal($"\"{version + 1}\"", signed.Headers.ETag!.Tag);

        await (await treating.Client.SendAsync(Sign(session))).AssertProblemAsync(409, "note-signed");
        var audit = await practice.AuditEventsAsync($"resourceType=session");
        Assert.Single(audit, e => e.GetProperty("resourceId").GetString() == session.ToString()
            && e.GetProperty("detail").GetString() == "note signed");
    }

    [Fact]
    public async Task Addenda_are_listed_with_the_note_after_signing_and_only_staff_who_see_the_session_add_them()
    {
        var (practice, treating, _, session) = await CompletedSessionAsync();
        (await treating.Client.SendAsync(Sign(session))).EnsureSuccessStatusCode();

        await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{session}/note/addenda", new { text = "  " }))
            .AssertProblemAsync(400, "validation");
        var integration = await practice.IntegrationAsync("sessions:read", "sessions:write");
        await (await integration.PostAsJsonAsync($"/api/v1/sessions/{session}/note/addenda", new { text = "x" }))
            .AssertProblemAsync(403, "forbidden");
        var stranger = await practice.AddTherapistAsync();
        await (await stranger.Client.PostAsJsonAsync($"/api/v1/sessions/{session}/note/addenda", new { text = "x" }))
            .AssertProblemAsync(404, "not-found");
        var other = await api.NewPracticeAsync();
        await (await other.Admin.PostAsJsonAsync($"/api/v1/sessions/{session}/note/addenda", new { text = "x" }))
            .AssertProblemAsync(404, "not-found");
        await (await api.ClientWith(null).PostAsJsonAsync($"/api/v1/sessions/{session}/note/addenda",
            new { text = "x" })).AssertProblemAsync(401, "unauthorized");
        var untouched = await (await treating.Client.GetAsync($"/api/v1/sessions/{session}")).ReadJsonAsync(200);
        Assert.Empty(untouched.GetProperty("noteAddenda").EnumerateArray());

        var created = await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{session}/note/addenda",
            new { text = "The plan also covers the weekly rating." });
        var addendum = await created.ReadJsonAsync(201);
        Assert.Equal(practice.AdminId, addendum.GetProperty("authorId").GetGuid());
        var read = await (await treating.Client.GetAsync($"/api/v1/sessions/{session}")).ReadJsonAsync(200);
        var listed = Assert.Single(read.GetProperty("noteAddenda").EnumerateArray());
        Assert.Equal("The plan also covers the weekly rating.", listed.GetProperty("text").GetString());
        Assert.Equal("p", read.GetProperty("note").GetProperty("sections").GetProperty("plan").GetString());
        Assert.Equal(untouched.GetProperty("version").GetInt32() + 1, read.GetProperty("version").GetInt32());
        // Integrations never see note text, addenda included.
        var seen = await (await integration.GetAsync($"/api/v1/sessions/{session}")).ReadJsonAsync(200);
        Assert.Empty(seen.GetProperty("noteAddenda").EnumerateArray());
    }

    [Fact]
    public async Task A_session_without_a_note_cannot_be_signed_or_amended()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var session = await practice.Admin.CreateSessionAsync(new { clientId = client }, api.Clock.GetUtcNow()
            .UtcDateTime.AddDays(2));
        await (await practice.Admin.SendAsync(Sign(session))).AssertProblemAsync(409, "no-note");
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{session}/note/addenda", new { text = "x" }))
            .AssertProblemAsync(409, "no-note");
    }

    [Fact]
    public async Task Notes_left_unsigned_too_long_are_the_therapists_to_do_until_signed()
    {
        var (practice, treating, colleague, session) = await CompletedSessionAsync();
        Assert.Empty((await (await treating.Client.GetAsync("/api/v1/notes/unsigned")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());

        api.Clock.Advance(TimeSpan.FromDays(4));
        var due = Assert.Single((await (await treating.Client.GetAsync("/api/v1/notes/unsigned")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(session, due.GetProperty("sessionId").GetGuid());
        Assert.Equal(4, due.GetProperty("daysWaiting").GetInt32());
        Assert.Empty((await (await colleague.Client.GetAsync("/api/v1/notes/unsigned")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        await (await colleague.Client.GetAsync($"/api/v1/notes/unsigned?therapistId={treating.Id}"))
            .AssertProblemAsync(403, "forbidden");
        Assert.Single((await (await practice.Admin.GetAsync($"/api/v1/notes/unsigned?therapistId={treating.Id}"))
            .ReadJsonAsync(200)).GetProperty("items").EnumerateArray());
        await (await treating.Client.GetAsync("/api/v1/notes/unsigned?cursor=nonsense")).AssertProblemAsync(400,
            "validation");
        var alert = Assert.Single((await (await treating.Client.GetAsync("/api/v1/alerts")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray(), a => a.GetProperty("kind").GetString() == "unsigned_notes");
        Assert.Equal(1, alert.GetProperty("data").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("coupleId").ValueKind);
        Assert.DoesNotContain((await (await colleague.Client.GetAsync("/api/v1/alerts")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray(), a => a.GetProperty("kind").GetString() == "unsigned_notes");

        (await treating.Client.SendAsync(Sign(session))).EnsureSuccessStatusCode();
        Assert.Empty((await (await treating.Client.GetAsync("/api/v1/notes/unsigned")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        Assert.DoesNotContain((await (await treating.Client.GetAsync("/api/v1/alerts")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray(), a => a.GetProperty("kind").GetString() == "unsigned_notes");
    }
}
