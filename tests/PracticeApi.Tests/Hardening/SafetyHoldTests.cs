using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>
/// The safety hold everywhere and discreetly (issue 26.5): a couple session is conjoint work like any other, answers
/// the partners would share stay with their author while a screening reports abuse or danger, and a partner's portal
/// never learns that there was a screening.
/// </summary>
public sealed partial class SafetyHoldTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static readonly string[] Telling = ["screening", "safety", "danger", "abuse", "hold", "override"];

    private async Task<CoupleCase> HeldCoupleAsync(bool abuse = true)
    {
        var c = await api.NewCoupleCaseAsync();
        await (await c.Practice.Admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings",
            new { clientId = c.A, abuseOrDanger = abuse, untreatedAddiction = !abuse, notes = "Partner B fears B's reaction at home." })).ReadJsonAsync(201);
        return c;
    }

    private string NextWeek(int hour = 10) => api.Clock.GetUtcNow().UtcDateTime.Date.AddDays(7).AddHours(hour)
        .ToString("yyyy-MM-ddTHH:mm:ssZ");

    [Fact]
    public async Task Every_route_that_starts_conjoint_work_honours_the_safety_hold_and_audits_an_override()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var lines = new[] { new { area = "Phone", agreement = "Phones stay open to each other", measure = "Weekly check" } };
        await (await admin.PutAsJsonAsync($"/api/v1/couples/{c.CoupleId}/trust-contract", new { lines }))
            .ReadJsonAsync(200);
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings",
            new { clientId = c.A, abuseOrDanger = true, untreatedAddiction = false })).ReadJsonAsync(201);

        // Refused without a reason, and nothing changes.
        var plan = new { partners = new[] { new { clientId = c.A, myTriggers = "Late messages", mySteps = "Breathe, then ask" } } };
        await (await admin.PutAsJsonAsync($"/api/v1/couples/{c.CoupleId}/trust-contract", new { lines }))
            .AssertProblemAsync(409, "safety-hold");
        await (await admin.PutAsJsonAsync($"/api/v1/couples/{c.CoupleId}/trigger-plan", plan)).AssertProblemAsync(409,
            "safety-hold");
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/trust-contract/agreements",
            new { clientId = c.A })).AssertProblemAsync(409, "safety-hold");
        // A partner cannot override, reason or not.
        await (await c.PortalB.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/trust-contract/agreements",
            new { clientId = c.B, safetyOverrideReason = "I want to" })).AssertProblemAsync(409, "not-available-now");
        // Sharing one partner's answers with the other waits while there is danger; private stays allowed.
        var today = api.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var visibility in new[] { "shared", "mutual_reveal" })
        {
            await (await admin.PostAsJsonAsync("/api/v1/assignments",
                new { templateId = Infrastructure.ExerciseWork.DailyCheckIn, coupleId = c.CoupleId, startsOn = today, visibility }))
                .AssertProblemAsync(409, "safety-hold");
        }

        await admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = today, visibility = "private" });
        var contract = await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/trust-contract")).ReadJsonAsync(200);
        Assert.Equal(1, contract.GetProperty("version").GetInt32());
        Assert.Empty(contract.GetProperty("agreements").EnumerateArray());
        await (await admin.GetAsync($"/api/v1/couples/{c.CoupleId}/trigger-plan")).AssertProblemAsync(404);

        // With a reason, staff go ahead, and each override is audited.
        await (await admin.PutAsJsonAsync($"/api/v1/couples/{c.CoupleId}/trust-contract", new { lines,
            safetyOverrideReason = "Agreed in session with the safety plan" })).ReadJsonAsync(200);
        await (await admin.PutAsJsonAsync($"/api/v1/couples/{c.CoupleId}/trigger-plan", new { plan.partners,
            safetyOverrideReason = "Part of the safety plan" })).ReadJsonAsync(200);
        await admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn, coupleId = c.CoupleId,
            startsOn = today, visibility = "shared", safetyOverrideReason = "Supervised" });
        var overrides = (await c.Practice.AuditEventsAsync($"clientId={c.A}")).Where(e => e.GetProperty("action")
            .GetString() == "override")
            .Select(e => e.GetProperty("resourceType").GetString()).ToList();
        Assert.Contains("trust_contract", overrides);
        Assert.Contains("trigger_plan", overrides);
        Assert.Contains("assignment", overrides);
    }

    [SkippableFact]
    public async Task Booking_a_couple_session_during_the_hold_needs_a_staff_override_which_is_audited()
    {
        var c = await HeldCoupleAsync();
        var admin = c.Practice.Admin;
        var integration = await c.Practice.IntegrationAsync("sessions:read", "sessions:write");
        var single = new { coupleId = c.CoupleId, kind = "couple", modality = "in_person", startsAt = NextWeek(), durationMinutes = 60 };
        var series = new { coupleId = c.CoupleId, kind = "couple", modality = "in_person", startsAt = NextWeek(12), durationMinutes = 60, everyWeeks = 1, count = 3 };
        var events = await EventCountAsync(c.Practice);

        // Every way to book refuses without a reason, and an integration cannot give one.
        var refusals = new List<HttpResponseMessage>
        {
            await admin.PostAsJsonAsync("/api/v1/sessions", single),
            await admin.PutAsJsonAsync(
                "/api/v1/sessions/by-identifier?system=https://ehr.example/appointments&value=A-1", single),
            await admin.PostAsJsonAsync("/api/v1/session-series", series),
            await integration.PostAsJsonAsync("/api/v1/sessions", new
            {
                coupleId = c.CoupleId, therapistId = c.Practice.AdminId, kind = "couple", modality = "in_person", startsAt = NextWeek(), durationMinutes = 60,
                safetyOverrideReason = "The EHR says so",
            }),
        };
        foreach (var refused in refusals)
        {
            var problem = await refused.AssertProblemAsync(409, "safety-hold");
            Assert.Contains("safetyOverrideReason", problem.GetProperty("detail").GetString());
        }

        Assert.Empty((await (await admin.GetAsync($"/api/v1/sessions?coupleId={c.CoupleId}"))
            .ReadJsonAsync(200)).Ids());
        Assert.Equal(events, await EventCountAsync(c.Practice));
        Assert.DoesNotContain(await c.Practice.AuditEventsAsync($"clientId={c.A}"), e => e.GetProperty("action")
            .GetString() == "override");

        // A partner's own individual session is not conjoint work: it is booked as ever.
        await (await admin.PostAsJsonAsync("/api/v1/sessions", new { clientId = c.A, kind = "individual",
            modality = "video", startsAt = NextWeek(15), durationMinutes = 50 }))
            .ReadJsonAsync(201);

        // Staff go ahead with a reason: booked, and the override is in the trail against the session and the series.
        var booked = await (await admin.PostAsJsonAsync("/api/v1/sessions", new
        {
            coupleId = c.CoupleId, kind = "couple", modality = "in_person", startsAt = NextWeek(), durationMinutes = 60,
            safetyOverrideReason = "Safety plan agreed with each partner separately",
        })).ReadJsonAsync(201);
        var bookedSeries = await (await admin.PostAsJsonAsync("/api/v1/session-series", new
        {
            coupleId = c.CoupleId, kind = "couple", modality = "in_person", startsAt = NextWeek(12), durationMinutes = 60, everyWeeks = 1, count = 3,
            safetyOverrideReason = "Safety plan agreed with each partner separately",
        })).ReadJsonAsync(201);
        var overrides = (await c.Practice.AuditEventsAsync($"clientId={c.B}")).Where(e => e.GetProperty("action")
            .GetString() == "override").ToList();
        Assert.Contains(overrides, e => e.GetProperty("resourceType").GetString() == "session"
            && e.GetProperty("resourceId").GetGuid() == booked.GetProperty("id").GetGuid());
        Assert.Contains(overrides, e => e.GetProperty("resourceType").GetString() == "session_series" &&
                                        e.GetProperty("resourceId").GetGuid() == bookedSeries.GetProperty("id")
                                            .GetGuid());
        Assert.All(overrides, e => Assert.Contains("Safety plan agreed", e.GetProperty("detail").GetString()));

        // Lifting the hold (a new screening without concern) lets a couple session be booked without a reason again.
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = false, untreatedAddiction = false }))
            .ReadJsonAsync(201);
        await (await admin.PostAsJsonAsync("/api/v1/sessions", single with { startsAt = NextWeek(17) }))
            .ReadJsonAsync(201);
    }

    [SkippableFact]
    public async Task Rescheduling_a_couple_session_during_the_hold_needs_the_override_too()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var booked = await (await admin.PostAsJsonAsync("/api/v1/sessions", new
        {
            coupleId = c.CoupleId, kind = "couple", modality = "in_person", startsAt = NextWeek(), durationMinutes = 60,
        })).ReadJsonAsync(201);
        var id = booked.GetProperty("id").GetGuid();
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = true, untreatedAddiction = false }))
            .ReadJsonAsync(201);

        var moved = new { kind = "couple", modality = "video", startsAt = NextWeek(14), durationMinutes = 60 };
        await (await admin.PutAsJsonAsync($"/api/v1/sessions/{id}", moved)).AssertProblemAsync(409, "safety-hold");
        var unchanged = await (await admin.GetAsync($"/api/v1/sessions/{id}")).ReadJsonAsync(200);
        Assert.Equal(booked.GetProperty("startsAt").GetString(), unchanged.GetProperty("startsAt").GetString());

        await (await admin.PutAsJsonAsync($"/api/v1/sessions/{id}", new
        {
            moved.kind, moved.modality, moved.startsAt, moved.durationMinutes, safetyOverrideReason = "Session with the safety plan in place",
        })).ReadJsonAsync(200);
        var overrides = (await c.Practice.AuditEventsAsync($"clientId={c.A}")).Where(e => e.GetProperty("action")
            .GetString() == "override").ToList();
        Assert.Contains(overrides, e => e.GetProperty("resourceType").GetString() == "session"
            && e.GetProperty("resourceId").GetGuid() == id);
    }

    /// <summary>Moving a couple's series "this and following" is its sibling: the same hold, the same override.</summary>
    [SkippableFact]
    public async Task Rescheduling_a_couple_series_during_the_hold_needs_the_override_too()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var series = await (await admin.PostAsJsonAsync("/api/v1/session-series", new
        {
            coupleId = c.CoupleId, kind = "couple", modality = "in_person", startsAt = NextWeek(), durationMinutes = 60,
            everyWeeks = 1, count = 3,
        })).ReadJsonAsync(201);
        var seriesId = series.GetProperty("id").GetGuid();
        var first = series.GetProperty("sessions")[0];
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = true, untreatedAddiction = false })).ReadJsonAsync(201);
        var events = await EventCountAsync(c.Practice);

        var move = new { fromSessionId = first.GetProperty("id").GetGuid(), startsAt = NextWeek(15), durationMinutes = 60 };
        var problem = await (await admin.PostAsJsonAsync($"/api/v1/session-series/{seriesId}/reschedule", move))
            .AssertProblemAsync(409, "safety-hold");
        Assert.Contains("safetyOverrideReason", problem.GetProperty("detail").GetString());
        var unchanged = await (await admin.GetAsync($"/api/v1/session-series/{seriesId}")).ReadJsonAsync(200);
        Assert.Equal(first.GetProperty("startsAt").GetString(),
            unchanged.GetProperty("sessions")[0].GetProperty("startsAt").GetString());
        Assert.Equal(events, await EventCountAsync(c.Practice));

        var moved = await (await admin.PostAsJsonAsync($"/api/v1/session-series/{seriesId}/reschedule", new
        {
            move.fromSessionId, move.startsAt, move.durationMinutes, safetyOverrideReason = "Sessions with the safety plan in place",
        })).ReadJsonAsync(200);
        Assert.NotEqual(first.GetProperty("startsAt").GetString(),
            moved.GetProperty("sessions")[0].GetProperty("startsAt").GetString());
        Assert.Contains(await c.Practice.AuditEventsAsync($"clientId={c.A}"), e =>
            e.GetProperty("action").GetString() == "override" && e.GetProperty("resourceType").GetString() == "session_series"
            && e.GetProperty("resourceId").GetGuid() == seriesId);
    }

    [SkippableFact]
    public async Task Answers_already_shared_stay_with_their_author_while_a_screening_reports_abuse_or_danger()
    {
        api.Clock.Set(Infrastructure.ExerciseWork.Utc("2027-03-10T10:00:00Z"));
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var shared = await admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, visibility = "shared", startsOn = "2027-03-10" });
        var mutual = await admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, visibility = "mutual_reveal", startsOn = "2027-03-10" });
        foreach (var assignment in new[] { shared, mutual })
        {
            await (await c.PortalA.AnswerAsync(assignment, "2027-03-10", Infrastructure.ExerciseWork.CheckIn("stormy")))
                .ReadJsonAsync(201);
            await (await c.PortalB.AnswerAsync(assignment, "2027-03-10", Infrastructure.ExerciseWork.CheckIn("sunny")))
                .ReadJsonAsync(201);
        }

        Assert.Equal(2, await SeenByBAsync(c, c.A));

        // A screening that reports abuse or danger: what A wrote stops reaching B, on the portal and in B's export.
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = true, untreatedAddiction = false }))
            .ReadJsonAsync(201);
        Assert.Equal(0, await SeenByBAsync(c, c.A));
        Assert.Equal(2, await SeenByBAsync(c, c.B)); // B's own answers are B's
        foreach (var assignment in new[] { shared, mutual })
        {
            var forA = await (await c.PortalA.GetAsync($"/api/v1/me/assignments/{assignment}/responses"))
                .ReadJsonAsync(200);
            Assert.All(forA.GetProperty("items").EnumerateArray(), r => Assert.Equal(c.A, r.GetProperty("respondentId")
                .GetGuid()));
        }

        // Staff still see everything.
        var staffView = await (await admin.GetAsync($"/api/v1/assignments/{shared}/responses")).ReadJsonAsync(200);
        Assert.Equal(2, staffView.GetProperty("items").GetArrayLength());

        // An untreated addiction alone holds conjoint work but not what the partners already share.
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = false, untreatedAddiction = true }))
            .ReadJsonAsync(201);
        Assert.Equal(2, await SeenByBAsync(c, c.A));
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.B,
            abuseOrDanger = true, untreatedAddiction = false }))
            .ReadJsonAsync(201);
        Assert.Equal(0, await SeenByBAsync(c, c.A));

        // Lifted: visible again.
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.B,
            abuseOrDanger = false, untreatedAddiction = false }))
            .ReadJsonAsync(201);
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = false, untreatedAddiction = false }))
            .ReadJsonAsync(201);
        Assert.Equal(2, await SeenByBAsync(c, c.A));
    }

    /// <summary>How many of <paramref name="author"/>'s answers B sees, through B's portal and in B's export alike
    /// (which must agree).</summary>
    private static async Task<int> SeenByBAsync(CoupleCase c, Guid author)
    {
        var assignments = (await (await c.PortalB.GetAsync("/api/v1/me/assignments")).ReadJsonAsync(200)).Ids();
        var portal = 0;
        foreach (var assignment in assignments)
        {
            var page = await (await c.PortalB.GetAsync($"/api/v1/me/assignments/{assignment}/responses"))
                .ReadJsonAsync(200);
            portal += page.GetProperty("items").EnumerateArray().Count(r => r.GetProperty("respondentId")
                .GetGuid() == author);
        }

        var export = await (await c.Practice.Admin.PostAsync($"/api/v1/clients/{c.B}/export", null)).ReadJsonAsync(200);
        var exported = export.GetProperty("exerciseResponses").EnumerateArray().Count(r => r.GetProperty("respondentId")
            .GetGuid() == author);
        Assert.Equal(portal, exported);
        return portal;
    }

    [SkippableFact]
    public async Task No_answer_to_a_partner_on_any_portal_route_mentions_a_screening_or_a_hold()
    {
        api.Clock.Set(Infrastructure.ExerciseWork.Utc("2027-03-10T10:00:00Z"));
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        // Work made before the hold and by override during it: the partners see the work, never why it was allowed.
        var checkIn = await admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, visibility = "shared", startsOn = "2027-03-10" });
        var lines = new[] { new { area = "Phone", agreement = "Phones stay open to each other", measure = "Weekly check" } };
        await (await admin.PutAsJsonAsync($"/api/v1/couples/{c.CoupleId}/trust-contract", new { lines }))
            .ReadJsonAsync(200);
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings",
            new { clientId = c.A, abuseOrDanger = true, untreatedAddiction = false, notes = "Danger at home reported by partner B." })).ReadJsonAsync(201);
        var overridden = await admin.AssignAsync(new
        {
            templateId = Infrastructure.ExerciseWork.TemplateId(
                "trust_contract"), coupleId = c.CoupleId, safetyOverrideReason = "Abuse screened; safety plan in place",
        });

        var bodies = new List<(string Where, string Body)>();
        var statuses = new List<(string Where, int Status, string? Type)>();
        foreach (var (portal, self) in new[] { (c.PortalA, c.A), (c.PortalB, c.B) })
        {
            // The conjoint work a partner may start themselves, with real bodies: each meets the hold.
            var tries = new (HttpMethod Method, string Path, object Body)[]
            {
                (HttpMethod.Put, $"/api/v1/couples/{c.CoupleId}/trust-contract",
                    new { lines = new[] { new { area = "Phone", agreement = "I answer when you call in the evening.", measure = "Every evening this month" } } }),
                (HttpMethod.Post, $"/api/v1/couples/{c.CoupleId}/trust-contract/agreements", new { clientId = self }),
                (HttpMethod.Put, $"/api/v1/couples/{c.CoupleId}/trigger-plan",
                    new { partners = new[] { new { clientId = self, myTriggers = "Late messages", mySteps = "I say so and take a walk" } } }),
            };
            foreach (var (method, path, body) in tries)
            {
                using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
                request.Headers.TryAddWithoutValidation("If-Match", "*");
                await Collect(portal, request, $"{method} {path}");
            }

            // Every operation of the document a partner may call, with a body built from its schema and our ids.
            foreach (var (path, method, schema) in OpenApiDocument.Operations())
            {
                if (!path.StartsWith("/api/v1/me",
                    StringComparison.Ordinal)
                    && !path.StartsWith("/api/v1/couples/{id}/", StringComparison.Ordinal)) continue;
                var url = path.Replace("{id}", path.StartsWith("/api/v1/me/assignments", StringComparison.Ordinal)
                    ? (path.Contains("responses") || path.Contains("occurrences") ? checkIn : overridden).ToString()
                    : c.CoupleId.ToString());
                url = PathParameter().Replace(url, Guid.NewGuid().ToString());
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                if (schema is not null)
                {
                    var body = OpenApiDocument.Sample(OpenApiDocument.Schemas[schema]!)!;
                    request.Content = new StringContent(WithIds(body, self, c.CoupleId).ToJsonString(),
                        System.Text.Encoding.UTF8, "application/json");
                }

                await Collect(portal, request, $"{method.ToUpperInvariant()} {path}");
            }
        }

        Assert.True(statuses.Count > 40, $"only {statuses.Count} portal requests made");
        Assert.DoesNotContain(statuses, s => s.Status >= 500);
        Assert.Equal(4, statuses.Count(s => s.Where.EndsWith("/agreements",
            StringComparison.Ordinal) && s.Type == "not-available-now"));
        Assert.DoesNotContain(statuses, s => s.Type == "safety-hold");
        foreach (var (where, body) in bodies)
        {
            foreach (var text in Strings(JsonNode.Parse(body)))
            {
                Assert.False(Telling.Any(word => text.Contains(word, StringComparison.OrdinalIgnoreCase)),
                    $"{where} tells a partner: {text}");
            }
        }

        // The portal's own views of the work carry no override reason.
        var mine = await (await c.PortalB.GetAsync($"/api/v1/me/assignments/{overridden}")).ReadJsonAsync(200);
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("safetyOverrideReason").ValueKind);

        async Task Collect(HttpClient portal, HttpRequestMessage request, string where)
        {
            var answer = await portal.SendAsync(request);
            var text = await answer.Content.ReadAsStringAsync();
            string? type = null;
            if (text.StartsWith('{') || text.StartsWith('['))
            {
                bodies.Add((where, text));
                type = JsonNode.Parse(text) is JsonObject o && o["type"] is JsonValue t
                    && t.TryGetValue<string>(out var s) ? s.Split('/')[^1] : null;
            }

            statuses.Add((where, (int)answer.StatusCode, type));
        }
    }

    private static JsonNode WithIds(JsonNode body, Guid self, Guid coupleId)
    {
        if (body is JsonObject o)
        {
            foreach (var name in o.Select(p => p.Key).ToList())
            {
                if (name is "clientId" or "respondentId" or "owner") o[name] = self.ToString();
                else if (name == "coupleId") o[name] = coupleId.ToString();
                else if (o[name] is { } child) WithIds(child, self, coupleId);
            }
        }
        else if (body is JsonArray a)
        {
            foreach (var item in a) if (item is not null) WithIds(item, self, coupleId);
        }

        return body;
    }

    /// <summary>Every string value in a JSON answer (member names are the API's vocabulary, not what a partner is
    /// told).</summary>
    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static async Task<int> EventCountAsync(PracticeContext practice) =>
        (await (await practice.Admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200)).GetProperty("items")
            .GetArrayLength();

    [GeneratedRegex("\\{[^}]+\\}")]
    private static partial Regex PathParameter();
}
