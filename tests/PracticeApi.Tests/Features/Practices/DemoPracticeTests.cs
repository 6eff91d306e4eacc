using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Features.Practices;
using PracticeApi.Infrastructure.Examples;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Practices;

/// <summary>The demo practice a newcomer meets on `dotnet run`: every list shows something, and the three tokens
/// work.</summary>
public sealed class DemoPracticeTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task The_demo_practice_is_a_living_practice_and_each_printed_token_reaches_what_it_promises()
    {
        // Midday in Amsterdam, so that today's check-in is still open whatever the hour the suite runs.
        api.Clock.Set(new DateTimeOffset(api.Clock.GetUtcNow().UtcDateTime.Date.AddHours(11), TimeSpan.Zero));
        var bootstrap = api.Services.GetRequiredService<PracticeBootstrap>();
        var demo = await bootstrap.CreateAsync("Praktijk Samen Verder (demo)", "Anouk de Wit",
            $"admin-{Guid.NewGuid():N}@demo.example", CancellationToken.None);
        var tokens = await api.Services.GetRequiredService<DemoPractice>().SeedAsync(demo, CancellationToken.None);

        var admin = api.ClientWith(tokens.Admin);
        Assert.Equal(2, (await (await admin.GetAsync("/api/v1/therapists")).ReadJsonAsync(200)).GetProperty("items")
            .GetArrayLength() - 1);
        Assert.Equal(7, (await (await admin.GetAsync("/api/v1/clients")).ReadJsonAsync(200)).Ids().Count);
        Assert.Equal(2, (await (await admin.GetAsync("/api/v1/couples")).ReadJsonAsync(200)).Ids().Count);
        var sessions = (await (await admin.GetAsync("/api/v1/sessions")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray()
            .Select(s => s.GetProperty("status").GetString()).ToList();
        Assert.Contains("completed", sessions);
        Assert.Contains("scheduled", sessions);
        // A month of invoicing: paid, overdue, credited (with its credit note), open and a draft.
        var invoices = (await (await admin.GetAsync("/api/v1/invoices")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray()
            .Select(i => i.GetProperty("status").GetString()).Order().ToList();
        Assert.Equal(["credited", "draft", "issued", "open", "overdue", "paid"], invoices);
        var alerts = (await (await admin.GetAsync("/api/v1/alerts")).ReadJsonAsync(200)).GetProperty("items")
            .EnumerateArray()
            .Select(a => a.GetProperty("kind").GetString()).ToList();
        Assert.Contains("new_breach", alerts);
        Assert.Contains("no_step_progress", alerts);
        Assert.Contains("low_adherence", alerts);

        // The addiction couple follows the built-in program, and Daan keeps a recovery log he shares with Lotte.
        var enrolment = Assert.Single((await (await admin.GetAsync(
            $"/api/v1/couples/{tokens.AddictionCoupleId}/programs")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(3, enrolment.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("state")
            .GetString() == "assigned"));
        var recovery = await (await admin.GetAsync($"/api/v1/clients/{DemoIds.Daan}/recovery-log")).ReadJsonAsync(200);
        Assert.True(recovery.GetProperty("sharedWithPartner").GetBoolean());
        Assert.Equal(12, recovery.GetProperty("summary").GetProperty("soberDays")
            .GetInt32()); // the setback was 12 days ago: 11 days since and today

        var therapist = api.ClientWith(tokens.Therapist);
        Assert.Equal([tokens.InfidelityCoupleId], (await (await therapist.GetAsync("/api/v1/couples"))
            .ReadJsonAsync(200)).Ids());
        var progress = await (await therapist.GetAsync($"/api/v1/couples/{tokens.InfidelityCoupleId}/progress"))
            .ReadJsonAsync(200);
        Assert.Equal(7, progress.GetProperty("sharedStreak").GetInt32());
        Assert.Equal(4, progress.GetProperty("timeline").GetProperty("currentStep").GetInt32());
        var contract = await (await therapist.GetAsync($"/api/v1/couples/{tokens.InfidelityCoupleId}/trust-contract"))
            .ReadJsonAsync(200);
        Assert.True(contract.GetProperty("agreedByBoth").GetBoolean());
        Assert.Single(contract.GetProperty("evaluations").EnumerateArray());
        Assert.Equal(5,
            (await (await therapist.GetAsync($"/api/v1/couples/{tokens.InfidelityCoupleId}/trigger-episodes"))
            .ReadJsonAsync(200))
            .GetProperty("items").GetArrayLength());
        await (await therapist.GetAsync($"/api/v1/couples/{tokens.AddictionCoupleId}")).AssertProblemAsync(404);

        // Check-ins were answered on their own evenings, so adherence tells the truth: mostly on time, Joost late now
        // and then.
        var occurrences = (await (await therapist.GetAsync($"/api/v1/assignments/{DemoIds.AffairCheckIn}/occurrences"))
            .ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray().ToList();
        var statuses = occurrences.GroupBy(o => o.GetProperty("status").GetString()).ToDictionary(g => g.Key!,
            g => g.Count());
        Assert.True(statuses.GetValueOrDefault("done") > statuses.GetValueOrDefault("late")
            && statuses.GetValueOrDefault("late") > 0, string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}")));
        Assert.All(occurrences.Where(o => o.GetProperty("answeredAt")
            .ValueKind == System.Text.Json.JsonValueKind.String), o =>
            Assert.Equal(o.GetProperty("date").GetString(), o.GetProperty("answeredAt").GetDateTime()
                .ToString("yyyy-MM-dd")));
        // A month of the practice's weekly check: four scores each for Sanne and Joost, easing from matig toward laag.
        var sannes = Assert.Single((await (await therapist.GetAsync($"/api/v1/clients/{DemoIds.Sanne}/measures"))
            .ReadJsonAsync(200)).GetProperty("items").EnumerateArray());
        var totals = sannes.GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("total")
            .GetInt32()).ToList();
        Assert.Equal(4, totals.Count);
        Assert.True(totals[0] > totals[^1], string.Join(", ", totals));
        // Notes were completed as their sessions ended, so the unsigned-notes to-do has Eva's two, waiting since then.
        var unsigned = (await (await therapist.GetAsync("/api/v1/notes/unsigned")).ReadJsonAsync(200))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(new[] { DemoIds.AffairSessionCompleted, DemoIds.AffairSessionLastWeek }.Order(),
            unsigned.Select(n => n.GetProperty("sessionId").GetGuid()).Order());
        Assert.All(unsigned, n => Assert.Equal(n.GetProperty("startsAt").GetDateTime().AddMinutes(50),
            n.GetProperty("completedAt").GetDateTime()));

        var partner = api.ClientWith(tokens.Partner);
        var mine = (await (await partner.GetAsync("/api/v1/me/assignments")).ReadJsonAsync(200)).GetProperty("items");
        // Her daily check-in, and Joost's letter of responsibility, which she will read once Eva releases it.
        Assert.Equal(2, mine.GetArrayLength());
        await (await partner.GetAsync($"/api/v1/couples/{tokens.AddictionCoupleId}/trust-contract"))
            .AssertProblemAsync(404);
    }
}
