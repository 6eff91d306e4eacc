using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HostFiltering;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// The address clients reach this API at, from configuration (<c>PublicBaseUrl</c>, such as https://api.example.nl),
/// never from a request's Host header: SMART discovery, the token audience, FHIR links and export URLs all use it, so a
/// request with a forged Host cannot change them. Without configuration it is the first address the server listens on
/// (http://localhost when it listens on every interface, or in tests).
/// </summary>
public sealed class PublicAddress(IConfiguration configuration, IServer server)
{
    public const string Setting = "PublicBaseUrl";

    private string? _base;

    /// <summary>The base URL without a trailing slash.</summary>
    public string Base => _base ??= Resolve();

    /// <summary>An absolute URL on this API for a path such as <c>/fhir</c>.</summary>
    public string For(string path) => Base + path;

    private string Resolve()
    {
        if (Configured(configuration) is { } configured) return configured;
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (listening is null || !Uri.TryCreate(listening.Replace("://+", "://localhost").Replace("://*",
            "://localhost"), UriKind.Absolute, out var uri))
        {
            return "http://localhost";
        }

        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{host}{(uri.IsDefaultPort ? "" : $":{uri.Port}")}";
    }

    /// <summary>The configured base URL, validated: absolute http(s), no query or fragment.</summary>
    public static string? Configured(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidOperationException($"{Setting} must be an absolute http(s) URL without query or fragment, such as https://api.example.nl.");
        }

        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>
    /// Host filtering: <c>AllowedHosts</c> when it is set; otherwise, outside Development with a configured public base
    /// URL, that URL's host and the loopback names (health probes on the machine itself); otherwise any host.
    /// </summary>
    public static void ConfigureAllowedHosts(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["AllowedHosts"];
        builder.Services.Configure<HostFilteringOptions>(o =>
        {
            if (!string.IsNullOrWhiteSpace(configured))
            {
                o.AllowedHosts = configured.Split(';',
                    StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
            else if (!builder.Environment.IsDevelopment() && Configured(builder.Configuration) is { } publicBase)
            {
                o.AllowedHosts = [new Uri(publicBase).Host, "localhost", "127.0.0.1", "[::1]"];
            }
            else
            {
                o.AllowedHosts = ["*"];
            }
        });
    }
}
