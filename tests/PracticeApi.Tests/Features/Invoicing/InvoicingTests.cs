using Microsoft.Extensions.DependencyInjection;
using PracticeApi.Infrastructure.Security;
using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Invoicing;

/// <summary>Invoicing from the schedule (issue 32): fees, payers, drafts, gap-free numbers, credit notes, payments,
/// roles.</summary>
public abstract class InvoicingSuite(ApiFactory api)
{
    // On the practice's days (an hour after midnight in Amsterdam the UTC date is still yesterday's): hour is UTC, the
    // same day there.
    private DateTime DaysAgo(int days, int hour = 10) => DateTime.SpecifyKind(Today.AddDays(-days)
        .ToDateTime(new TimeOnly(hour, 0)), DateTimeKind.Utc);

    private DateOnly Today => api.Today;

    [SkippableFact]
    public async Task A_session_is_drafted_issued_and_paid_and_numbers_follow_one_unbroken_sequence_a_year()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice);
        var client = await practice.Admin.CreateClientIdAsync();
        var other = await practice.Admin.CreateClientIdAsync();
        await Billing.PayerAsync(practice.Admin, client, "Iris Jacobs");
        await Billing.PayerAsync(practice.Admin, other);
        var session = await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client },
            DaysAgo(3), client);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = other }, DaysAgo(3, 12), other);

        var draft = await Billing.DraftAsync(practice.Admin, client, Today.AddDays(-30), Today);
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        var line = Assert.Single(draft.GetProperty("lines").EnumerateArray());
        Assert.Equal(session, line.GetProperty("sessionId").GetGuid());
        Assert.Equal(9500, line.GetProperty("netCents").GetInt32());
        Assert.Equal(0, draft.GetProperty("vatCents").GetInt32());
        Assert.Equal(Billing.Exemption, draft.GetProperty("vatExemption").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, draft.GetProperty("number").ValueKind);

        var issued = await Billing.IssueAsync(practice.Admin, draft.Id());
        Assert.Equal($"{Today.Year}-00001", issued.GetProperty("number").GetString());
        Assert.Equal("open", issued.GetProperty("status").GetString());
        Assert.Equal(Billing.Day(Today), issued.GetProperty("issuedOn").GetString());
        Assert.Equal(Billing.Day(Today.AddDays(14)), issued.GetProperty("dueOn").GetString());
        Assert.Equal("Iris Jacobs", issued.GetProperty("payer").GetProperty("name").GetString());
        // Issued once: the session is not drafted again for this payer, and issuing twice is refused.
        await (await practice.Admin.PostAsJsonAsync("/api/v1/invoices", new { payerId = client,
            from = Billing.Day(Today.AddDays(-30)), to = Billing.Day(Today) }))
            .AssertProblemAsync(409, "nothing-to-bill");
        await (await practice.Admin.PostAsync($"/api/v1/invoices/{draft.Id()}/issue", null)).AssertProblemAsync(409,
            "invalid-transition");
        await (await practice.Admin.DeleteAsync($"/api/v1/invoices/{draft.Id()}")).AssertProblemAsync(409,
            "invalid-transition");

        var second = await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, other,
            Today.AddDays(-30), Today)).Id());
        Assert.Equal($"{Today.Year}-00002", second.GetProperty("number").GetString());

        var partly = await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{draft.Id()}/payments",
            new { amountCents = 4000, paidOn = Billing.Day(Today), method = "bank_transfer", reference = "NL-123" }))
                .ReadJsonAsync(200);
        Assert.Equal(("open", 5500), (partly.GetProperty("status").GetString(), partly.GetProperty("balanceCents")
            .GetInt32()));
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{draft.Id()}/payments",
            new { amountCents = 5501, paidOn = Billing.Day(Today), method = "card" }))
                .AssertProblemAsync(409, "overpayment");
        var paid = await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{draft.Id()}/payments",
            new { amountCents = 5500, paidOn = Billing.Day(Today), method = "card" })).ReadJsonAsync(200);
        Assert.Equal(("paid", 0, 2), (paid.GetProperty("status").GetString(), paid.GetProperty("balanceCents")
            .GetInt32(), paid.GetProperty("payments").GetArrayLength()));

        var events = await practice.AuditEventsAsync($"clientId={client}");
        Assert.Contains(events, e => e.GetProperty("action").GetString() == "update" && e.GetProperty("resourceType")
            .GetString() == "invoice");
        Assert.Equal(2, events.Count(e => e.GetProperty("resourceType").GetString() == "payment"));
    }

    [SkippableFact]
    public async Task Fees_follow_the_version_of_the_sessions_day_and_vat_rounds_half_away_from_zero_per_line()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice, Billing.Schedule("2020-01-01", individual: 9999, vat: 2100));
        await (await practice.Admin.PostAsJsonAsync("/api/v1/fee-schedules",
            Billing.Schedule(Billing.Day(Today.AddDays(-5)), individual: 10050, vat: 900)))
            .ReadJsonAsync(201);
        await (await practice.Admin.PostAsJsonAsync("/api/v1/fee-schedules",
            Billing.Schedule(Billing.Day(Today.AddDays(-5)))))
            .AssertProblemAsync(409, "fee-schedule-exists");
        var client = await practice.Admin.CreateClientIdAsync();
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, DaysAgo(8), client);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, DaysAgo(2), client);

        var draft = await Billing.DraftAsync(practice.Admin, client, Today.AddDays(-10), Today);
        var lines = draft.GetProperty("lines").EnumerateArray().ToList();
        // 9999 at 21% is 2099.79: 2100. 10050 at 9% is 904.5: 905 (half away from zero).
        Assert.Equal([(9999, 2100), (10050, 905)], lines.Select(l => (l.GetProperty("netCents").GetInt32(),
            l.GetProperty("vatCents").GetInt32())));
        Assert.Equal((20049, 3005, 23054), (draft.GetProperty("netCents").GetInt32(), draft.GetProperty("vatCents")
            .GetInt32(), draft.GetProperty("totalCents").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, draft.GetProperty("vatExemption").ValueKind);
    }

    [SkippableFact]
    public async Task A_couple_session_is_billed_to_the_responsible_partner_or_split_with_the_odd_cent_to_partner_a()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice, Billing.Schedule("2020-01-01", couple: 12501));
        var (couple, a, b) = await practice.Admin.CreateCoupleWithClientsAsync();
        await Billing.CompletedSessionAsync(practice.Admin, new { coupleId = couple }, DaysAgo(4), a, b);

        // No arrangement yet: nothing to bill, and the reason is given.
        var none = await (await practice.Admin.PostAsJsonAsync("/api/v1/invoices", new { payerId = a,
            from = Billing.Day(Today.AddDays(-7)), to = Billing.Day(Today) }))
            .AssertProblemAsync(409, "nothing-to-bill");
        Assert.Contains("billing arrangement", none.GetProperty("unbilled")[0].GetProperty("reason").GetString());

        await (await practice.Admin.PutAsJsonAsync($"/api/v1/couples/{couple}/billing",
            new { payerId = Guid.NewGuid() })).AssertProblemAsync(400);
        await (await practice.Admin.PutAsJsonAsync($"/api/v1/couples/{couple}/billing", new { payerId = b }))
            .ReadJsonAsync(200);
        await (await practice.Admin.PostAsJsonAsync("/api/v1/invoices", new { payerId = a,
            from = Billing.Day(Today.AddDays(-7)), to = Billing.Day(Today) }))
            .AssertProblemAsync(409, "nothing-to-bill");
        Assert.Equal(12501, (await Billing.DraftAsync(practice.Admin, b, Today.AddDays(-7), Today))
            .GetProperty("netCents").GetInt32());

        var split = await (await practice.Admin.PutAsJsonAsync($"/api/v1/couples/{couple}/billing",
            new { payerId = (Guid?)null })).ReadJsonAsync(200);
        Assert.True(split.GetProperty("split").GetBoolean());
        var forA = await Billing.DraftAsync(practice.Admin, a, Today.AddDays(-7), Today);
        var forB = await Billing.DraftAsync(practice.Admin, b, Today.AddDays(-7), Today);
        Assert.Equal((6251, 50), (forA.GetProperty("netCents").GetInt32(),
            forA.GetProperty("lines")[0].GetProperty("sharePercent").GetInt32()));
        Assert.Equal(6250, forB.GetProperty("netCents").GetInt32());
    }

    [SkippableFact]
    public async Task Late_cancellations_and_no_shows_are_billed_by_the_policy_and_other_sessions_never()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice, Billing.Schedule("2020-01-01", late: 4500, noShow: 0));
        var client = await practice.Admin.CreateClientIdAsync();
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var late = await practice.Admin.CreateSessionAsync(new { clientId = client }, new DateTime(now.Year, now.Month,
            now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(10));
        var cancelled = await practice.Admin.CreateSessionAsync(new { clientId = client }, DaysAgo(-5, 9));
        var missed = await practice.Admin.CreateSessionAsync(new { clientId = client }, DaysAgo(2, 9));
        await practice.Admin.CreateSessionAsync(new { clientId = client }, DaysAgo(-3, 9)); // scheduled: never billed
        Assert.True((await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{late}/cancel", new { reason = "ill",
            byClient = true })).IsSuccessStatusCode);
        Assert.True((await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{cancelled}/cancel",
            new { reason = "away", byClient = true })).IsSuccessStatusCode);
        Assert.True((await practice.Admin.PostAsync($"/api/v1/sessions/{missed}/no-show", null)).IsSuccessStatusCode);

        var draft = await Billing.DraftAsync(practice.Admin, client, Today.AddDays(-7), Today.AddDays(7));
        var line = Assert.Single(draft.GetProperty("lines").EnumerateArray());
        Assert.Equal((late, "late_cancellation", 4500), (line.GetProperty("sessionId").GetGuid(),
            line.GetProperty("charge").GetString(), line.GetProperty("netCents").GetInt32()));
    }

    [SkippableFact]
    public async Task A_credit_note_reverses_lines_with_its_own_number_and_releases_the_sessions()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice);
        var client = await practice.Admin.CreateClientIdAsync();
        await Billing.PayerAsync(practice.Admin, client);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, DaysAgo(9), client);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, DaysAgo(2), client);
        var invoice = await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, client,
            Today.AddDays(-10), Today)).Id());
        var first = invoice.GetProperty("lines")[0].Id();

        await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{invoice.Id()}/credit-notes",
            new { reason = "x", lineIds = new[] { Guid.NewGuid() } }))
            .AssertProblemAsync(400);
        var note = await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{invoice.Id()}/credit-notes",
            new { reason = "The first session was billed twice.", lineIds = new[] { first } })).ReadJsonAsync(201);
        Assert.Equal(("credit_note", "issued", $"{Today.Year}-00002"), (note.GetProperty("kind").GetString(),
            note.GetProperty("status").GetString(), note.GetProperty("number").GetString()));
        Assert.Equal((-9500, first), (note.GetProperty("totalCents").GetInt32(),
            note.GetProperty("lines")[0].GetProperty("creditsLineId").GetGuid()));
        var after = await (await practice.Admin.GetAsync($"/api/v1/invoices/{invoice.Id()}")).ReadJsonAsync(200);
        Assert.Equal((9500, 9500, "open"), (after.GetProperty("creditedCents").GetInt32(),
            after.GetProperty("balanceCents").GetInt32(), after.GetProperty("status").GetString()));

        // The credited session can be invoiced again; the rest credited in full makes the invoice credited.
        var again = await Billing.DraftAsync(practice.Admin, client, Today.AddDays(-10), Today);
        Assert.Equal(invoice.GetProperty("lines")[0].GetProperty("sessionId").GetGuid(),
            again.GetProperty("lines")[0].GetProperty("sessionId").GetGuid());
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{invoice.Id()}/credit-notes",
            new { reason = "Withdrawn." })).ReadJsonAsync(201);
        Assert.Equal("credited", (await (await practice.Admin.GetAsync($"/api/v1/invoices/{invoice.Id()}"))
            .ReadJsonAsync(200)).GetProperty("status").GetString());
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{invoice.Id()}/credit-notes",
            new { reason = "Again." })).AssertProblemAsync(409, "already-credited");
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{again.Id()}/credit-notes",
            new { reason = "A draft." })).AssertProblemAsync(409, "invalid-transition");
        var credited = await (await practice.Admin.GetAsync("/api/v1/invoices?status=credited")).ReadJsonAsync(200);
        Assert.Equal([invoice.Id()], credited.Ids());

        // A credit note's status is issued, and that filter lists the credit notes, every one and nothing else.
        var notes = await (await practice.Admin.GetAsync("/api/v1/invoices?status=issued")).ReadJsonAsync(200);
        Assert.Equal(2, notes.Ids().Count);
        Assert.Contains(note.Id(), notes.Ids());
        Assert.All(notes.GetProperty("items").EnumerateArray(), n => Assert.Equal(("credit_note", "issued"),
            (n.GetProperty("kind").GetString(), n.GetProperty("status").GetString())));
    }

    [SkippableFact]
    public async Task Issuing_concurrently_gives_an_unbroken_sequence_and_a_session_reaches_one_issued_invoice_only()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice);
        var drafts = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var client = await practice.Admin.CreateClientIdAsync();
            await Billing.PayerAsync(practice.Admin, client);
            await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, DaysAgo(1, 6 + i), client);
            drafts.Add((await Billing.DraftAsync(practice.Admin, client, Today.AddDays(-3), Today)).Id());
        }

        // Two drafts of one session for one payer: issued at once with the others, exactly one of them wins.
        var payer = await practice.Admin.CreateClientIdAsync();
        await Billing.PayerAsync(practice.Admin, payer);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = payer }, DaysAgo(1, 15), payer);
        var twins = new[] { (await Billing.DraftAsync(practice.Admin, payer, Today.AddDays(-3), Today))
            .Id(), (await Billing.DraftAsync(practice.Admin, payer, Today.AddDays(-3), Today)).Id() };

        var responses = await Task.WhenAll(drafts.Concat(twins)
            .Select(d => practice.Admin.PostAsync($"/api/v1/invoices/{d}/issue", null)));
        Assert.Equal(9, responses.Count(r => (int)r.StatusCode == 200));
        await responses.Single(r => (int)r.StatusCode != 200).AssertProblemAsync(409, "already-invoiced");
        var numbers = new List<string>();
        foreach (var r in responses.Where(r => (int)r.StatusCode == 200)) numbers.Add((await r.ReadJsonAsync(200))
            .GetProperty("number").GetString()!);
        Assert.Equal(Enumerable.Range(1, 9).Select(n => $"{Today.Year}-{n:D5}"), numbers.Order());
    }

    [SkippableFact]
    public async Task Status_follows_the_practice_clock_and_lists_filter_by_it()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice, Billing.Schedule("2020-01-01", term: 0));
        var client = await practice.Admin.CreateClientIdAsync();
        await Billing.PayerAsync(practice.Admin, client);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, DaysAgo(5), client);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, DaysAgo(3), client);
        var invoice = await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, client,
            Today.AddDays(-6), Today.AddDays(-4))).Id());
        var draft = await Billing.DraftAsync(practice.Admin, client, Today.AddDays(-3), Today);
        Assert.Equal("open", invoice.GetProperty("status").GetString()); // due today
        Assert.Equal([invoice.Id()],
            (await (await practice.Admin.GetAsync($"/api/v1/invoices?status=open&payerId={client}"))
            .ReadJsonAsync(200)).Ids());
        Assert.Equal([draft.Id()], (await (await practice.Admin.GetAsync("/api/v1/invoices?status=draft"))
            .ReadJsonAsync(200)).Ids());

        api.Clock.Advance(TimeSpan.FromDays(1));
        try
        {
            Assert.Equal([invoice.Id()], (await (await practice.Admin.GetAsync("/api/v1/invoices?status=overdue"))
                .ReadJsonAsync(200)).Ids());
            Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/invoices?status=open"))
                .ReadJsonAsync(200)).Ids());
            var page = await (await practice.Admin.GetAsync("/api/v1/invoices?limit=1")).ReadJsonAsync(200);
            var next = await (await practice.Admin.GetAsync(
                $"/api/v1/invoices?limit=1&cursor={page.GetProperty("nextCursor").GetString()}")).ReadJsonAsync(200);
            Assert.Equal(2, page.Ids().Concat(next.Ids()).Distinct().Count());
            await (await practice.Admin.GetAsync("/api/v1/invoices?status=late")).AssertProblemAsync(400);
        }
        finally
        {
            api.Clock.Advance(TimeSpan.FromDays(-1));
        }

        // A discarded draft is gone; nothing else changed.
        Assert.Equal(204, (int)(await practice.Admin.DeleteAsync($"/api/v1/invoices/{draft.Id()}")).StatusCode);
        await (await practice.Admin.GetAsync($"/api/v1/invoices/{draft.Id()}")).AssertProblemAsync(404, "not-found");
    }

    [SkippableFact]
    public async Task An_overdue_invoice_is_announced_once_however_many_rounds_run_at_once_and_a_paid_one_never()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice, Billing.Schedule("2020-01-01", term: 0));
        var late = await practice.Admin.CreateClientIdAsync();
        var prompt = await practice.Admin.CreateClientIdAsync();
        foreach (var client in new[] { late, prompt }) await Billing.PayerAsync(practice.Admin, client);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = late }, DaysAgo(2, 9), late);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = prompt }, DaysAgo(2, 11), prompt);
        var overdue = await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, late,
            Today.AddDays(-3), Today)).Id());
        var paid = await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, prompt,
            Today.AddDays(-3), Today)).Id());
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{paid.Id()}/payments",
            new { amountCents = paid.GetProperty("totalCents")
                .GetInt32(), paidOn = Billing.Day(Today), method = "card" })).ReadJsonAsync(200);
        var watch = api.Services.GetRequiredService<PracticeApi.Features.Invoicing.OverdueWatch>();

        await watch.AnnounceAsync(CancellationToken.None); // due today: not yet overdue
        api.Clock.Advance(TimeSpan.FromDays(1));
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => watch.AnnounceAsync(CancellationToken.None)));
            await watch.AnnounceAsync(CancellationToken.None);
        }
        finally
        {
            api.Clock.Advance(TimeSpan.FromDays(-1));
        }

        var feed = await (await practice.Admin.GetAsync("/api/v1/events?limit=200")).ReadJsonAsync(200);
        var announced = feed.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("type")
            .GetString() == "invoice.overdue").ToList();
        var only = Assert.Single(announced);
        Assert.Equal(overdue.Id(), only.GetProperty("data").GetProperty("invoiceId").GetGuid());
        Assert.Single(feed.GetProperty("items").EnumerateArray(), e => e.GetProperty("type")
            .GetString() == "invoice.paid");
        Assert.Equal(2, feed.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("type")
            .GetString() == "invoice.issued"));
    }

    [SkippableFact]
    public async Task Admins_bill_therapists_read_their_caseload_and_partners_their_own_issued_invoices()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice);
        var eva = await practice.AddTherapistAsync();
        var stranger = await practice.AddTherapistAsync();
        var (couple, a, b) = await practice.Admin.CreateCoupleWithClientsAsync(new[] { practice.AdminId, eva.Id });
        await (await practice.Admin.PutAsJsonAsync($"/api/v1/couples/{couple}/billing", new { payerId = (Guid?)null }))
            .ReadJsonAsync(200);
        await Billing.PayerAsync(practice.Admin, a);
        await Billing.PayerAsync(practice.Admin, b);
        await Billing.CompletedSessionAsync(practice.Admin, new { coupleId = couple }, DaysAgo(2), a, b);
        var ofA = await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, a,
            Today.AddDays(-3), Today)).Id());
        var ofB = await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, b,
            Today.AddDays(-3), Today)).Id());

        await (await eva.Client.GetAsync($"/api/v1/invoices/{ofA.Id()}")).ReadJsonAsync(200);
        Assert.Equal(2, (await (await eva.Client.GetAsync("/api/v1/invoices")).ReadJsonAsync(200)).Ids().Count);
        await (await stranger.Client.GetAsync($"/api/v1/invoices/{ofA.Id()}")).AssertProblemAsync(404, "not-found");
        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/invoices")).ReadJsonAsync(200)).Ids());
        await (await eva.Client.PostAsJsonAsync("/api/v1/invoices", new { payerId = a, from = "2026-01-01",
            to = "2026-01-31" })).AssertProblemAsync(403);
        await (await eva.Client.PostAsJsonAsync($"/api/v1/invoices/{ofA.Id()}/payments", new { amountCents = 1,
            paidOn = Billing.Day(Today), method = "cash" }))
            .AssertProblemAsync(403);
        await (await eva.Client.PostAsJsonAsync("/api/v1/fee-schedules", Billing.Schedule("2030-01-01")))
            .AssertProblemAsync(403);
        await (await api.ClientWith(null).GetAsync("/api/v1/invoices")).AssertProblemAsync(401);

        var portalA = api.ClientWith((await (await practice.Admin.PostAsJsonAsync($"/api/v1/clients/{a}/portal-tokens",
            new { })).ReadJsonAsync(201))
            .GetProperty("token").GetString());
        // A draft is the practice's working copy: the portal sees issued invoices only.
        await Billing.CompletedSessionAsync(practice.Admin, new { coupleId = couple }, DaysAgo(1), a, b);
        await Billing.DraftAsync(practice.Admin, a, Today.AddDays(-3), Today);
        Assert.Equal([ofA.Id()], (await (await portalA.GetAsync("/api/v1/me/invoices")).ReadJsonAsync(200)).Ids());
        await (await portalA.GetAsync($"/api/v1/me/invoices/{ofA.Id()}")).ReadJsonAsync(200);
        await (await portalA.GetAsync($"/api/v1/me/invoices/{ofB.Id()}")).AssertProblemAsync(404, "not-found");
        await (await portalA.GetAsync($"/api/v1/invoices/{ofA.Id()}")).AssertProblemAsync(403);
    }

    [SkippableFact]
    public async Task Bad_requests_are_400_problems_naming_the_field_and_change_nothing()
    {
        var practice = await api.NewPracticeAsync();
        var client = await practice.Admin.CreateClientIdAsync();
        var both = await (await practice.Admin.PostAsJsonAsync("/api/v1/fee-schedules", new
        {
            validFrom = "2026-01-01", fees = new[] { new { sessionKind = "couple", amountCents = 100 } }, lateCancelCents = 0, noShowCents = 0,
            vatRateBasisPoints = 2100, vatExemption = "both", paymentTermDays = 14,
        })).AssertProblemAsync(400, "validation");
        Assert.Contains("vatRateBasisPoints", both.ErrorFields());
        await (await practice.Admin.PostAsJsonAsync("/api/v1/fee-schedules", new { validFrom = "2026-01-01",
            fees = new[] { new { sessionKind = "group", amountCents = 1 } },
            lateCancelCents = 0, noShowCents = 0, vatExemption = "x", paymentTermDays = 14 }))
                .AssertProblemAsync(400, "validation");
        // Required fields are required: left out is a 400, never a default.
        await (await practice.Admin.PostAsJsonAsync("/api/v1/invoices", new { payerId = client, from = "2026-02-01" }))
            .AssertProblemAsync(400);
        var order = await (await practice.Admin.PostAsJsonAsync("/api/v1/invoices", new { payerId = client,
            from = "2026-02-01", to = "2026-01-01" }))
            .AssertProblemAsync(400, "validation");
        Assert.Contains("to", order.ErrorFields());
        await (await practice.Admin.PutAsJsonAsync($"/api/v1/clients/{client}/billing", new { name = "",
            address = "x" })).AssertProblemAsync(400, "validation");
        await (await practice.Admin.PutAsJsonAsync("/api/v1/billing-profile", new { legalName = "P", address = "A",
            kvkNumber = "12" })).AssertProblemAsync(400, "validation");
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{Guid.NewGuid()}/payments",
            new { amountCents = 0, paidOn = "2026-01-01", method = "cheque" }))
            .AssertProblemAsync(400, "validation");
        await (await practice.Admin.PostAsJsonAsync($"/api/v1/invoices/{Guid.NewGuid()}/credit-notes",
            new { lineIds = Array.Empty<Guid>() })).AssertProblemAsync(400);
        await (await practice.Admin.PostAsync($"/api/v1/invoices/{Guid.NewGuid()}/issue", null))
            .AssertProblemAsync(404, "not-found");

        Assert.Empty(JsonSerializerArray(await (await practice.Admin.GetAsync("/api/v1/fee-schedules"))
            .ReadJsonAsync(200)));
        await (await practice.Admin.GetAsync("/api/v1/billing-profile")).AssertProblemAsync(404);
        await (await practice.Admin.GetAsync($"/api/v1/clients/{client}/billing")).AssertProblemAsync(404);
        Assert.Empty((await (await practice.Admin.GetAsync("/api/v1/invoices")).ReadJsonAsync(200)).Ids());
    }

    private static List<System.Text.Json.JsonElement> JsonSerializerArray(System.Text.Json.JsonElement array) =>
        array.EnumerateArray().ToList();

    [SkippableFact]
    public async Task Issuing_needs_the_practices_and_the_payers_billing_details()
    {
        var practice = await api.NewPracticeAsync();
        await (await practice.Admin.PostAsJsonAsync("/api/v1/fee-schedules", Billing.Schedule("2020-01-01")))
            .ReadJsonAsync(201);
        var client = await practice.Admin.CreateClientIdAsync();
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, DaysAgo(1), client);
        var draft = await Billing.DraftAsync(practice.Admin, client, Today.AddDays(-2), Today);
        await (await practice.Admin.PostAsync($"/api/v1/invoices/{draft.Id()}/issue", null)).AssertProblemAsync(409,
            "billing-details-missing");
        await Billing.SetUpAsync(practice, Billing.Schedule("2021-01-01"));
        var problem = await (await practice.Admin.PostAsync($"/api/v1/invoices/{draft.Id()}/issue", null))
            .AssertProblemAsync(409, "billing-details-missing");
        Assert.Contains($"/api/v1/clients/{client}/billing", problem.GetProperty("detail").GetString());
        await Billing.PayerAsync(practice.Admin, client);
        Assert.Equal($"{Today.Year}-00001", (await Billing.IssueAsync(practice.Admin, draft.Id())).GetProperty("number")
            .GetString());
    }

    [SkippableFact]
    public async Task The_printable_page_shows_the_practice_the_payer_the_lines_and_the_vat_ground_encoded()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice);
        var client = await practice.Admin.CreateClientIdAsync();
        await Billing.PayerAsync(practice.Admin, client, "<script>alert(1)</script> Jansen");
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client }, DaysAgo(1), client);
        var invoice = await Billing.IssueAsync(practice.Admin, (await Billing.DraftAsync(practice.Admin, client,
            Today.AddDays(-2), Today)).Id());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/invoices/{invoice.Id()}");
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.AcceptLanguage.ParseAdd("nl");
        using var response = await practice.Admin.SendAsync(request);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var expected in new[] { "Factuur", "Praktijk Test", "KvK 12345678", "AGB 94001234", "BIG 19012345601",
            invoice.GetProperty("number").GetString()!,
                     "€ 95,00", Billing.Exemption, "NL91ABNA0417164300", "&lt;script&gt;" })
        {
            Assert.Contains(expected, html);
        }

        Assert.DoesNotContain("<script>", html);
        // JSON stays the default, and an Accept that allows neither is refused.
        await (await practice.Admin.GetAsync($"/api/v1/invoices/{invoice.Id()}")).ReadJsonAsync(200);
        using var xml = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/invoices/{invoice.Id()}");
        xml.Headers.Accept.ParseAdd("application/xml");
        Assert.Equal(406, (int)(await practice.Admin.SendAsync(xml)).StatusCode);
    }
}

public sealed class InvoicingOnSqlite(SqliteApi api) : InvoicingSuite(api), IClassFixture<SqliteApi>;

public sealed class InvoicingOnSqlServer(SqlServerApi api) : InvoicingSuite(api), IClassFixture<SqlServerApi>;

/// <summary>What drafting costs the database, and numbering across instances.</summary>
public sealed class InvoicingScaleTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task Drafting_a_year_of_weekly_sessions_runs_as_many_statements_as_drafting_two()
    {
        var practice = await api.NewPracticeAsync();
        await Billing.SetUpAsync(practice);
        var now = api.Clock.GetUtcNow().UtcDateTime.Date;
        var weekly = await practice.Admin.CreateClientIdAsync();
        var series = await (await practice.Admin.PostAsJsonAsync("/api/v1/session-series", new
        {
            clientId = weekly, kind = "individual", modality = "video", startsAt = now.AddDays(-7 * 52)
                .AddHours(9), durationMinutes = 50, everyWeeks = 1, count = 52,
        })).ReadJsonAsync(201);
        foreach (var session in series.GetProperty("sessions").EnumerateArray())
        {
            await (await practice.Admin.PostAsJsonAsync($"/api/v1/sessions/{session.Id()}/complete",
                new { attendance = new[] { new { clientId = weekly, attended = true } } })).ReadJsonAsync(200);
        }

        var few = await practice.Admin.CreateClientIdAsync();
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = few }, now.AddDays(-20).AddHours(14), few);
        await Billing.CompletedSessionAsync(practice.Admin, new { clientId = few }, now.AddDays(-10).AddHours(14), few);

        var draft = api.Services.GetRequiredService<PracticeApi.Features.Invoicing.DraftInvoice>();
        var admin = new Caller(practice.PracticeId, Guid.Empty, ActorKind.User, practice.AdminId, null, TherapistRole.Admin,
            new HashSet<string>(), null, "test");
        var from = DateOnly.FromDateTime(now.AddDays(-7 * 54));
        var to = DateOnly.FromDateTime(now);

        var forTwo = PracticeApi.Infrastructure.Data.Sqlite.StorageFaults.CountStatements();
        var two = await draft.DraftAsync(admin, new PracticeApi.Features.Invoicing.DraftInvoiceRequest(few, from, to),
            CancellationToken.None);
        var forYear = PracticeApi.Infrastructure.Data.Sqlite.StorageFaults.CountStatements();
        var year = await draft.DraftAsync(admin, new PracticeApi.Features.Invoicing.DraftInvoiceRequest(weekly,
            DateOnly.FromDateTime(now.AddDays(-365)), to), CancellationToken.None);

        Assert.Equal(2, two.Value!.Lines.Count);
        Assert.Equal(52, year.Value!.Lines.Count);
        Assert.True(forTwo.Value > 0);
        Assert.Equal(forTwo.Value, forYear.Value);
    }

    [Fact]
    public async Task Two_instances_issuing_at_once_share_one_unbroken_sequence()
    {
        using var database = new SharedDatabaseFile("invoice-numbers");
        await using var first = new SqliteFileApi(database.Path);
        await using var second = new SqliteFileApi(database.Path);
        var practice = await first.NewPracticeAsync();
        await Billing.SetUpAsync(practice);
        var today = first.Today;
        var drafts = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var client = await practice.Admin.CreateClientIdAsync();
            await Billing.PayerAsync(practice.Admin, client);
            await Billing.CompletedSessionAsync(practice.Admin, new { clientId = client },
                first.Clock.GetUtcNow().UtcDateTime.Date.AddDays(-1).AddHours(7 + i), client);
            drafts.Add((await Billing.DraftAsync(practice.Admin, client, today.AddDays(-2), today)).Id());
        }

        var hosts = new[] { practice.Admin, second.ClientWith(practice.AdminToken) };
        var issued = await Task.WhenAll(drafts.Select((d,
            i) => hosts[i % 2].PostAsync($"/api/v1/invoices/{d}/issue", null)));
        var numbers = new List<string>();
        foreach (var response in issued) numbers.Add((await response.ReadJsonAsync(200)).GetProperty("number")
            .GetString()!);
        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"{today.Year}-{n:D5}"), numbers.Order());
    }
}
