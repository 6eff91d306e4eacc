using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using PracticeApi.Infrastructure.Text;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// Dutch and English everywhere a person reads (issue 31.4): every problem title and detail, every field message and
/// every alert reason the source writes has Dutch, and a request gets the language it asks for (a portal client the
/// language they chose).
/// </summary>
public sealed partial class BilingualTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    // The titles ASP.NET Core gives the problems it writes itself (an unknown route, a wrong method...).
    private static readonly string[] FrameworkTitles =
    [
        "Bad Request", "Unauthorized", "Not Found", "Method Not Allowed", "Not Acceptable", "Request Timeout", "Precondition Failed",
        "Unsupported Media Type", "Unprocessable Entity", "Upgrade Required", "An error occurred while processing your request.",
    ];

    [Fact]
    public void Every_problem_type_field_message_and_alert_kind_the_source_writes_has_Dutch_and_the_catalogue_holds_nothing_else()
    {
        var texts = SourceTexts.All();
        Assert.True(texts.Count > 300, $"the sweep found only {texts.Count} texts: is it still reading the source?");
        var written = texts.Where(t => t.Template != "{}").ToList();
        var missing = written.Where(t => !(t.Role == "noun" ? Translations.KnownNouns : Translations.Known)
            .Contains(t.Template))
            .Select(t => $"{t.Where} ({t.Role}): {t.Template}").Distinct().ToList();
        Assert.True(missing.Count == 0, "No Dutch for:\n" + string.Join("\n", missing));

        // A value passed on (not written where the problem is made) only where its text is written elsewhere (and swept
        // there: a [MessageSource], a failure handed on) or is the practice's own: a measure's alert text.
        var passedOn = texts.Where(t => t.Template == "{}").Select(t => $"{t.Role} {t.Where.Split(':')[0]}").Distinct()
            .Order().ToList();
        Assert.Equal([
            "alert:critical_answer Features/Progress/ProgressCalculator.cs", "detail Infrastructure/Http/ApiExceptionHandler.cs",
            "detail Infrastructure/Http/Outcome.cs", "detail Infrastructure/Http/Problems.cs", "detail Infrastructure/Text/Translations.cs",
            "message Features/Exercises/Fields.cs", "message Features/Integration/WebhookStore.cs", "message Features/Measures/MeasuresApi.cs",
            "message Features/Measures/QuestionnaireImport.cs", "message Infrastructure/Http/QueryValueProblems.cs",
            "noun Features/Care/SafetyHold.cs", "noun Features/Exercises/VersionedDefinitions.cs", "noun Features/Sessions/SessionBooking.cs",
            "title Infrastructure/Http/Outcome.cs", "title Infrastructure/Http/Problems.cs",
            "title Infrastructure/Text/Translations.cs",
        ], passedOn);

        // Every alert kind has its reason written (and so translated), but for the practice-written critical answer.
        Assert.Equal(["critical_answer", "low_adherence", "new_breach", "no_step_progress", "recovery_setback",
            "safety_concern", "triggers_not_decreasing", "unsigned_notes"],
            texts.Where(t => t.Role.StartsWith("alert:", StringComparison.Ordinal)).Select(t => t.Role[6..])
                .Distinct().Order());

        // Nothing stale: each Dutch text answers an English one still written (or a framework title), with the same
        // holes.
        var stale = Translations.Known.Except(written.Select(t => t.Template)).Except(FrameworkTitles).Concat(
            Translations.KnownNouns.Except(written.Where(t => t.Role == "noun").Select(t => t.Template))).ToList();
        Assert.True(stale.Count == 0, "Dutch for English no longer written:\n" + string.Join("\n", stale));
        foreach (var english in Translations.Known.Concat(Translations.KnownNouns))
        {
            var holes = Hole().Matches(english).Count;
            // Each hole filled with a marker comes through in the Dutch, once ("Conflict" and "token" are Dutch too).
            var dutch = Translations.Translate(Hole().Replace(english, m => $"<{m.Index}>"), Languages.Dutch);
            Assert.True(holes == Regex.Matches(dutch, "<[0-9]+>").Count, $"{english} -> {dutch}");
        }
    }

    [Fact]
    public async Task A_problem_reads_in_the_language_the_request_asks_for_and_a_portal_client_in_their_own()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var missing = $"/api/v1/clients/{Guid.NewGuid()}";

        var dutch = await SendAsync(admin, HttpMethod.Get, missing, "nl-NL,nl;q=0.9,en;q=0.5");
        var problem = await dutch.AssertProblemAsync(404, "not-found");
        Assert.Equal(("Niet gevonden", "Er is geen cliënt met deze id in je praktijk en caseload."),
            (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()));
        Assert.Equal(["nl"], dutch.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", dutch.Headers.Vary);
        var english = await (await SendAsync(admin, HttpMethod.Get, missing, "en-GB, nl;q=0.2"))
            .AssertProblemAsync(404, "not-found");
        Assert.Equal("No client with this id exists in your practice and caseload.", english.GetProperty("detail")
            .GetString());
        Assert.Equal("Not found", (await (await SendAsync(admin, HttpMethod.Get, missing, "fr"))
            .AssertProblemAsync(404)).GetProperty("title").GetString());

        // Validation: our messages and the validator's own, each field's in Dutch.
        var outside = await (await SendAsync(admin, HttpMethod.Post, $"/api/v1/clients/{c.A}/measure-assignments", "nl",
            new { measureId = Guid.NewGuid(), cadence = "hourly" })).AssertProblemAsync(400, "validation");
        Assert.Equal("Een of meer velden zijn ongeldig.", outside.GetProperty("title").GetString());
        Assert.Equal("cadence moet een van deze zijn: once, daily, weekly, monthly.", outside.GetProperty("errors")
            .GetProperty("cadence")[0].GetString());
        var invalid = await (await SendAsync(admin, HttpMethod.Post, $"/api/v1/clients/{c.A}/measure-assignments", "nl",
            new { measureId = Guid.NewGuid(), cadence = "Weekly", note = new string('x', 2001) }))
                .AssertProblemAsync(400, "validation");
        Assert.Contains("2000", invalid.GetProperty("errors").GetProperty("note")[0].GetString());
        Assert.DoesNotContain("characters", invalid.GetProperty("errors").GetProperty("note")[0].GetString());
        var unreadable = await (await SendAsync(admin, HttpMethod.Get, "/api/v1/clients?limit=abc", "nl"))
            .AssertProblemAsync(400, "validation");
        Assert.Equal("limit moet een geheel getal zijn.", unreadable.GetProperty("errors")
            .GetProperty("limit")[0].GetString());
        var unauthorized = await (await SendAsync(api.ClientWith(null), HttpMethod.Get, "/api/v1/clients", "nl"))
            .AssertProblemAsync(401);
        Assert.Equal("Niet aangemeld", unauthorized.GetProperty("title").GetString());

        // A portal client chose Dutch: without an Accept-Language they read Dutch; asking for English, English.
        var portal = await (await c.PortalA.PostAsJsonAsync("/api/v1/me/measures", new { measureId = Guid.NewGuid(),
            answers = new { }, occurrenceDate = "2026-01-01" }))
            .AssertProblemAsync(400, "validation");
        Assert.Equal("occurrenceDate hoort bij een assignmentId.", portal.GetProperty("errors")
            .GetProperty("occurrenceDate")[0].GetString());
        var asked = await (await SendAsync(c.PortalA, HttpMethod.Get, $"/api/v1/me/assignments/{Guid.NewGuid()}", "en"))
            .AssertProblemAsync(404);
        Assert.Equal("No assignment with this id exists in your practice and caseload.", asked.GetProperty("detail")
            .GetString());
        // An Accept-Language that does not parse names no language: English, never a 500.
        var garbled = new HttpRequestMessage(HttpMethod.Get, missing);
        garbled.Headers.TryAddWithoutValidation("Accept-Language", "nl;q=abc, ;;==, \u00ff");
        Assert.Equal("Not found", (await (await admin.SendAsync(garbled)).AssertProblemAsync(404)).GetProperty("title")
            .GetString());
        var framework = await (await SendAsync(admin, HttpMethod.Delete, "/api/v1/alerts", "nl"))
            .AssertProblemAsync(405, "method-not-allowed");
        Assert.Equal("Methode niet toegestaan", framework.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Alert_reasons_read_in_the_language_asked_for()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/breaches",
            new { occurredOn = api.Today.AddDays(-1).ToString("yyyy-MM-dd"), type = "lies_or_secrets" }))
            .ReadJsonAsync(201);
        await (await admin.PostAsJsonAsync($"/api/v1/couples/{c.CoupleId}/safety-screenings", new { clientId = c.A,
            abuseOrDanger = false, untreatedAddiction = true }))
            .ReadJsonAsync(201);
        var url = $"/api/v1/couples/{c.CoupleId}/alerts";
        var nl = await SendAsync(admin, HttpMethod.Get, url, "nl");
        var reasons = (await nl.ReadJsonAsync(200)).GetProperty("items").EnumerateArray()
            .ToDictionary(a => a.GetProperty("kind").GetString()!, a => a.GetProperty("reason").GetString());
        Assert.Equal("In de afgelopen 30 dagen is een nieuwe vertrouwensbreuk vastgelegd.", reasons["new_breach"]);
        Assert.StartsWith("De laatste veiligheidsscreening van een partner meldt gevaar", reasons["safety_concern"]);
        Assert.Equal(["nl"], nl.Content.Headers.ContentLanguage);
        var en = (await (await admin.GetAsync(url)).ReadJsonAsync(200)).GetProperty("items").EnumerateArray()
            .Single(a => a.GetProperty("kind").GetString() == "new_breach");
        Assert.Equal("A new breach of trust was recorded in the last 30 days.", en.GetProperty("reason").GetString());
        var all = (await (await SendAsync(admin, HttpMethod.Get, "/api/v1/alerts", "nl")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray();
        Assert.Contains(all, a => a.GetProperty("reason").GetString() == reasons["new_breach"]);
    }

    [Fact]
    public async Task A_portal_client_reads_the_exercise_they_were_given_in_their_language_and_no_one_elses()
    {
        var c = await api.NewCoupleCaseAsync();
        var admin = c.Practice.Admin;
        var templates = (await (await admin.GetAsync("/api/v1/exercise-templates?limit=200")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray();
        var checkIn = templates.Single(t => t.GetProperty("key").GetString() == "daily_check_in");
        Assert.Equal("en", checkIn.GetProperty("language").GetString()); // staff without Accept-Language: English
        var assignment = (await (await admin.PostAsJsonAsync("/api/v1/assignments",
            new { templateId = checkIn.GetProperty("id").GetGuid(), coupleId = c.CoupleId }))
            .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var url = $"/api/v1/me/assignments/{assignment}/exercise";

        var mine = await c.PortalA.GetAsync(url);
        var dutch = await mine.ReadJsonAsync(200);
        Assert.Equal(("nl", checkIn.GetProperty("translations").GetProperty("title").GetProperty("nl").GetString()),
            (dutch.GetProperty("language").GetString(), dutch.GetProperty("title").GetString()));
        Assert.Equal(["nl"], mine.Content.Headers.ContentLanguage);
        Assert.NotEmpty(dutch.GetProperty("fields").EnumerateArray());
        var english = await (await SendAsync(c.PortalA, HttpMethod.Get, url, "en")).ReadJsonAsync(200);
        Assert.Equal(checkIn.GetProperty("title").GetString(), english.GetProperty("title").GetString());
        var staffDutch = await (await SendAsync(admin, HttpMethod.Get,
            $"/api/v1/exercise-templates/{checkIn.GetProperty("id").GetGuid()}", "nl")).ReadJsonAsync(200);
        Assert.Equal(dutch.GetProperty("title").GetString(), staffDutch.GetProperty("title").GetString());

        var other = await api.NewCoupleCaseAsync();
        await (await other.PortalA.GetAsync(url)).AssertProblemAsync(404, "not-found");
        await (await c.PortalA.GetAsync($"/api/v1/me/assignments/{Guid.NewGuid()}/exercise")).AssertProblemAsync(404,
            "not-found");
        await (await admin.GetAsync(url)).AssertProblemAsync(403);
        await (await api.ClientWith(null).GetAsync(url)).AssertProblemAsync(401);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url,
        string language, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.AcceptLanguage.ParseAdd(language);
        return client.SendAsync(request);
    }

    [GeneratedRegex(@"\{\}|\{[A-Za-z]+\}")]
    private static partial Regex Hole();
}
