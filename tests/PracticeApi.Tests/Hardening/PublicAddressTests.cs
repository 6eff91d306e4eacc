using System.Text.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>
/// The API's own address (SMART discovery, the token audience, FHIR links) comes from configuration, never from the
/// request's Host header; outside Development a configured public address also limits the hosts served.
/// </summary>
public sealed class PublicAddressTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task A_forged_host_header_changes_no_address_the_api_hands_out()
    {
        var practice = await api.NewPracticeAsync();
        await practice.Admin.CreateClientIdAsync();
        var anonymous = api.ClientWith(null);
        anonymous.DefaultRequestHeaders.Host = "evil.example";
        var discovery = await (await anonymous.GetAsync("/.well-known/smart-configuration")).ReadJsonAsync(200);
        Assert.Equal("http://localhost/oauth/token", discovery.GetProperty("token_endpoint").GetString());
        var metadata = await (await anonymous.GetAsync("/fhir/metadata")).ReadJsonAsync(200);
        Assert.Equal("http://localhost/fhir", metadata.GetProperty("implementation").GetProperty("url").GetString());

        practice.Admin.DefaultRequestHeaders.Host = "evil.example";
        var bundle = await (await practice.Admin.GetAsync("/fhir/Patient?_count=1")).ReadJsonAsync(200);
        var urls = Urls(bundle).ToList();
        Assert.NotEmpty(urls);
        Assert.All(urls, u => Assert.StartsWith("http://localhost/fhir", u));
    }

    [Fact]
    public async Task A_configured_public_address_is_used_everywhere_and_other_hosts_are_refused()
    {
        await using var configured = new ConfiguredAddressApi();
        var practice = await configured.NewPracticeAsync();
        await practice.Admin.CreateClientIdAsync();
        var discovery = await (await configured.ClientWith(null).GetAsync("/.well-known/smart-configuration"))
            .ReadJsonAsync(200);
        Assert.Equal("https://api.practice.example/oauth/token", discovery.GetProperty("token_endpoint").GetString());
        var bundle = await (await practice.Admin.GetAsync("/fhir/Patient?_count=1")).ReadJsonAsync(200);
        Assert.All(Urls(bundle), u => Assert.StartsWith("https://api.practice.example/fhir", u));

        var forged = configured.ClientWith(null);
        forged.DefaultRequestHeaders.Host = "evil.example";
        Assert.Equal(400, (int)(await forged.GetAsync("/.well-known/smart-configuration")).StatusCode);
        var own = configured.ClientWith(null);
        own.DefaultRequestHeaders.Host = "api.practice.example";
        Assert.Equal(200, (int)(await own.GetAsync("/.well-known/smart-configuration")).StatusCode);
    }

    private static IEnumerable<string> Urls(JsonElement bundle) =>
        bundle.GetProperty("link").EnumerateArray().Select(l => l.GetProperty("url").GetString()!)
            .Concat(bundle.TryGetProperty("entry", out var entries)
                ? entries.EnumerateArray().Select(e => e.GetProperty("fullUrl").GetString()!)
                : []);

    private sealed class ConfiguredAddressApi : SqliteApi
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["PublicBaseUrl"] = "https://api.practice.example/",
        };
    }
}
