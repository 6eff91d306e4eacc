using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>Nothing crosses practices: every id of another practice is a 404, wherever it is placed.</summary>
public abstract class TenancySuite(ApiFactory api)
{
    [SkippableFact]
    public async Task Every_route_answers_404_for_another_practices_ids_and_changes_nothing()
    {
        var mine = await api.NewPracticeAsync();
        var theirs = await api.NewPracticeAsync();
        var theirTherapist = await theirs.AddTherapistAsync();
        var (coupleId, a, b) = await theirs.Admin.CreateCoupleWithClientsAsync();
        var clientId = await theirs.Admin.CreateClientIdAsync();
        var sessionId = await theirs.Admin.CreateSessionAsync(new { coupleId }, DateTime.UtcNow.Date.AddDays(3)
            .AddHours(9));
        var theirToken = (await (await theirs.Admin.GetAsync("/api/v1/tokens")).ReadJsonAsync(200)).Ids()[0];
        var theirSeries = await (await theirs.Admin.PostAsJsonAsync("/api/v1/session-series", new
        {
            clientId, kind = "individual", modality = "video", startsAt = DateTime.UtcNow.Date.AddDays(4)
                .AddHours(9), durationMinutes = 50, everyWeeks = 1, count = 2,
        })).ReadJsonAsync(201);
        var seriesId = theirSeries.GetProperty("id").GetGuid();
        var theirErasure = (await (await theirs.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/erasure-requests",
            new { requestedBy = "client" })).ReadJsonAsync(201))
            .GetProperty("id").GetGuid();
        var seriesSession = theirSeries.GetProperty("sessions")[0].GetProperty("id").GetGuid();
        var theirTemplate = (await (await theirs.Admin.PostAsJsonAsync("/api/v1/exercise-templates", new
        {
            key = "their_exercise", title = new { en = "T", nl = "T" }, instructions = new { en = "I", nl = "I" }, audience = "couple_each_partner",
            defaultCadence = "daily", estimatedMinutes = 5, steps = new[] { 5 }, conjoint = false,
            fields = new[] { new { key = "note", type = "text", label = new { en = "Note", nl = "Notitie" }, required = true } },
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var theirAssignment = (await (await theirs.Admin.PostAsJsonAsync("/api/v1/assignments",
            new { templateId = theirTemplate, coupleId, startsOn = api.Today.AddDays(-1).ToString("yyyy-MM-dd") }))
                .ReadJsonAsync(201))
            .GetProperty("id").GetGuid();
        var theirStart = (await (await theirs.Admin.GetAsync($"/api/v1/assignments/{theirAssignment}"))
            .ReadJsonAsync(200)).GetProperty("startsOn").GetString();
        var theirResponse = (await (await theirs.Admin.PostAsJsonAsync(
            $"/api/v1/assignments/{theirAssignment}/responses",
            new { respondentId = a, occurrenceDate = theirStart, answers = new { note = "theirs" } }))
                .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        await theirs.Admin.PutAsJsonAsync($"/api/v1/couples/{coupleId}/trust-contract",
            new { lines = new[] { new { area = "A", agreement = "B", measure = "C" } } });
        var theirPerson = (await (await theirs.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/support-network",
            new { name = "P", relationship = "friend", effect = "supports", mayContact = false })).ReadJsonAsync(201))
                .GetProperty("id").GetGuid();
        // Created last and for an event nothing below triggers in their practice: no delivery ever leaves this machine.
        var theirHook = (await (await theirs.Admin.PostAsJsonAsync("/api/v1/webhooks",
            new { url = "https://192.0.2.10/hook", events = new[] { "couple.safety_hold_changed" } }))
            .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        using var smartKey = System.Security.Cryptography.RSA.Create(2048);
        var theirSmartClient = (await (await theirs.Admin.PostAsJsonAsync("/api/v1/smart-clients", new
        {
            name = "Their EHR", scopes = new[] { "system/Patient.read" },
            jwks = new { keys = new[] { System.Text.Json.JsonSerializer.SerializeToElement(
                Microsoft.IdentityModel.Tokens.JsonWebKeyConverter.ConvertFromRSASecurityKey(
                new Microsoft.IdentityModel.Tokens.RsaSecurityKey(smartKey.ExportParameters(false)) { KeyId = "k" })) } },
        })).ReadJsonAsync(201)).GetProperty("clientId").GetGuid();
        var programBody = new
        {
            key = "their_program", title = new { en = "P", nl = "P" }, description = new { en = "D", nl = "D" },
            items = new[] { new { key = "first", templateId = theirTemplate, start = new { on = "start", offsetDays = 0 } } },
        };
        var theirProgram = (await (await theirs.Admin.PostAsJsonAsync("/api/v1/programs", programBody))
            .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var theirEnrolment = (await (await theirs.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/programs",
            new { programId = theirProgram }))
            .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var theirTask = $"{theirAssignment}-{theirStart!.Replace("-", "")}-0";
        await Features.Invoicing.Billing.SetUpAsync(theirs);
        var theirSchedule = (await (await theirs.Admin.GetAsync("/api/v1/fee-schedules"))
            .ReadJsonAsync(200))[0].GetProperty("id").GetGuid();
        await Features.Invoicing.Billing.PayerAsync(theirs.Admin, clientId);
        await Features.Invoicing.Billing.CompletedSessionAsync(theirs.Admin, new { clientId },
            DateTime.UtcNow.Date.AddDays(-2).AddHours(9), clientId);
        var theirInvoice = (await Features.Invoicing.Billing.DraftAsync(theirs.Admin, clientId, api.Today.AddDays(-3),
            api.Today)).GetProperty("id").GetGuid();
        await Features.Invoicing.Billing.IssueAsync(theirs.Admin, theirInvoice);
        var theirConsent = (await (await theirs.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/consents",
            new { kind = "treatment", textVersion = "v1", via = "paper" }))
            .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var theirMeasure = (await (await theirs.Admin.PostAsJsonAsync("/api/v1/measures", new
        {
            key = "calm", name = "Calm", items = new[] { new { linkId = "calm", text = "Calm", options = new[] { new { code = "no", text = "No", value = 0 },
                new { code = "yes", text = "Yes", value = 1 } } } }, bands = Array.Empty<object>(), criticalItems = Array.Empty<object>(),
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var theirScore = (await (await theirs.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/measures",
            new { measureId = theirMeasure, answers = new Dictionary<string, string> { ["calm"] = "yes" } }))
                .ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var theirMeasureAssignment = (await (await theirs.Admin.PostAsJsonAsync(
            $"/api/v1/clients/{clientId}/measure-assignments",
            new { measureId = theirMeasure, cadence = "weekly" })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        var snapshot = await SnapshotAsync(theirs, clientId, coupleId, sessionId);

        var myClient = await mine.Admin.CreateClientIdAsync();
        var (myCouple, myA, _) = await mine.Admin.CreateCoupleWithClientsAsync();
        var start = DateTime.UtcNow.Date.AddDays(5).AddHours(10);
        var sessionBody = new { kind = "couple", modality = "video", startsAt = start, durationMinutes = 50 };
        var clientBody = new { firstName = "X", lastName = "Y" };
        var portal = api.ClientWith((await (await mine.Admin.PostAsJsonAsync($"/api/v1/clients/{myA}/portal-tokens",
            new { })).ReadJsonAsync(201)).GetProperty("token").GetString());
        var answer = new { respondentId = a, occurrenceDate = theirStart, answers = new { note = "x" } };
        var templateBody = new
        {
            key = "their_exercise", title = new { en = "T", nl = "T" }, instructions = new { en = "I", nl = "I" }, audience = "individual",
            defaultCadence = "once", estimatedMinutes = 5, steps = new[] { 1 }, conjoint = false,
            fields = new[] { new { key = "note", type = "text", label = new { en = "N", nl = "N" }, required = true } },
        };
        var coupleBody = new { breachType = "other", partnerARole = "breaching", partnerBRole = "hurt", startedOn = "2026-01-01", status = "paused" };

        // Their bulk export, finished: its status and one of its files.
        using var kickOff = new HttpRequestMessage(HttpMethod.Get,
            "/fhir/$export?_type=Patient") { Headers = { { "Prefer", "respond-async" } } };
        var theirExport = (await theirs.Admin.SendAsync(kickOff)).Content.Headers.ContentLocation!.AbsolutePath;
        string theirFile;
        while (true)
        {
            var poll = await theirs.Admin.GetAsync(theirExport);
            if ((int)poll.StatusCode == 200)
            {
                theirFile = new Uri(System.Text.Json.Nodes.JsonNode.Parse(
                    await poll.Content.ReadAsStringAsync())!["output"]![0]!["url"]!.GetValue<string>()).AbsolutePath;
                break;
            }

            await Task.Delay(100);
        }

        var calls = new List<(string Method, string Template, Func<Task<HttpResponseMessage>> Call)>
        {
            ("GET", "/api/v1/therapists/{id}", () => mine.Admin.GetAsync($"/api/v1/therapists/{theirTherapist.Id}")),
            ("POST", "/api/v1/therapists/{id}/calendar-feed",
                () => mine.Admin.PostAsync($"/api/v1/therapists/{theirTherapist.Id}/calendar-feed", null)),
            ("GET", "/api/v1/therapists/{id}/calendar-feed",
                () => mine.Admin.GetAsync($"/api/v1/therapists/{theirTherapist.Id}/calendar-feed")),
            ("DELETE", "/api/v1/therapists/{id}/calendar-feed",
                () => mine.Admin.DeleteAsync($"/api/v1/therapists/{theirTherapist.Id}/calendar-feed")),
            ("PUT", "/api/v1/therapists/{id}",
                () => mine.Admin.PutAsJsonAsync($"/api/v1/therapists/{theirTherapist.Id}", new { name = "X",
                email = "x@example.test", role = "therapist" })),
            ("POST", "/api/v1/therapists/{id}/deactivate",
                () => mine.Admin.PostAsync($"/api/v1/therapists/{theirTherapist.Id}/deactivate", null)),
            ("GET", "/api/v1/tokens/{id}", () => mine.Admin.GetAsync($"/api/v1/tokens/{theirToken}")),
            ("DELETE", "/api/v1/tokens/{id}", () => mine.Admin.DeleteAsync($"/api/v1/tokens/{theirToken}")),
            ("GET", "/api/v1/clients/{id}", () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}")),
            ("PUT", "/api/v1/clients/{id}", () => mine.Admin.PutAsJsonAsync($"/api/v1/clients/{clientId}", clientBody)),
            ("PUT", "/api/v1/clients/{id}/care-team",
                () => mine.Admin.PutAsJsonAsync($"/api/v1/clients/{clientId}/care-team",
                new { therapistIds = new[] { mine.AdminId } })),
            ("POST", "/api/v1/clients/{id}/discharge",
                () => mine.Admin.PostAsync($"/api/v1/clients/{clientId}/discharge", null)),
            ("POST", "/api/v1/clients/{id}/export",
                () => mine.Admin.PostAsync($"/api/v1/clients/{clientId}/export", null)),
            ("POST", "/api/v1/clients/{id}/erasure-requests",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/erasure-requests",
                new { requestedBy = "x" })),
            ("GET", "/api/v1/erasure-requests/{id}",
                () => mine.Admin.GetAsync($"/api/v1/erasure-requests/{theirErasure}")),
            ("POST", "/api/v1/erasure-requests/{id}/execute",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/erasure-requests/{theirErasure}/execute",
                new { confirmClientId = clientId })),
            ("POST", "/api/v1/erasure-requests/{id}/refuse",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/erasure-requests/{theirErasure}/refuse",
                new { reason = "other", explanation = "x" })),
            ("POST", "/api/v1/clients/{id}/reactivate",
                () => mine.Admin.PostAsync($"/api/v1/clients/{clientId}/reactivate", null)),
            ("GET", "/api/v1/couples/{id}", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}")),
            ("PUT", "/api/v1/couples/{id}", () => mine.Admin.PutAsJsonAsync($"/api/v1/couples/{coupleId}", coupleBody)),
            ("POST", "/api/v1/couples/{id}/close",
                () => mine.Admin.PostAsync($"/api/v1/couples/{coupleId}/close", null)),
            ("POST", "/api/v1/couples/{id}/step", () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/step",
                new { step = 4 })),
            ("GET", "/api/v1/couples/{id}/steps", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/steps")),
            ("POST", "/api/v1/couples/{id}/breaches",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/breaches",
                new { occurredOn = "2026-01-02", type = "other" })),
            ("GET", "/api/v1/couples/{id}/breaches", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/breaches")),
            ("POST", "/api/v1/couples/{id}/safety-screenings",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/safety-screenings", new { clientId = a,
                abuseOrDanger = true, untreatedAddiction = false })),
            ("GET", "/api/v1/couples/{id}/safety-screenings",
                () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/safety-screenings")),
            ("GET", "/api/v1/sessions/{id}", () => mine.Admin.GetAsync($"/api/v1/sessions/{sessionId}")),
            ("PUT", "/api/v1/sessions/{id}", () => mine.Admin.PutAsJsonAsync($"/api/v1/sessions/{sessionId}",
                sessionBody)),
            ("POST", "/api/v1/sessions/{id}/complete",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/complete",
                new { attendance = new[] { new { clientId = a, attended = true } } })),
            ("POST", "/api/v1/sessions/{id}/cancel",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/cancel", new { reason = "x",
                byClient = false })),
            ("POST", "/api/v1/sessions/{id}/no-show",
                () => mine.Admin.PostAsync($"/api/v1/sessions/{sessionId}/no-show", null)),
            ("GET", "/api/v1/session-series/{id}", () => mine.Admin.GetAsync($"/api/v1/session-series/{seriesId}")),
            ("POST", "/api/v1/session-series/{id}/cancel",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/session-series/{seriesId}/cancel",
                new { fromSessionId = seriesSession, reason = "x", byClient = false })),
            ("POST", "/api/v1/session-series/{id}/reschedule",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/session-series/{seriesId}/reschedule",
                new { fromSessionId = seriesSession, startsAt = DateTime.UtcNow.Date.AddDays(4)
                    .AddHours(11), durationMinutes = 50 })),
            ("POST", "/api/v1/sessions/{id}/note/sign",
                () => mine.Admin.PostAsync($"/api/v1/sessions/{sessionId}/note/sign", null)),
            ("POST", "/api/v1/sessions/{id}/note/addenda",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/note/addenda", new { text = "x" })),
            ("GET", "/api/v1/exercise-templates/{id}",
                () => mine.Admin.GetAsync($"/api/v1/exercise-templates/{theirTemplate}")),
            ("PUT", "/api/v1/exercise-templates/{id}",
                () => mine.Admin.PutAsJsonAsync($"/api/v1/exercise-templates/{theirTemplate}", templateBody)),
            ("GET", "/api/v1/assignments/{id}", () => mine.Admin.GetAsync($"/api/v1/assignments/{theirAssignment}")),
            ("POST", "/api/v1/assignments/{id}/cancel",
                () => mine.Admin.PostAsync($"/api/v1/assignments/{theirAssignment}/cancel", null)),
            ("GET", "/api/v1/assignments/{id}/occurrences",
                () => mine.Admin.GetAsync($"/api/v1/assignments/{theirAssignment}/occurrences")),
            ("POST", "/api/v1/assignments/{id}/responses",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/assignments/{theirAssignment}/responses", answer)),
            ("GET", "/api/v1/assignments/{id}/responses",
                () => mine.Admin.GetAsync($"/api/v1/assignments/{theirAssignment}/responses")),
            ("POST", "/api/v1/responses/{id}/review",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/responses/{theirResponse}/review", new { feedback = "x",
                release = false })),
            ("POST", "/api/v1/clients/{id}/portal-tokens",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/clients/{a}/portal-tokens", new { })),
            ("GET", "/api/v1/me/assignments/{id}", () => portal.GetAsync($"/api/v1/me/assignments/{theirAssignment}")),
            ("GET", "/api/v1/me/assignments/{id}/occurrences",
                () => portal.GetAsync($"/api/v1/me/assignments/{theirAssignment}/occurrences")),
            ("GET", "/api/v1/me/assignments/{id}/exercise",
                () => portal.GetAsync($"/api/v1/me/assignments/{theirAssignment}/exercise")),
            ("POST", "/api/v1/me/assignments/{id}/responses",
                () => portal.PostAsJsonAsync($"/api/v1/me/assignments/{theirAssignment}/responses",
                answer with { respondentId = myA })),
            ("GET", "/api/v1/me/assignments/{id}/responses",
                () => portal.GetAsync($"/api/v1/me/assignments/{theirAssignment}/responses")),
            ("GET", "/api/v1/clients/{id}/recovery-log",
                () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}/recovery-log")),
            ("POST", "/api/v1/clients/{id}/recovery-log",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/recovery-log",
                new { kind = "sober_day" })),
            ("GET", "/api/v1/couples/{id}/repair-assessments",
                () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/repair-assessments")),
            ("POST", "/api/v1/couples/{id}/repair-assessments",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/repair-assessments",
                new { repairableSigns = Array.Empty<string>(), irreparableSigns = Array.Empty<string>(), outlook = "uncertain" })),
            ("GET", "/api/v1/programs/{id}", () => mine.Admin.GetAsync($"/api/v1/programs/{theirProgram}")),
            ("PUT", "/api/v1/programs/{id}", () => mine.Admin.PutAsJsonAsync($"/api/v1/programs/{theirProgram}",
                programBody)),
            ("POST", "/api/v1/couples/{id}/programs",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/programs",
                new { programId = PracticeApi.Features.Programs.BuiltInPrograms.IdFor(
                    PracticeApi.Features.Programs.BuiltInPrograms.AfterInfidelityKey) })),
            ("GET", "/api/v1/couples/{id}/programs", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/programs")),
            ("POST", "/api/v1/couples/{id}/programs/{enrolmentId}/stop",
                () => mine.Admin.PostAsync($"/api/v1/couples/{coupleId}/programs/{theirEnrolment}/stop", null)),
            ("GET", "/api/v1/couples/{id}/trust-contract",
                () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/trust-contract")),
            ("PUT", "/api/v1/couples/{id}/trust-contract",
                () => mine.Admin.PutAsJsonAsync($"/api/v1/couples/{coupleId}/trust-contract",
                new { lines = new[] { new { area = "X", agreement = "Y", measure = "Z" } } })),
            ("POST", "/api/v1/couples/{id}/trust-contract/agreements",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/trust-contract/agreements",
                new { clientId = a })),
            ("POST", "/api/v1/couples/{id}/trust-contract/evaluations",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/trust-contract/evaluations",
                new { clientId = a, month = "2026-01", ratings = new[] { new { lineId = Guid.NewGuid(), rating = "kept" } } })),
            ("GET", "/api/v1/couples/{id}/trust-contract/history",
                () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/trust-contract/history")),
            ("GET", "/api/v1/couples/{id}/trigger-plan",
                () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/trigger-plan")),
            ("PUT", "/api/v1/couples/{id}/trigger-plan",
                () => mine.Admin.PutAsJsonAsync($"/api/v1/couples/{coupleId}/trigger-plan",
                new { partners = new[] { new { clientId = a } } })),
            ("POST", "/api/v1/couples/{id}/trigger-episodes",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/trigger-episodes", new { clientId = a,
                occurredAt = "2026-01-01T10:00:00Z", intensity = 3 })),
            ("GET", "/api/v1/couples/{id}/trigger-episodes",
                () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/trigger-episodes")),
            ("POST", "/api/v1/couples/{id}/milestones",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{coupleId}/milestones", new { title = "x",
                occurredOn = "2026-01-01" })),
            ("GET", "/api/v1/couples/{id}/milestones",
                () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/milestones")),
            ("GET", "/api/v1/couples/{id}/progress", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/progress")),
            ("GET", "/api/v1/couples/{id}/alerts", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/alerts")),
            ("GET", "/api/v1/clients/{id}/support-network",
                () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}/support-network")),
            ("POST", "/api/v1/clients/{id}/support-network",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/support-network", new { name = "P",
                relationship = "friend", effect = "supports", mayContact = false })),
            ("PUT", "/api/v1/clients/{id}/support-network/{personId}",
                () => mine.Admin.PutAsJsonAsync($"/api/v1/clients/{clientId}/support-network/{theirPerson}",
                new { name = "P", relationship = "friend", effect = "supports", mayContact = false })),
            ("DELETE", "/api/v1/clients/{id}/support-network/{personId}",
                () => mine.Admin.DeleteAsync($"/api/v1/clients/{clientId}/support-network/{theirPerson}")),
            ("DELETE", "/api/v1/webhooks/{id}", () => mine.Admin.DeleteAsync($"/api/v1/webhooks/{theirHook}")),
            ("DELETE", "/api/v1/smart-clients/{id}",
                () => mine.Admin.DeleteAsync($"/api/v1/smart-clients/{theirSmartClient}")),
            ("GET", "/api/v1/webhooks/{id}/deliveries",
                () => mine.Admin.GetAsync($"/api/v1/webhooks/{theirHook}/deliveries")),
            ("POST", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
                () => mine.Admin.PostAsync(
                    $"/api/v1/webhooks/{theirHook}/deliveries/{Guid.NewGuid()}/redeliver", null)),
            ("GET", "/api/v1/fee-schedules/{id}", () => mine.Admin.GetAsync($"/api/v1/fee-schedules/{theirSchedule}")),
            ("GET", "/api/v1/clients/{id}/billing", () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}/billing")),
            ("PUT", "/api/v1/clients/{id}/billing",
                () => mine.Admin.PutAsJsonAsync($"/api/v1/clients/{clientId}/billing", new { name = "X",
                address = "Y" })),
            ("GET", "/api/v1/couples/{id}/billing", () => mine.Admin.GetAsync($"/api/v1/couples/{coupleId}/billing")),
            ("PUT", "/api/v1/couples/{id}/billing",
                () => mine.Admin.PutAsJsonAsync($"/api/v1/couples/{coupleId}/billing", new { payerId = a })),
            ("GET", "/api/v1/invoices/{id}", () => mine.Admin.GetAsync($"/api/v1/invoices/{theirInvoice}")),
            ("DELETE", "/api/v1/invoices/{id}", () => mine.Admin.DeleteAsync($"/api/v1/invoices/{theirInvoice}")),
            ("POST", "/api/v1/invoices/{id}/issue",
                () => mine.Admin.PostAsync($"/api/v1/invoices/{theirInvoice}/issue", null)),
            ("POST", "/api/v1/invoices/{id}/credit-notes",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/invoices/{theirInvoice}/credit-notes",
                new { reason = "x" })),
            ("POST", "/api/v1/invoices/{id}/payments",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/invoices/{theirInvoice}/payments",
                new { amountCents = 1, paidOn = api.Today.ToString("yyyy-MM-dd"), method = "cash" })),
            ("GET", "/api/v1/me/invoices/{id}", () => portal.GetAsync($"/api/v1/me/invoices/{theirInvoice}")),
            ("GET", "/api/v1/invoices/{id}/ubl", () => mine.Admin.GetAsync($"/api/v1/invoices/{theirInvoice}/ubl")),
            ("GET", "/api/v1/clients/{id}/reminders",
                () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}/reminders")),
            ("GET", "/api/v1/clients/{id}/consents", () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}/consents")),
            ("GET", "/api/v1/clients/{id}/measures", () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}/measures")),
            ("POST", "/api/v1/clients/{id}/measures",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/measures",
                new { measureId = theirMeasure, answers = new Dictionary<string, string> { ["calm"] = "no" } })),
            ("GET", "/api/v1/measures/{id}", () => mine.Admin.GetAsync($"/api/v1/measures/{theirMeasure}")),
            ("GET", "/api/v1/clients/{id}/measure-assignments",
                () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}/measure-assignments")),
            ("POST", "/api/v1/clients/{id}/measure-assignments",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/measure-assignments",
                new { measureId = theirMeasure, cadence = "once" })),
            ("GET", "/api/v1/clients/{id}/measure-assignments/{assignmentId}",
                () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}/measure-assignments/{theirMeasureAssignment}")),
            ("POST", "/api/v1/clients/{id}/measure-assignments/{assignmentId}/cancel",
                () => mine.Admin.PostAsync(
                    $"/api/v1/clients/{clientId}/measure-assignments/{theirMeasureAssignment}/cancel", null)),
            ("POST", "/api/v1/clients/{id}/consents",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/consents", new { kind = "treatment",
                textVersion = "v1", via = "paper" })),
            ("GET", "/api/v1/clients/{id}/consents/{consentId}",
                () => mine.Admin.GetAsync($"/api/v1/clients/{clientId}/consents/{theirConsent}")),
            ("POST", "/api/v1/clients/{id}/consents/{consentId}/withdraw",
                () => mine.Admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/consents/{theirConsent}/withdraw",
                new { via = "paper" })),
            ("PUT", "/api/v1/clients/{id}/reminders",
                () => mine.Admin.PutAsJsonAsync($"/api/v1/clients/{clientId}/reminders", new { enabled = true,
                hoursBefore = 2 })),
            ("GET", "/fhir/Patient/{id}", () => mine.Admin.GetAsync($"/fhir/Patient/{clientId}")),
            ("GET", "/fhir/Appointment/{id}", () => mine.Admin.GetAsync($"/fhir/Appointment/{sessionId}")),
            ("GET", "/fhir/Questionnaire/{id}", () => mine.Admin.GetAsync($"/fhir/Questionnaire/{theirTemplate}-v1")),
            ("GET", "/fhir/QuestionnaireResponse/{id}",
                () => mine.Admin.GetAsync($"/fhir/QuestionnaireResponse/{theirResponse}")),
            ("GET", "/fhir/Task/{id}", () => mine.Admin.GetAsync($"/fhir/Task/{theirTask}")),
            ("GET", "/fhir/CarePlan/{id}", () => mine.Admin.GetAsync($"/fhir/CarePlan/{coupleId}-0")),
            ("GET", "/fhir/RelatedPerson/{id}", () => mine.Admin.GetAsync($"/fhir/RelatedPerson/{coupleId}-0")),
            ("GET", "/fhir/Invoice/{id}", () => mine.Admin.GetAsync($"/fhir/Invoice/{theirInvoice}")),
            ("GET", "/fhir/Consent/{id}", () => mine.Admin.GetAsync($"/fhir/Consent/{theirConsent}")),
            ("GET", "/fhir/Observation/{id}", () => mine.Admin.GetAsync($"/fhir/Observation/{theirScore}")),
            ("GET", "/fhir/Group/{id}/$export", () => mine.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Get,
                $"/fhir/Group/{theirTherapist.Id}/$export")
            {
                Headers = { { "Prefer", "respond-async" } },
            })),
            ("GET", "/fhir/$export-status/{id}", () => mine.Admin.GetAsync(theirExport)),
            ("DELETE", "/fhir/$export-status/{id}", () => mine.Admin.DeleteAsync(theirExport)),
            ("GET", "/fhir/$export-file/{id}", () => mine.Admin.GetAsync(theirFile)),
        };

        // Their ids placed in my request bodies.
        var bodies = new List<Func<Task<HttpResponseMessage>>>
        {
            () => mine.Admin.PostAsJsonAsync("/api/v1/clients", new { firstName = "A", lastName = "B",
                careTeam = new[] { theirTherapist.Id } }),
            () => mine.Admin.PutAsJsonAsync($"/api/v1/clients/{myClient}/care-team",
                new { therapistIds = new[] { theirTherapist.Id } }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/couples", new { partnerAId = a, partnerBId = b,
                breachType = "other", partnerARole = "breaching", partnerBRole = "hurt" }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/couples", new { partnerAId = myA, partnerBId = b,
                breachType = "other", partnerARole = "breaching", partnerBRole = "hurt" }),
            () => mine.Admin.PostSessionAsync(new { clientId }, start),
            () => mine.Admin.PostSessionAsync(new { coupleId }, start),
            () => mine.Admin.PostSessionAsync(new { clientId = myClient }, start, therapistId: theirTherapist.Id),
            () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{myCouple}/safety-screenings", new { clientId = a,
                abuseOrDanger = true, untreatedAddiction = false }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "user", name = "x",
                therapistId = theirTherapist.Id }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/assignments", new { templateId = theirTemplate,
                coupleId = myCouple }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/assignments",
                new { templateId = PracticeApi.Features.Exercises.BuiltInCatalogue.IdFor("daily_check_in"), coupleId }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/assignments",
                new { templateId = PracticeApi.Features.Exercises.BuiltInCatalogue.IdFor(
                    "accountability_log"), clientId }),
            () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{myCouple}/trust-contract/agreements",
                new { clientId = a }),
            () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{myCouple}/programs", new { programId = theirProgram }),
            () => mine.Admin.PostAsync($"/api/v1/couples/{myCouple}/programs/{theirEnrolment}/stop", null),
            () => mine.Admin.PostAsJsonAsync("/api/v1/programs", programBody),
            () => mine.Admin.PostAsJsonAsync($"/api/v1/couples/{myCouple}/trigger-episodes", new { clientId = a,
                occurredAt = "2026-01-01T10:00:00Z", intensity = 3 }),
            () => mine.Admin.PostAsJsonAsync("/api/v1/invoices", new { payerId = clientId, from = "2026-01-01",
                to = "2026-12-31" }),
        };

        foreach (var (method, template, call) in calls)
        {
            var response = await call();
            Assert.True((int)response.StatusCode == 404, $"{method} {template} answered {(int)response.StatusCode}");
            if (template.StartsWith("/fhir", StringComparison.Ordinal))
            {
                Assert.Contains("OperationOutcome", await response.Content.ReadAsStringAsync());
            }
            else
            {
                await response.AssertProblemAsync(404, "not-found");
            }
        }

        foreach (var call in bodies) await (await call()).AssertProblemAsync(404, "not-found");

        // Lists never show their rows either.
        Assert.Empty((await (await mine.Admin.GetAsync($"/api/v1/sessions?clientId={a}")).ReadJsonAsync(200)).Ids());
        Assert.Empty((await (await mine.Admin.GetAsync($"/api/v1/couples?clientId={a}")).ReadJsonAsync(200)).Ids());
        Assert.Empty((await (await mine.Admin.GetAsync($"/api/v1/clients?therapistId={theirTherapist.Id}"))
            .ReadJsonAsync(200)).Ids());

        Assert.Equal(snapshot, await SnapshotAsync(theirs, clientId, coupleId, sessionId));
        Assert.Single((await (await theirs.Admin.GetAsync("/api/v1/webhooks")).ReadJsonAsync(200)).Ids());
        Assert.DoesNotContain(clientId.ToString(),
            Entries(await mine.Admin.GetStringAsync($"/fhir/Patient?_count=200")));
        Assert.Empty(Entries(await mine.Admin.GetStringAsync($"/fhir/Appointment?patient={a}")));
        Assert.Empty(Entries(await mine.Admin.GetStringAsync($"/fhir/RelatedPerson?patient={a}")));
        await (await theirTherapist.Client.GetAsync("/api/v1/me")).ReadJsonAsync(200);

        // Every route with an id in the API description is covered here.
        var document = JsonNode.Parse(await api.ClientWith(null).GetStringAsync("/openapi/v1.json"))!;
        var routes = document["paths"]!.AsObject()
            .Where(p => p.Key.Contains("{id}", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(m => (m.Key.ToUpperInvariant(), p.Key)))
            .ToHashSet();
        var covered = calls.Select(c => (c.Method, c.Template)).ToHashSet();
        Assert.Empty(routes.Except(covered));
    }

    private static IEnumerable<string> Entries(string bundle) =>
        System.Text.Json.Nodes.JsonNode.Parse(bundle)!["entry"]?.AsArray()
            .Select(e => e!["resource"]!["id"]!.GetValue<string>()) ?? [];

    private static async Task<string> SnapshotAsync(PracticeContext practice, Guid clientId, Guid coupleId,
        Guid sessionId)
    {
        var parts = new[]
        {
            await practice.Admin.GetStringAsync($"/api/v1/clients/{clientId}"),
            await practice.Admin.GetStringAsync($"/api/v1/couples/{coupleId}"),
            await practice.Admin.GetStringAsync($"/api/v1/sessions/{sessionId}"),
            await practice.Admin.GetStringAsync($"/api/v1/couples/{coupleId}/steps"),
            await practice.Admin.GetStringAsync($"/api/v1/couples/{coupleId}/breaches"),
            await practice.Admin.GetStringAsync("/api/v1/therapists"),
            await practice.Admin.GetStringAsync("/api/v1/tokens"),
            await practice.Admin.GetStringAsync("/api/v1/assignments"),
            await practice.Admin.GetStringAsync($"/api/v1/couples/{coupleId}/trust-contract"),
            await practice.Admin.GetStringAsync($"/api/v1/couples/{coupleId}/milestones"),
            await practice.Admin.GetStringAsync($"/api/v1/clients/{clientId}/support-network"),
        };
        return string.Join("\n", parts.Select(p => System.Text.RegularExpressions.Regex.Replace(p,
            "\"(monthsInRepair|lastUsedAt)\":[^,}]*", "")));
    }
}

public sealed class TenancyOnSqlite(SqliteApi api) : TenancySuite(api), IClassFixture<SqliteApi>;

public sealed class TenancyOnSqlServer(SqlServerApi api) : TenancySuite(api), IClassFixture<SqlServerApi>;
