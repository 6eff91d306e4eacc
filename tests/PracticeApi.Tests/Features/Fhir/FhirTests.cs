using Hl7.Fhir.Serialization;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeApi.Tests.Infrastructure;
using PracticeApi.Tests.Features.Invoicing;

namespace PracticeApi.Tests.Features.Fhir;

public abstract class FhirSuite(ApiFactory api)
{
    private static async Task<JsonObject> FhirAsync(HttpClient client, string url, int status = 200)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status,
            $"{url}: expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static IEnumerable<JsonObject> Entries(JsonObject bundle) =>
        bundle["entry"]?.AsArray().Select(e => e!["resource"]!.AsObject()) ?? [];

    /// <summary>A couple with a session, check-ins answered, and a table exercise answered.</summary>
    private async Task<(CoupleCase Case, Guid Session, Guid CheckIn)> SeedAsync()
    {
        var c = await api.NewCoupleCaseAsync();
        api.Clock.Set(Infrastructure.ExerciseWork.Utc("2026-03-05T18:00:00Z"));
        await c.Practice.Admin.PutAsJsonAsync($"/api/v1/clients/{c.A}", new
        {
            firstName = "Sanne", lastName = "de Vries", email = "sanne@example.test", phone = "+31 6 1111 2222", dateOfBirth = "1988-01-02",
            identifiers = new[] { new { system = "https://ehr.example/patient", value = $"P-{c.A:N}" } },
        });
        var session = await c.Practice.Admin.CreateSessionAsync(new { coupleId = c.CoupleId },
            Infrastructure.ExerciseWork.Utc("2026-03-05T09:00:00Z").UtcDateTime);
        var checkIn = await c.Practice.Admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn,
            coupleId = c.CoupleId, startsOn = "2026-03-04", occurrences = 3 });
        await (await c.PortalA.AnswerAsync(checkIn, "2026-03-04", Infrastructure.ExerciseWork.CheckIn("stormy")))
            .ReadJsonAsync(201);
        var boundaries = await c.Practice.Admin.AssignAsync(new
        {
            templateId = Infrastructure.ExerciseWork.TemplateId(
                "agreed_boundaries"), coupleId = c.CoupleId, startsOn = "2026-03-05", respondents = c.A.ToString(),
        });
        await (await c.PortalA.AnswerAsync(boundaries, "2026-03-05", new
        {
            boundaries = new[] { new { boundary = "No contact with the other person", why = "Safety", if_crossed = "We talk in session" } },
        })).ReadJsonAsync(201);
        return (c, session, checkIn);
    }

    /// <summary>
    /// Three invoices to partner A for individual sessions in February, each issued: one paid, one credited in full
    /// (its credit note is a fourth Invoice resource), one open. Returns them in that order with the credit note last.
    /// And three consents of partner A, one withdrawn.
    /// </summary>
    private static async Task<List<Guid>> InvoicesAsync(CoupleCase c)
    {
        var admin = c.Practice.Admin;
        foreach (var kind in new[] { "treatment", "portal_use" })
        {
            await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/consents", new { kind, textVersion = "v1",
                via = "paper" })).ReadJsonAsync(201);
        }

        var sharing = await (await c.PortalA.PostAsJsonAsync("/api/v1/me/consents", new
        {
            kind = "ehr_sharing", textVersion = "v1", recipientId = (await c.Practice.IntegrationTokenIdAsync()),
        })).ReadJsonAsync(201);
        await (await c.PortalA.PostAsJsonAsync($"/api/v1/me/consents/{sharing.GetProperty("id").GetGuid()}/withdraw",
            new { })).ReadJsonAsync(200);
        // Three scores of a measure with a LOINC-coded total, subscales and bands (Observations).
        var measure = (await (await admin.PostAsJsonAsync("/api/v1/measures", new
        {
            key = "two_items", name = "Two items", loincCode = (string?)null, totalLoincCode = "44261-6",
            items = new[] { "one", "two" }.Select(l => new { linkId = l, text = l, subscale = l,
                options = new[] { new { code = "0", text = "No", value = 0 },
                new { code = "1", text = "Yes", value = 1 } } }),
            bands = new[] { new { min = 0, max = 1, label = "low" }, new { min = 2, max = 2, label = "high" } }, criticalItems = Array.Empty<object>(),
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();
        foreach (var (one, two) in new[] { ("0", "0"), ("1", "0"), ("1", "1") })
        {
            await (await c.PortalA.PostAsJsonAsync("/api/v1/me/measures", new { measureId = measure,
                answers = new Dictionary<string, string> { ["one"] = one, ["two"] = two } }))
                .ReadJsonAsync(201);
        }

        await Billing.SetUpAsync(c.Practice);
        await Billing.PayerAsync(admin, c.A, "Sanne de Vries");
        var ids = new List<Guid>();
        for (var day = new DateOnly(2026, 2, 2); ids.Count < 3; day = day.AddDays(1))
        {
            await Billing.CompletedSessionAsync(admin, new { clientId = c.A }, day.ToDateTime(new TimeOnly(9, 0),
                DateTimeKind.Utc), c.A);
            ids.Add((await Billing.IssueAsync(admin, (await Billing.DraftAsync(admin, c.A, day, day)).Id())).Id());
        }

        await (await admin.PostAsJsonAsync($"/api/v1/invoices/{ids[0]}/payments", new { amountCents = 9500,
            paidOn = "2026-03-05", method = "bank_transfer" }))
            .ReadJsonAsync(200);
        ids.Add((await (await admin.PostAsJsonAsync($"/api/v1/invoices/{ids[1]}/credit-notes",
            new { reason = "Billed twice" })).ReadJsonAsync(201)).Id());
        return ids;
    }

    /// <summary>Every search the CapabilityStatement offers, for patient A where a type takes a patient.</summary>
    private async Task<List<string>> EverySearchAsync(Guid patient)
    {
        var metadata = await FhirAsync(api.ClientWith(null), "/fhir/metadata");
        return metadata["rest"]![0]!["resource"]!.AsArray().Select(r =>
        {
            var type = r!["type"]!.GetValue<string>();
            var patientSearch = r["searchParam"]?.AsArray()
                .Any(p => p!["name"]!.GetValue<string>() == "patient") == true;
            return patientSearch ? $"/fhir/{type}?patient={patient}&_count=200" : $"/fhir/{type}?_count=200";
        }).ToList();
    }

    [SkippableFact]
    public async Task Invoices_are_fhir_invoices_balanced_once_paid_cancelled_once_credited_and_found_by_number()
    {
        var (c, _, _) = await SeedAsync();
        var admin = c.Practice.Admin;
        var ids = await InvoicesAsync(c);
        var invoices = Entries(await FhirAsync(admin, $"/fhir/Invoice?patient=Patient/{c.A}"))
            .ToDictionary(i => Guid.Parse(i["id"]!.GetValue<string>()));
        Assert.Equal(ids.Order(), invoices.Keys.Order());
        Assert.Equal(["balanced", "cancelled", "issued", "issued"],
            ids.Select(i => invoices[i]["status"]!.GetValue<string>()));
        var paid = invoices[ids[0]];
        Assert.Equal($"Patient/{c.A}", paid["subject"]!["reference"]!.GetValue<string>());
        Assert.Equal(95.00m, paid["totalGross"]!["value"]!.GetValue<decimal>());
        Assert.Equal("EUR", paid["totalGross"]!["currency"]!.GetValue<string>());
        Assert.Equal("2", paid["meta"]!["versionId"]!.GetValue<string>());
        Assert.Contains("2026-02-02", paid["lineItem"]![0]!["chargeItemCodeableConcept"]!["text"]!.GetValue<string>());
        Assert.Equal(["base", "tax"], paid["lineItem"]![0]!["priceComponent"]!.AsArray()
            .Select(p => p!["type"]!.GetValue<string>()));
        Assert.Contains("Billed twice", invoices[ids[1]]["cancelledReason"]!.GetValue<string>());
        Assert.Equal(-95.00m, invoices[ids[3]]["totalNet"]!["value"]!.GetValue<decimal>());
        Assert.Equal("credit_note", invoices[ids[3]]["type"]!["coding"]![0]!["code"]!.GetValue<string>());

        var number = paid["identifier"]![0]!["value"]!.GetValue<string>();
        foreach (var token in new[] { number, $"urn:practiceapi:invoice-number|{number}" })
        {
            Assert.Equal([ids[0].ToString()], Entries(await FhirAsync(admin,
                $"/fhir/Invoice?identifier={Uri.EscapeDataString(token)}")).Select(i => i["id"]!.GetValue<string>()));
        }

        Assert.Equal(4, Entries(await FhirAsync(admin,
            "/fhir/Invoice?identifier=urn:practiceapi:invoice-number|")).Count());
        Assert.Empty(Entries(await FhirAsync(admin, $"/fhir/Invoice?identifier=https://other.example|{number}")));
        Assert.Equal(paid.ToJsonString(), (await FhirAsync(admin, $"/fhir/Invoice/{ids[0]}")).ToJsonString());

        // A draft is the practice's own work: never an Invoice. Another caseload's and another practice's: not found.
        await Billing.CompletedSessionAsync(admin, new { clientId = c.A }, new DateTime(2026, 2, 16, 9, 0, 0,
            DateTimeKind.Utc), c.A);
        var draft = (await Billing.DraftAsync(admin, c.A, new DateOnly(2026, 2, 16), new DateOnly(2026, 2, 16))).Id();
        await FhirAsync(admin, $"/fhir/Invoice/{draft}", 404);
        var therapist = await c.Practice.AddTherapistAsync();
        await FhirAsync(therapist.Client, $"/fhir/Invoice/{ids[0]}", 404);
        Assert.Empty(Entries(await FhirAsync(therapist.Client, $"/fhir/Invoice?patient={c.A}")));
        await FhirAsync((await api.NewPracticeAsync()).Admin, $"/fhir/Invoice/{ids[0]}", 404);
    }

    [SkippableFact]
    public async Task Every_resource_type_is_served_read_and_searched()
    {
        var (c, session, checkIn) = await SeedAsync();
        var admin = c.Practice.Admin;
        var metadata = await FhirAsync(api.ClientWith(null), "/fhir/metadata");
        Assert.Equal("CapabilityStatement", metadata["resourceType"]!.GetValue<string>());
        var types = metadata["rest"]![0]!["resource"]!.AsArray().Select(r => r!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["Patient", "Appointment", "Questionnaire", "QuestionnaireResponse", "Task", "CarePlan",
            "RelatedPerson", "Invoice", "Consent", "Observation"], types);

        var patients = await FhirAsync(admin,
            $"/fhir/Patient?identifier={Uri.EscapeDataString($"https://ehr.example/patient|P-{c.A:N}")}");
        var patient = Assert.Single(Entries(patients));
        Assert.Equal(c.A.ToString(), patient["id"]!.GetValue<string>());
        // The partner is a RelatedPerson of the patient, never a Patient.link (which in R4 means "the same person").
        Assert.Null(patient["link"]);
        var related = Assert.Single(Entries(await FhirAsync(admin, $"/fhir/RelatedPerson?patient=Patient/{c.A}")));
        Assert.Equal($"Patient/{c.A}", related["patient"]!["reference"]!.GetValue<string>());
        Assert.Equal("SIGOTHR", related["relationship"]![0]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(related.ToJsonString(), (await FhirAsync(admin,
            $"/fhir/RelatedPerson/{related["id"]!.GetValue<string>()}")).ToJsonString());
        Assert.Equal("searchset", patients["type"]!.GetValue<string>());

        var appointments = Entries(await FhirAsync(admin, $"/fhir/Appointment?patient=Patient/{c.B}")).ToList();
        Assert.Equal([session.ToString()], appointments.Select(a => a["id"]!.GetValue<string>()));
        Assert.Equal("booked", (await FhirAsync(admin, $"/fhir/Appointment/{session}"))["status"]!.GetValue<string>());

        var tasks = Entries(await FhirAsync(admin, $"/fhir/Task?patient={c.A}")).ToList();
        var done = tasks.Single(
            t => t["id"]!.GetValue<string>() == $"{checkIn}-20260304-{(c.A.CompareTo(c.B) < 0 ? 0 : 1)}");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var responseRef = done["output"]![0]!["valueReference"]!["reference"]!.GetValue<string>();
        var questionnaireResponse = await FhirAsync(admin, $"/fhir/{responseRef}");
        Assert.Equal("stormy", questionnaireResponse["item"]!.AsArray()
            .Single(i => i!["linkId"]!.GetValue<string>() == "mood")!["answer"]![0]!["valueCoding"]!["code"]!.GetValue<string>());
        var questionnaire = await FhirAsync(admin, $"/fhir/{done["focus"]!["reference"]!.GetValue<string>()}");
        Assert.Equal("Daily check-in", questionnaire["title"]!.GetValue<string>());
        Assert.Equal(done["id"]!.GetValue<string>(), (await FhirAsync(admin,
            $"/fhir/Task/{done["id"]}"))["id"]!.GetValue<string>());

        var plans = Entries(await FhirAsync(admin, $"/fhir/CarePlan?patient={c.A}")).ToList();
        var plan = Assert.Single(plans);
        Assert.Contains("Step 1 of 7", plan["description"]!.GetValue<string>());
        Assert.NotEmpty(plan["activity"]!.AsArray());
        await FhirAsync(admin, $"/fhir/CarePlan/{plan["id"]}");

        var responses = Entries(await FhirAsync(admin,
            $"/fhir/QuestionnaireResponse?patient={c.A}&_lastUpdated=ge2026-03-01")).ToList();
        Assert.Equal(2, responses.Count);
        Assert.Empty(Entries(await FhirAsync(admin,
            $"/fhir/QuestionnaireResponse?patient={c.A}&_lastUpdated=lt2026-03-01")));
        Assert.NotEmpty(Entries(await FhirAsync(admin, "/fhir/Questionnaire?_count=50")));
    }

    [SkippableFact]
    public async Task Searches_page_with_next_links_and_follow_the_caseload()
    {
        var practice = await api.NewPracticeAsync();
        var ann = await practice.AddTherapistAsync();
        var annsClients = new List<Guid>();
        for (var i = 0; i < 5; i++) annsClients.Add(await ann.Client.CreateClientIdAsync());
        var someoneElse = await practice.Admin.CreateClientIdAsync();

        var seen = new List<string>();
        var url = "/fhir/Patient?_count=2";
        var pages = 0;
        while (url is not null)
        {
            var bundle = await FhirAsync(ann.Client, url);
            seen.AddRange(Entries(bundle).Select(p => p["id"]!.GetValue<string>()));
            var next = bundle["link"]!.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == "next");
            url = next is null ? null : new Uri(next["url"]!.GetValue<string>()).PathAndQuery;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(annsClients.Select(g => g.ToString()).Order(), seen.Order());
        var outcome = await FhirAsync(ann.Client, $"/fhir/Patient/{someoneElse}", 404);
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Equal(6, Entries(await FhirAsync(practice.Admin, "/fhir/Patient?_count=200")).Count());

        var other = await api.NewPracticeAsync();
        await FhirAsync(other.Admin, $"/fhir/Patient/{annsClients[0]}", 404);
        Assert.Empty(Entries(await FhirAsync(other.Admin, "/fhir/Patient")));
        var integration = await practice.IntegrationAsync("fhir:read");
        Assert.Equal(6, Entries(await FhirAsync(integration, "/fhir/Patient?_count=200")).Count());
        await FhirAsync(await practice.IntegrationAsync("clients:read"), "/fhir/Patient", 403);
    }

    [SkippableFact]
    public async Task Every_next_link_of_every_search_leads_to_the_last_page_and_pages_add_up_to_one_large_page()
    {
        var (c, _, checkIn) = await SeedAsync();
        var admin = c.Practice.Admin;
        await InvoicesAsync(c);
        // Enough of everything for three pages of two: another answer, more sessions, and two more couples for partner
        // A.
        await (await c.PortalA.AnswerAsync(checkIn, "2026-03-05", Infrastructure.ExerciseWork.CheckIn("sunny")))
            .ReadJsonAsync(201);
        for (var i = 1; i <= 4; i++) await admin.CreateSessionAsync(new { clientId = c.A },
            Infrastructure.ExerciseWork.Utc("2026-03-10T09:00:00Z").UtcDateTime.AddDays(i));
        for (var i = 0; i < 2; i++)
        {
            var other = await admin.CreateClientIdAsync();
            await (await admin.PostAsJsonAsync("/api/v1/couples", new
            {
                partnerAId = c.A, partnerBId = other, breachType = "emotional_affair", partnerARole = "breaching", partnerBRole = "hurt", startedOn = "2026-01-05",
            })).ReadJsonAsync(201);
        }

        var metadata = await FhirAsync(api.ClientWith(null), "/fhir/metadata");
        var resources = metadata["rest"]![0]!["resource"]!.AsArray().Select(r => r!.AsObject()).ToList();
        foreach (var resource in resources)
        {
            var type = resource["type"]!.GetValue<string>();
            var parameters = resource["searchParam"]?.AsArray().Select(p => p!["name"]!.GetValue<string>())
                .ToHashSet() ?? [];
            var query = parameters.Contains("patient") ? $"patient=Patient/{c.A}&" : "";
            var all = Entries(await FhirAsync(admin, $"/fhir/{type}?{query}_count=200"))
                .Select(e => e["id"]!.GetValue<string>()).ToList();
            var paged = new List<string>();
            var pages = 0;
            string? next = $"/fhir/{type}?{query}_count=2";
            while (next is not null)
            {
                var bundle = await FhirAsync(admin, next);
                var ids = Entries(bundle).Select(e => e["id"]!.GetValue<string>()).ToList();
                Assert.True(ids.Count <= 2, $"{type}: a page of {ids.Count}");
                paged.AddRange(ids);
                next = bundle["link"]?.AsArray()
                    .FirstOrDefault(
                    l => l!["relation"]!.GetValue<string>() == "next")?["url"]?.GetValue<string>() is { } url
                    ? new Uri(url).PathAndQuery
                    : null;
                Assert.True(++pages < 200, $"{type}: paging does not end");
            }

            Assert.True(all.Count >= 3, $"{type}: only {all.Count} resources, too few to need three pages");
            Assert.Equal(all.Order(StringComparer.Ordinal), paged.Order(StringComparer.Ordinal));
            Assert.Equal(paged.Count, paged.Distinct().Count());
        }
    }

    [SkippableFact]
    public async Task Errors_are_operation_outcomes()
    {
        var practice = await api.NewPracticeAsync();
        Assert.Equal("OperationOutcome", (await FhirAsync(api.ClientWith(null), "/fhir/Patient",
            401))["resourceType"]!.GetValue<string>());
        var unknown = await FhirAsync(practice.Admin, "/fhir/Patient?name=smith", 400);
        Assert.Contains("name", unknown["issue"]![0]!["diagnostics"]!.GetValue<string>());
        await FhirAsync(practice.Admin, "/fhir/Patient?_count=0", 400);
        await FhirAsync(practice.Admin, "/fhir/Patient?_lastUpdated=yesterday", 400);
        await FhirAsync(practice.Admin, "/fhir/Task", 400);
        await FhirAsync(practice.Admin, "/fhir/Encounter", 404);
        await FhirAsync(practice.Admin, "/fhir/Patient/not-a-guid", 404);
        var wrongMethod = await practice.Admin.PostAsJsonAsync("/fhir/Patient", new { resourceType = "Patient" });
        Assert.Equal(405, (int)wrongMethod.StatusCode);
        Assert.Equal("application/fhir+json", wrongMethod.Content.Headers.ContentType?.MediaType);
        Assert.Contains("OperationOutcome", await wrongMethod.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// What strict FHIR clients meet: every resource type and search page parsed by Firely's SDK (Hl7.Fhir.R4) in its
    /// default, strict mode, the parser its FhirClient uses (no empty arrays, valid canonicals, known elements only).
    /// </summary>
    [SkippableFact]
    public async Task Every_resource_and_search_page_parses_with_firelys_strict_parser()
    {
        var (c, session, _) = await SeedAsync();
        var admin = c.Practice.Admin;
        await InvoicesAsync(c);
        var strict = new System.Text.Json.JsonSerializerOptions().ForFhir(Hl7.Fhir.Model.ModelInfo.ModelInspector);
        var pages = new List<(string Url, JsonObject Body)> { ("/fhir/metadata", await FhirAsync(api.ClientWith(null),
            "/fhir/metadata")) };
        foreach (var url in (await EverySearchAsync(c.A)).Append($"/fhir/Patient/{c.A}")
            .Append($"/fhir/Appointment/{session}"))
        {
            var body = await FhirAsync(admin, url);
            pages.Add((url, body));
            if (body["resourceType"]?.GetValue<string>() != "Bundle") continue;
            foreach (var resource in Entries(body))
            {
                var type = resource["resourceType"]!.GetValue<string>();
                var id = resource["id"]!.GetValue<string>();
                pages.Add(($"/fhir/{type}/{id}", await FhirAsync(admin, $"/fhir/{type}/{id}")));
            }
        }

        pages.Add(("/fhir/Encounter (404)", await FhirAsync(admin, "/fhir/Encounter", 404)));
        pages.Add(("an empty search", await FhirAsync(admin, $"/fhir/Patient?_id={Guid.NewGuid()}")));
        var failures = new List<string>();
        foreach (var (url, body) in pages)
        {
            try
            {
                System.Text.Json.JsonSerializer.Deserialize<Hl7.Fhir.Model.Resource>(body.ToJsonString(), strict);
            }
            catch (Hl7.Fhir.Serialization.DeserializationFailedException e)
            {
                failures.Add($"{url}: {e.Message}");
            }
        }

        Assert.True(pages.Count > 15, $"only {pages.Count} pages read");
        var served = (await EverySearchAsync(c.A)).Select(u => u.Split('?')[0]["/fhir/".Length..]).ToHashSet();
        // Every type served was read: the list of pages comes from the CapabilityStatement, so a new type is parsed
        // too.
        Assert.Subset(pages.Select(p => p.Body["resourceType"]!.GetValue<string>()).ToHashSet(), served);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SkippableFact]
    public async Task Search_conventions_integrators_rely_on_id_or_tokens_value_only_identifiers_and_canonical_urls()
    {
        var (c, session, _) = await SeedAsync();
        var admin = c.Practice.Admin;
        await admin.PutAsJsonAsync($"/api/v1/clients/{c.B}", new
        {
            firstName = "Joost", lastName = "Bakker", identifiers = new[] { new { system = "https://ehr.example/patient", value = $"P-{c.B:N}" } },
        });

        var both = await FhirAsync(admin,
            $"/fhir/Patient?identifier=https://ehr.example/patient|P-{c.A:N},https://ehr.example/patient|P-{c.B:N}");
        Assert.Equal(2, Entries(both).Count());
        var valueOnly = await FhirAsync(admin, $"/fhir/Patient?identifier=P-{c.B:N}");
        Assert.Equal(c.B.ToString(), Entries(valueOnly).Single()["id"]!.GetValue<string>());
        Assert.Empty(Entries(await FhirAsync(admin, "/fhir/Patient?identifier=https://other.example|P-1")));
        var byId = await FhirAsync(admin, $"/fhir/Patient?_id={c.A},{c.B},{Guid.NewGuid()}");
        Assert.Equal(2, Entries(byId).Count());
        Assert.Equal(session.ToString(), Entries(await FhirAsync(admin, $"/fhir/Appointment?_id={session}"))
            .Single()["id"]!.GetValue<string>());
        await FhirAsync(admin, "/fhir/Patient?_id=not-an-id", 400);

        // Bundle.total: counted across pages on request, known anyway for a single page, absent otherwise.
        var counted = await FhirAsync(admin, "/fhir/Patient?_count=1&_total=accurate");
        Assert.Equal(2, counted["total"]!.GetValue<int>());
        Assert.Single(Entries(counted));
        Assert.Null((await FhirAsync(admin, "/fhir/Patient?_count=1"))["total"]);
        Assert.Equal(2, (await FhirAsync(admin, "/fhir/Patient"))["total"]!.GetValue<int>());
        var responses = await FhirAsync(admin, $"/fhir/QuestionnaireResponse?patient={c.A}&_count=1&_total=accurate");
        Assert.Equal(2, responses["total"]!.GetValue<int>());
        await FhirAsync(admin, "/fhir/Patient?_total=exact", 400);

        // A response's canonical resolves to its Questionnaire.
        var response = Entries(await FhirAsync(admin, $"/fhir/QuestionnaireResponse?patient={c.A}")).First();
        var canonical = response["questionnaire"]!.GetValue<string>();
        var questionnaire = Entries(await FhirAsync(admin,
            $"/fhir/Questionnaire?url={Uri.EscapeDataString(canonical)}")).Single();
        Assert.Equal(canonical,
            $"{questionnaire["url"]!.GetValue<string>()}|{questionnaire["version"]!.GetValue<string>()}");
    }

    [SkippableFact]
    public async Task Reads_carry_etag_and_last_modified_if_none_match_is_304_and_xml_is_406()
    {
        var (c, _, _) = await SeedAsync();
        var admin = c.Practice.Admin;
        var read = await admin.GetAsync($"/fhir/Patient/{c.A}");
        Assert.Equal(200, (int)read.StatusCode);
        var etag = read.Headers.ETag!;
        Assert.True(etag.IsWeak);
        Assert.NotNull(read.Content.Headers.LastModified);

        using var again = new HttpRequestMessage(HttpMethod.Get,
            $"/fhir/Patient/{c.A}") { Headers = { { "If-None-Match", etag.ToString() } } };
        var notModified = await admin.SendAsync(again);
        Assert.Equal(304, (int)notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var xml = new HttpRequestMessage(HttpMethod.Get,
            $"/fhir/Patient/{c.A}") { Headers = { { "Accept", "application/fhir+xml" } } };
        var refused = await admin.SendAsync(xml);
        Assert.Equal(406, (int)refused.StatusCode);
        Assert.Contains("OperationOutcome", await refused.Content.ReadAsStringAsync());
        Assert.Equal(406, (int)(await admin.GetAsync($"/fhir/Patient?_format=xml")).StatusCode);
        Assert.Equal(200, (int)(await admin.GetAsync($"/fhir/Patient?_format=json")).StatusCode);

        // If-Modified-Since (without If-None-Match): 304 at or after the last change, the resource before it.
        var lastModified = read.Content.Headers.LastModified!.Value;
        foreach (var (since, status) in new[] { (lastModified, 304), (lastModified.AddDays(1), 304),
            (lastModified.AddSeconds(-1), 200) })
        {
            using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Patient/{c.A}");
            conditional.Headers.IfModifiedSince = since;
            Assert.Equal(status, (int)(await admin.SendAsync(conditional)).StatusCode);
        }
    }

    [SkippableFact]
    public async Task R4_search_semantics_for_identifier_tokens_patient_references_and_total_on_every_type()
    {
        var (c, session, _) = await SeedAsync();
        var admin = c.Practice.Admin;
        const string system = "https://ehr.example/patient";
        var value = $"P-{c.A:N}";

        // identifier: system|value, value (any system), system| (any value in it); |value is an identifier without a
        // system: none here.
        Assert.Equal([c.A.ToString()], Entries(await FhirAsync(admin, $"/fhir/Patient?identifier={system}|{value}"))
            .Select(e => e["id"]!.GetValue<string>()));
        Assert.Equal([c.A.ToString()], Entries(await FhirAsync(admin, $"/fhir/Patient?identifier={value}"))
            .Select(e => e["id"]!.GetValue<string>()));
        Assert.Equal([c.A.ToString()], Entries(await FhirAsync(admin, $"/fhir/Patient?identifier={system}|"))
            .Select(e => e["id"]!.GetValue<string>()));
        Assert.Empty(Entries(await FhirAsync(admin, $"/fhir/Patient?identifier=|{value}")));
        Assert.Empty(Entries(await FhirAsync(admin, "/fhir/Patient?identifier=https://other.example|")));
        await FhirAsync(admin, "/fhir/Patient?identifier=|", 400);

        // patient: relative, bare id, absolute on this server; a comma is OR; another server's reference is refused.
        var forms = new[] { $"Patient/{c.A}", c.A.ToString(), $"http://localhost/fhir/Patient/{c.A}" };
        foreach (var form in forms)
        {
            Assert.Equal([session.ToString()], Entries(await FhirAsync(admin,
                $"/fhir/Appointment?patient={Uri.EscapeDataString(form)}")).Select(e => e["id"]!.GetValue<string>()));
        }

        await (await c.PortalB.AnswerAsync((await (await admin.GetAsync($"/api/v1/assignments?coupleId={c.CoupleId}"))
            .ReadJsonAsync(200)).Ids().First(), "2026-03-05", Infrastructure.ExerciseWork.CheckIn())).ReadJsonAsync(201);
        var either = Entries(await FhirAsync(admin,
            $"/fhir/QuestionnaireResponse?patient=Patient/{c.A},Patient/{c.B}")).ToList();
        var respondents = either.Select(r => r["source"]!["reference"]!.GetValue<string>()).Distinct().Order().ToList();
        Assert.Equal(new[] { $"Patient/{c.A}", $"Patient/{c.B}" }.Order(), respondents);
        var plans = Entries(await FhirAsync(admin, $"/fhir/CarePlan?patient=Patient/{c.A},Patient/{c.B}")).ToList();
        Assert.Equal(2, plans.Count);
        await FhirAsync(admin,
            $"/fhir/Appointment?patient={Uri.EscapeDataString($"https://elsewhere.example/fhir/Patient/{c.A}")}", 400);
        await FhirAsync(admin, $"/fhir/Appointment?patient=Patient/{c.A}&patient=Patient/{c.B}", 400);

        // _total=accurate on every type: the count of all matches, also when the page holds one.
        var metadata = await FhirAsync(api.ClientWith(null), "/fhir/metadata");
        foreach (var resource in metadata["rest"]![0]!["resource"]!.AsArray())
        {
            var type = resource!["type"]!.GetValue<string>();
            var parameters = resource["searchParam"]?.AsArray().Select(p => p!["name"]!.GetValue<string>())
                .ToHashSet() ?? [];
            var query = parameters.Contains("patient") ? $"patient=Patient/{c.A}&" : "";
            var all = Entries(await FhirAsync(admin, $"/fhir/{type}?{query}_count=200")).Count();
            var counted = await FhirAsync(admin, $"/fhir/{type}?{query}_count=1&_total=accurate");
            Assert.True(counted["total"] is not null, $"{type}: no total");
            Assert.Equal(all, counted["total"]!.GetValue<int>());
        }
    }

    [SkippableFact]
    [Trait("Category", "OutsideTools")]
    public async Task Every_returned_resource_validates_against_the_fhir_r4_schema()
    {
        var folder = RepoFiles.PathTo("tests", "fhir-schema");
        Skip.IfNot(await NodeTools.EnsureInstalledAsync("fhir-schema", "@medplum"),
            "FHIR schema validation needs Node.js with npm on PATH (it installs tests/fhir-schema itself).");
        var (c, session, _) = await SeedAsync();
        var admin = c.Practice.Admin;
        await InvoicesAsync(c);
        var resources = new List<JsonObject> { await FhirAsync(api.ClientWith(null),
            "/fhir/metadata"), await FhirAsync(admin, "/fhir/Encounter", 404) };
        foreach (var url in await EverySearchAsync(c.A))
        {
            var bundle = await FhirAsync(admin, url);
            resources.Add(bundle);
            resources.AddRange(Entries(bundle).Select(r => r.DeepClone().AsObject()));
        }

        resources.Add(await FhirAsync(admin, $"/fhir/Appointment/{session}"));
        Assert.Equal(["Appointment", "Bundle", "CapabilityStatement", "CarePlan", "Consent", "Invoice", "Observation",
            "OperationOutcome", "Patient", "Questionnaire", "QuestionnaireResponse", "RelatedPerson", "Task"],
            resources.Select(r => r["resourceType"]!.GetValue<string>()).Distinct().Order());

        var file = Path.Combine(Path.GetTempPath(), $"fhir-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, new JsonArray(resources.Select(r => (JsonNode)r.DeepClone()).ToArray())
            .ToJsonString());
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(folder, "validate.mjs"));
        start.ArgumentList.Add(file);
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync() + await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        File.Delete(file);
        Assert.True(node.ExitCode == 0, output);
    }
}

public sealed class FhirOnSqlite(SqliteApi api) : FhirSuite(api), IClassFixture<SqliteApi>;

public sealed class FhirOnSqlServer(SqlServerApi api) : FhirSuite(api), IClassFixture<SqlServerApi>;
