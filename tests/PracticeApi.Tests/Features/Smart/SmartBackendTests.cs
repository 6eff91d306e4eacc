using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Smart;

/// <summary>
/// SMART Backend Services as an EHR meets it: register the client's public key, sign an assertion with the private key
/// (RS384 or ES384), get a short-lived access token from /oauth/token and read /fhir with it. Replays, wrong audiences,
/// expired assertions, unknown keys and scopes beyond the registration are refused.
/// </summary>
public sealed class SmartBackendTests(WebhookApi api) : IClassFixture<WebhookApi>
{
    private const string TokenUrl = "http://localhost/oauth/token";

    [Fact]
    public async Task A_backend_client_signs_an_assertion_gets_a_token_and_reads_patients_in_its_practice_only()
    {
        var c = await api.NewCoupleCaseAsync();
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "ehr-2026" };
        var clientId = await RegisterAsync(c.Practice,
            Jwk(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "ehr-2026" }), "system/Patient.read", "system/Appointment.read");

        var discovery = await (await api.ClientWith(null).GetAsync("/.well-known/smart-configuration"))
            .ReadJsonAsync(200);
        Assert.Equal(TokenUrl, discovery.GetProperty("token_endpoint").GetString());
        Assert.Contains("private_key_jwt", discovery.GetProperty("token_endpoint_auth_methods_supported")
            .EnumerateArray().Select(e => e.GetString()));

        var grant = await TokenAsync(Assertion(clientId, new SigningCredentials(key, SecurityAlgorithms.RsaSha384)),
            "system/Patient.read");
        var body = await grant.ReadJsonAsync(200);
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        var fhir = api.ClientWith(body.GetProperty("access_token").GetString());
        var patients = await (await fhir.GetAsync("/fhir/Patient")).ReadJsonAsync(200);
        Assert.Equal(2, patients.GetProperty("entry").GetArrayLength());
        // Same tenancy and audit as any token: another practice's patient is 404, and the read is in the audit trail.
        var other = await api.NewPracticeAsync();
        var foreign = await other.Admin.CreateClientIdAsync();
        Assert.Equal(404, (int)(await fhir.GetAsync($"/fhir/Patient/{foreign}")).StatusCode);
        var events = await c.Practice.AuditEventsAsync($"clientId={c.A}");
        Assert.Contains(events, e => e.GetProperty("resourceType").GetString() == "fhir_patient");
        // Read only: the REST API's writes stay closed to it.
        Assert.Equal(403, (int)(await fhir.PostAsJsonAsync("/api/v1/clients", new { firstName = "X", lastName = "Y" }))
            .StatusCode);

        // The access token lives five minutes.
        api.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(401, (int)(await fhir.GetAsync("/fhir/Patient")).StatusCode);
    }

    [Fact]
    public async Task A_bulk_export_holds_only_the_types_the_smart_scopes_name_and_belongs_to_the_smart_client_across_its_tokens()
    {
        var c = await api.NewCoupleCaseAsync();
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "bulk" };
        var clientId = await RegisterAsync(c.Practice,
            Jwk(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "bulk" }), "system/Patient.read");
        async Task<HttpClient> FreshTokenAsync() => api.ClientWith((await (await TokenAsync(
            Assertion(clientId, new SigningCredentials(key, SecurityAlgorithms.RsaSha384)), "system/Patient.read"))
                .ReadJsonAsync(200)).GetProperty("access_token").GetString());
        var first = await FreshTokenAsync();
        HttpRequestMessage KickOff(string url) => new(HttpMethod.Get,
            url) { Headers = { { "Prefer", "respond-async" } } };

        // A type the scopes do not name is refused; without _type, only the named types are exported.
        Assert.Equal(403, (int)(await first.SendAsync(KickOff("/fhir/$export?_type=Appointment"))).StatusCode);
        var kickOff = await first.SendAsync(KickOff("/fhir/$export"));
        Assert.Equal(202, (int)kickOff.StatusCode);
        var status = kickOff.Content.Headers.ContentLocation!.AbsolutePath;

        // The five-minute token is gone by the time the export is read: the SMART client's next token reads it.
        var next = await FreshTokenAsync();
        System.Text.Json.Nodes.JsonNode? manifest = null;
        for (var i = 0; i < 150 && manifest is null; i++)
        {
            var poll = await next.GetAsync(status);
            if ((int)poll.StatusCode == 200) manifest = System.Text.Json.Nodes.JsonNode.Parse(
                await poll.Content.ReadAsStringAsync());
            else await Task.Delay(200);
        }

        var output = Assert.Single(manifest!["output"]!.AsArray());
        Assert.Equal("Patient", output!["type"]!.GetValue<string>());
        Assert.Equal(200, (int)(await next.GetAsync(new Uri(output["url"]!.GetValue<string>()).AbsolutePath))
            .StatusCode);
        // Not the practice's admin's: the export is the SMART client's.
        Assert.Equal(404, (int)(await c.Practice.Admin.GetAsync(status)).StatusCode);
    }

    [Fact]
    public async Task Discovery_answers_at_the_fhir_base_too_and_every_refused_token_request_is_an_oauth_error_whatever_its_content_type()
    {
        var anonymous = api.ClientWith(null);
        var root = await (await anonymous.GetAsync("/.well-known/smart-configuration")).ReadJsonAsync(200);
        var atBase = await (await anonymous.GetAsync("/fhir/.well-known/smart-configuration")).ReadJsonAsync(200);
        Assert.Equal(root.GetRawText(), atBase.GetRawText());
        Assert.Equal(["client_credentials"], atBase.GetProperty("grant_types_supported").EnumerateArray()
            .Select(e => e.GetString()));
        Assert.Equal(["private_key_jwt"], atBase.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray()
            .Select(e => e.GetString()));
        var capabilities = atBase.GetProperty("capabilities").EnumerateArray().Select(e => e.GetString()).ToList();
        foreach (var capability in new[] { "client-confidential-asymmetric", "permission-v1",
            "permission-v2" }) Assert.Contains(capability, capabilities);
        var scopes = atBase.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("system/Patient.rs", scopes);
        Assert.Contains("system/Patient.read", scopes);

        // JSON, XML, plain text, no body at all, an empty form: each an RFC 6749 error body, never a problem document.
        var bodies = new HttpContent?[]
        {
            JsonContent.Create(new { grant_type = "client_credentials", scope = "system/*.read" }),
            new StringContent("<token/>", System.Text.Encoding.UTF8, "application/xml"),
            new StringContent("grant_type=client_credentials", System.Text.Encoding.UTF8, "text/plain"),
            null,
            new FormUrlEncodedContent([]),
        };
        foreach (var body in bodies)
        {
            var answer = await anonymous.PostAsync("/oauth/token", body);
            Assert.Equal(400, (int)answer.StatusCode);
            Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
            var error = await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Contains(error.GetProperty("error").GetString(), new[] { "invalid_request",
                "unsupported_grant_type", "invalid_client" });
            Assert.False(error.TryGetProperty("type", out _), $"a problem document: {error}");
        }
    }

    [Fact]
    public async Task A_token_reads_only_the_fhir_types_its_smart_scopes_name_on_every_type_the_server_declares()
    {
        var c = await api.NewCoupleCaseAsync();
        // Every type the CapabilityStatement declares, so that a new FHIR type is swept without touching this test.
        var metadata = await (await api.ClientWith(null).GetAsync("/fhir/metadata")).ReadJsonAsync(200);
        var types = metadata.GetProperty("rest")[0].GetProperty("resource").EnumerateArray()
            .Select(r => r.GetProperty("type").GetString()!).ToList();
        Assert.True(types.Count >= 7);
        using var rsa = RSA.Create(2048);
        var signing = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha384);
        var publicJwk = Jwk(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" });
        foreach (var (granted, index) in types.Select((t, i) => (t, i)))
        {
            // v1 and v2 spellings alternate.
            var scope = index % 2 == 0 ? $"system/{granted}.read" : $"system/{granted}.rs";
            var clientId = await RegisterAsync(c.Practice, publicJwk, scope);
            var body = await (await TokenAsync(Assertion(clientId, signing), scope)).ReadJsonAsync(200);
            var fhir = api.ClientWith(body.GetProperty("access_token").GetString());
            var own = await fhir.GetAsync($"/fhir/{granted}?patient=Patient/{c.A}");
            Assert.NotEqual(403, (int)own.StatusCode);
            foreach (var other in types.Where(t => t != granted))
            {
                foreach (var url in new[] { $"/fhir/{other}?patient=Patient/{c.A}", $"/fhir/{other}/{c.A}" })
                {
                    var refused = await fhir.GetAsync(url);
                    var outcome = await refused.ReadJsonAsync(403);
                    Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
                    Assert.Equal("forbidden", outcome.GetProperty("issue")[0].GetProperty("code").GetString());
                    Assert.Contains(other, outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString());
                }
            }
        }

        // system/*.read covers every type.
        var all = await RegisterAsync(c.Practice, publicJwk, "system/*.read");
        var wide = api.ClientWith((await (await TokenAsync(Assertion(all, signing), null)).ReadJsonAsync(200))
            .GetProperty("access_token").GetString());
        foreach (var type in types) Assert.NotEqual(403,
            (int)(await wide.GetAsync($"/fhir/{type}?patient=Patient/{c.A}")).StatusCode);
    }

    [Fact]
    public async Task Assertions_that_break_a_backend_services_rule_are_refused_malformed_ones_with_400_and_each_refusal_is_audited()
    {
        var practice = await api.NewPracticeAsync();
        using var rsa = RSA.Create(2048);
        var signing = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha384);
        var clientId = await RegisterAsync(practice,
            Jwk(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" }), "system/Patient.read");
        // A new one-minute window of failure counts, so this test's first refusal is the window's first (and so
        // written).
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var now = api.Clock.GetUtcNow().ToUnixTimeSeconds();
        string Claims(Action<System.Text.Json.Nodes.JsonObject>? change = null)
        {
            var claims = new System.Text.Json.Nodes.JsonObject
            {
                ["iss"] = clientId, ["sub"] = clientId, ["aud"] = TokenUrl, ["exp"] = now
                    + 240, ["jti"] = Guid.NewGuid().ToString(),
            };
            change?.Invoke(claims);
            return claims.ToJsonString();
        }

        var handler = new JsonWebTokenHandler();
        string Sign(string claims, SigningCredentials? with = null, Dictionary<string, object>? header = null) =>
            header is null ? handler.CreateToken(claims, with ?? signing) : handler.CreateToken(claims,
                with ?? signing, header);

        // The window's first refusal (written): the client is known, so it lands in its practice's audit trail.
        await Refused(await TokenAsync(Sign(Claims(), new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "k9" },
            SecurityAlgorithms.RsaSha384)), null), 401, "invalid_client", "kid 'k9'");
        // A well-formed assertion passes, so every refusal below is for its one broken rule.
        await (await TokenAsync(Sign(Claims(c => c["iat"] = now)), null)).ReadJsonAsync(200);
        await Refused(await TokenAsync(Sign(Claims(c => c["iat"] = now + 120)), null), 400, "invalid_client",
            "iat is in the future");
        await Refused(await TokenAsync(Sign(Claims(c => { c["iat"] = now + 20; c["exp"] = now + 10; })), null), 400,
            "invalid_client", "after its exp");
        await Refused(await TokenAsync(Sign(Claims(c => c["exp"] = $"{now + 240}")), null), 400, "invalid_client",
            "exp must be a number");
        await Refused(await TokenAsync(Sign(Claims(c => c["aud"] = TokenUrl + "/")), null), 400, "invalid_client",
            "exactly this token endpoint");
        await Refused(await TokenAsync(Sign(Claims(c => c["aud"] = new System.Text.Json.Nodes.JsonArray(TokenUrl,
            "https://other.example/token"))), null), 400, "invalid_client", "aud");
        await Refused(await TokenAsync(Sign(Claims(), new SigningCredentials(new RsaSecurityKey(rsa),
            SecurityAlgorithms.RsaSha384)), null), 400, "invalid_client", "kid");
        await Refused(await TokenAsync(Sign(Claims(),
            header: new() { ["jku"] = "https://attacker.example/jwks.json" }), null), 401, "invalid_client", "jku");
        await Refused(await TokenAsync(Sign(Claims()), null, clientIdField: Guid.NewGuid().ToString()), 400,
            "invalid_client", "client_id");
        // Malformed: an encrypted-looking five-part JWT, a numeric jti, deep nesting, garbage: 400 invalid_client,
        // never 500.
        await Refused(await TokenAsync("a.b.c.d.e", null), 400, "invalid_client", "three parts");
        await Refused(await TokenAsync(Sign(Claims(c => c["jti"] = 12345)), null), 400, "invalid_client", "jti");
        var deep = Base64UrlEncoder.Encode(new string('[', 5000) + new string(']', 5000));
        await Refused(await TokenAsync($"{Base64UrlEncoder.Encode("{\"alg\":\"RS384\",\"kid\":\"k1\"}")}.{deep}.sig",
            null), 400, "invalid_client", "JSON");
        await Refused(await TokenAsync("not a jwt at all", null), 400, "invalid_client", null);

        // Weak keys and curves the endpoint does not accept are refused at registration.
        using var weak = RSA.Create(1024);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (var key in new SecurityKey[] { new RsaSecurityKey(weak.ExportParameters(false)) { KeyId = "w" },
            new ECDsaSecurityKey(ECDsa.Create(p256.ExportParameters(false))) { KeyId = "p" } })
        {
            var refused = await practice.Admin.PostAsJsonAsync("/api/v1/smart-clients", new { name = "Weak",
                jwks = Jwk(key), scopes = new[] { "system/Patient.read" } });
            var problem = await refused.AssertProblemAsync(400, "validation");
            Assert.Contains("2048", problem.GetRawText());
        }

        // Every refusal is in the practice's audit trail (bounded per address and minute: the 1st and the 10th here).
        var events = await practice.AuditEventsAsync("");
        var refusals = events.Where(e => e.GetProperty("action").GetString() == "authenticate" &&
            e.GetProperty("detail").GetString()!.StartsWith("token request refused",
                StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, e => Assert.Equal("denied", e.GetProperty("outcome").GetString()));
        Assert.Contains(refusals, e => e.GetProperty("detail").GetString()!.Contains("kid 'k9'"));

        // A refusal before the client is known belongs to no practice: the operator's auth-failures view lists it.
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var since = api.Clock.GetUtcNow().UtcDateTime.AddSeconds(-1);
        await Refused(await TokenAsync("x.y.z.w.v", null), 400, "invalid_client", "three parts");
        var unattributed = await api.Services.GetRequiredService<PracticeApi.Infrastructure.Security.FailedAuthentications>()
            .UnattributedAsync(since, 50, CancellationToken.None);
        Assert.Contains(unattributed, f => f.Detail!.Contains("three parts"));
    }

    [Fact]
    public async Task Revoking_a_client_ends_its_access_tokens_at_once()
    {
        var practice = await api.NewPracticeAsync();
        await practice.Admin.CreateClientIdAsync();
        using var rsa = RSA.Create(2048);
        var signing = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha384);
        var clientId = await RegisterAsync(practice,
            Jwk(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" }), "system/Patient.read");
        var fhir = api.ClientWith((await (await TokenAsync(Assertion(clientId, signing), null)).ReadJsonAsync(200))
            .GetProperty("access_token").GetString());
        await (await fhir.GetAsync("/fhir/Patient")).ReadJsonAsync(200);
        Assert.Equal(204, (int)(await practice.Admin.DeleteAsync($"/api/v1/smart-clients/{clientId}")).StatusCode);
        Assert.Equal(401, (int)(await fhir.GetAsync("/fhir/Patient")).StatusCode);
    }

    [Fact]
    public async Task Es384_keys_work_too()
    {
        var practice = await api.NewPracticeAsync();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var publicKey = ECDsa.Create(ecdsa.ExportParameters(false));
        var clientId = await RegisterAsync(practice, Jwk(new ECDsaSecurityKey(publicKey) { KeyId = "ec-1" }),
            "system/*.read");
        var grant = await TokenAsync(Assertion(clientId,
            new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = "ec-1" },
            SecurityAlgorithms.EcdsaSha384)), null);
        var body = await grant.ReadJsonAsync(200);
        Assert.Equal("system/*.read", body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Replays_wrong_audiences_expired_assertions_unknown_keys_and_scopes_beyond_the_registration_are_refused()
    {
        var practice = await api.NewPracticeAsync();
        using var rsa = RSA.Create(2048);
        var signing = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha384);
        var clientId = await RegisterAsync(practice,
            Jwk(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" }), "system/Patient.read");

        var once = Assertion(clientId, signing);
        await (await TokenAsync(once, "system/Patient.read")).ReadJsonAsync(200);
        await Refused(await TokenAsync(once, "system/Patient.read"), 401, "invalid_client", "jti");

        await Refused(await TokenAsync(Assertion(clientId, signing, audience: "https://elsewhere.example/token"),
            null), 400, "invalid_client", "exactly this token endpoint");
        await Refused(await TokenAsync(Assertion(clientId, signing, expires: api.Clock.GetUtcNow()
            .UtcDateTime.AddMinutes(-2)), null), 401, "invalid_client", "expired");
        await Refused(await TokenAsync(Assertion(clientId, signing, expires: api.Clock.GetUtcNow()
            .UtcDateTime.AddHours(1)), null), 401, "invalid_client", "five minutes");

        using var stranger = RSA.Create(2048);
        await Refused(await TokenAsync(Assertion(clientId,
            new SigningCredentials(new RsaSecurityKey(stranger) { KeyId = "k1" }, SecurityAlgorithms.RsaSha384)), null),
            401, "invalid_client", "registered key");
        await Refused(await TokenAsync(Assertion(clientId,
            new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256)), null),
            401, "invalid_client", null);
        await Refused(await TokenAsync(Assertion(Guid.NewGuid().ToString(), signing), null), 401,
            "invalid_client", "client");
        await Refused(await TokenAsync(Assertion(clientId, signing), "system/Appointment.read"), 400, "invalid_scope",
            "Appointment");

        // Registration is for admins and validated; a JWKS holding a private key is refused.
        using var leaky = RSA.Create(2048);
        var privateJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(leaky) { KeyId = "oops" });
        var refused = await practice.Admin.PostAsJsonAsync("/api/v1/smart-clients", new { name = "Leaky",
            jwks = new { keys = new[] { privateJwk } }, scopes = new[] { "system/Patient.read" } });
        await refused.AssertProblemAsync(400, "validation");
        var therapist = await practice.AddTherapistAsync();
        await (await therapist.Client.GetAsync("/api/v1/smart-clients")).AssertProblemAsync(403);

        // A revoked client gets no token.
        Assert.Equal(204, (int)(await practice.Admin.DeleteAsync($"/api/v1/smart-clients/{clientId}")).StatusCode);
        await Refused(await TokenAsync(Assertion(clientId, signing), null), 401, "invalid_client", "client");
    }

    [Fact]
    public async Task A_client_registered_with_a_jwks_url_rotates_its_keys_there()
    {
        var practice = await api.NewPracticeAsync();
        using var first = RSA.Create(2048);
        using var second = RSA.Create(2048);
        var served = Jwk(new RsaSecurityKey(first.ExportParameters(false)) { KeyId = "k1" });
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var host = builder.Build();
        host.MapGet("/jwks.json", () => Microsoft.AspNetCore.Http.Results.Json(served));
        await host.StartAsync();
        var url = host.Urls.Single() + "/jwks.json";

        await (await practice.Admin.PostAsJsonAsync("/api/v1/smart-clients", new { name = "EHR", jwksUrl = url,
            jwks = served, scopes = new[] { "system/Patient.read" } }))
            .AssertProblemAsync(400, "validation");
        await (await practice.Admin.PostAsJsonAsync("/api/v1/smart-clients", new { name = "EHR",
            jwksUrl = url + ".missing", scopes = new[] { "system/Patient.read" } }))
            .AssertProblemAsync(400, "validation");
        var created = await (await practice.Admin.PostAsJsonAsync("/api/v1/smart-clients", new { name = "EHR",
            jwksUrl = url, scopes = new[] { "system/Patient.read" } }))
            .ReadJsonAsync(201);
        var clientId = created.GetProperty("clientId").GetString()!;
        Assert.Equal(["k1"], created.GetProperty("keyIds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(url, created.GetProperty("jwksUrl").GetString());

        await (await TokenAsync(Assertion(clientId, new SigningCredentials(new RsaSecurityKey(first) { KeyId = "k1" },
            SecurityAlgorithms.RsaSha384)), null)).ReadJsonAsync(200);
        // The client rotates to a new key at its URL: an assertion naming it makes the server fetch the set again.
        served = Jwk(new RsaSecurityKey(second.ExportParameters(false)) { KeyId = "k2" });
        api.Clock.Advance(TimeSpan.FromSeconds(31));
        await (await TokenAsync(Assertion(clientId, new SigningCredentials(new RsaSecurityKey(second) { KeyId = "k2" },
            SecurityAlgorithms.RsaSha384)), null)).ReadJsonAsync(200);
        await Refused(await TokenAsync(Assertion(clientId,
            new SigningCredentials(new RsaSecurityKey(first) { KeyId = "k1" }, SecurityAlgorithms.RsaSha384)), null),
            401, "invalid_client", null);

        // The set is fetched again when it is five minutes old: a key removed from it stops working, with no new kid to
        // prompt it.
        served = Jwk(new RsaSecurityKey(first.ExportParameters(false)) { KeyId = "k1" });
        api.Clock.Advance(TimeSpan.FromMinutes(5));
        await Refused(await TokenAsync(Assertion(clientId,
            new SigningCredentials(new RsaSecurityKey(second) { KeyId = "k2" }, SecurityAlgorithms.RsaSha384)), null),
            401, "invalid_client", "kid");
    }

    private static async Task Refused(HttpResponseMessage response, int status, string error, string? mentions)
    {
        var body = await response.ReadJsonAsync(status);
        Assert.Equal(error, body.GetProperty("error").GetString());
        if (mentions is not null) Assert.Contains(mentions, body.GetProperty("error_description").GetString(),
            StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_smart_client_bound_to_consent_reads_a_patient_only_while_the_patients_sharing_consent_names_it()
    {
        var practice = await api.NewPracticeAsync();
        var a = await practice.Admin.CreateClientIdAsync();
        var b = await practice.Admin.CreateClientIdAsync();
        using var rsa = RSA.Create(2048);
        var signing = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha384);
        var registered = await (await practice.Admin.PostAsJsonAsync("/api/v1/smart-clients", new
        {
            name = "EHR backend", jwks = Jwk(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" }), scopes = new[] { "system/*.read" },
            requiresConsent = true,
        })).ReadJsonAsync(201);
        Assert.True(registered.GetProperty("requiresConsent").GetBoolean());
        var clientId = registered.GetProperty("clientId").GetString()!;
        async Task<HttpClient> FhirAsync() => api.ClientWith((await (await TokenAsync(Assertion(clientId, signing),
            "system/Patient.read")).ReadJsonAsync(200))
            .GetProperty("access_token").GetString());
        async Task<List<string>> PatientsAsync(HttpClient fhir) =>
            (await (await fhir.GetAsync("/fhir/Patient?_count=200")).ReadJsonAsync(200)).TryGetProperty("entry",
                out var entries)
                ? entries.EnumerateArray().Select(e => e.GetProperty("resource").GetProperty("id")
                    .GetString()!).ToList()
                : [];

        var before = await FhirAsync();
        Assert.Empty(await PatientsAsync(before));
        Assert.Equal(404, (int)(await before.GetAsync($"/fhir/Patient/{a}")).StatusCode);
        var consent = await (await practice.Admin.PostAsJsonAsync($"/api/v1/clients/{a}/consents", new
        {
            kind = "ehr_sharing", textVersion = "2026-01", recipientId = Guid.Parse(clientId), via = "paper",
        })).ReadJsonAsync(201);
        Assert.Equal("EHR backend", consent.GetProperty("recipientName").GetString());
        // The token issued before the consent sees the patient at once, as does a new one; never the patient without
        // consent.
        foreach (var fhir in new[] { before, await FhirAsync() })
        {
            Assert.Equal([a.ToString()], await PatientsAsync(fhir));
            Assert.Equal(200, (int)(await fhir.GetAsync($"/fhir/Patient/{a}")).StatusCode);
            Assert.Equal(404, (int)(await fhir.GetAsync($"/fhir/Patient/{b}")).StatusCode);
        }

        await (await practice.Admin.PostAsJsonAsync(
            $"/api/v1/clients/{a}/consents/{consent.GetProperty("id").GetGuid()}/withdraw", new { via = "verbal" }))
            .ReadJsonAsync(200);
        Assert.Empty(await PatientsAsync(before));
    }

    private static object Jwk(SecurityKey publicKey) => new
    {
        keys = new[] { JsonSerializer.SerializeToElement(JsonWebKeyConverter.ConvertFromSecurityKey(publicKey)) },
    };

    private async Task<string> RegisterAsync(PracticeContext practice, object jwks, params string[] scopes)
    {
        var created = await (await practice.Admin.PostAsJsonAsync("/api/v1/smart-clients", new { name = "EHR backend",
            jwks, scopes })).ReadJsonAsync(201);
        return created.GetProperty("clientId").GetString()!;
    }

    private string Assertion(string clientId, SigningCredentials signing, string audience = TokenUrl,
        DateTime? expires = null)
    {
        var now = api.Clock.GetUtcNow().UtcDateTime;
        var expiry = expires ?? now.AddMinutes(4);
        var issued = expiry.AddMinutes(-5) < now ? expiry.AddMinutes(-5) : now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId, Audience = audience, Expires = expiry, IssuedAt = issued, NotBefore = issued,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString() },
            SigningCredentials = signing,
        });
    }

    private Task<HttpResponseMessage> TokenAsync(string assertion, string? scope, string? clientIdField = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        };
        if (scope is not null) form["scope"] = scope;
        if (clientIdField is not null) form["client_id"] = clientIdField;
        return api.ClientWith(null).PostAsync("/oauth/token", new FormUrlEncodedContent(form));
    }
}
