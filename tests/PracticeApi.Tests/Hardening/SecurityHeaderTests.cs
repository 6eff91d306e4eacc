using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

public sealed class SecurityHeaderTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Theory]
    [InlineData("/api/v1/me", true)]
    [InlineData("/api/v1/clients", true)]
    [InlineData("/api/v1/clients/not-a-guid", true)]
    [InlineData("/api/v1/me", false)]
    [InlineData("/health/live", false)]
    [InlineData("/openapi/v1.json", false)]
    [InlineData("/swagger/index.html", false)]
    [InlineData("/swagger/index.js", false)]
    [InlineData("/swagger/swagger-ui-bundle.js", false)]
    [InlineData("/swagger/swagger-ui.css", false)]
    public async Task Every_response_forbids_caching_sniffing_framing_and_referrers_and_names_no_server(string path,
        bool authenticated)
    {
        var practice = await api.NewPracticeAsync();
        var client = authenticated ? practice.Admin : api.ClientWith(null);
        var response = await client.GetAsync(path);
        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-store", Header(response, "Cache-Control"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.False(response.Headers.Contains("Server"));
        if (path.StartsWith("/swagger/", StringComparison.Ordinal)) Assert.Equal(200, (int)response.StatusCode);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content) : null;
}
