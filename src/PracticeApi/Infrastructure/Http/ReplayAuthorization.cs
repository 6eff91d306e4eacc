using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing.Patterns;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// Before a stored idempotent response is given back, the caller must still be allowed to read what it describes: the
/// API's own GET for the resource (the response's Location, else the request path, else its parent) runs for the
/// caller, with that endpoint's authorisation policy, caseload rules and read audit. Anything but a 2xx means the
/// replay is a 404.
/// </summary>
public sealed class ReplayAuthorization(EndpointDataSource endpoints, IAuthorizationPolicyProvider policies,
    IAuthorizationService authorization)
{
    public async Task<bool> MayReadAsync(HttpContext context, string? location)
    {
        var path = location is not null && Uri.TryCreate(location, UriKind.RelativeOrAbsolute, out var uri)
            ? (uri.IsAbsoluteUri ? uri.AbsolutePath : location.Split('?')[0])
            : context.Request.Path.Value ?? "/";
        for (var attempt = 0; attempt < 3 && path.Length > 1; attempt++)
        {
            if (Find(path) is { } match) return await ReadAsync(context, match.Endpoint, match.Values, path);
            path = path[..path.LastIndexOf('/')];
        }

        // Nothing to read it back through (no GET for this resource or its parent): only the owner's scope-free
        // replay stays possible, and that was checked when the key was bound to this token.
        return true;
    }

    private async Task<bool> ReadAsync(HttpContext context, RouteEndpoint endpoint, RouteValueDictionary values,
        string path)
    {
        var policy = await AuthorizationPolicy.CombineAsync(policies,
            endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        if (policy is not null && !(await authorization.AuthorizeAsync(context.User, policy)).Succeeded) return false;

        var read = new DefaultHttpContext { RequestServices = context.RequestServices, User = context.User, TraceIdentifier = context.TraceIdentifier };
        read.Connection.RemoteIpAddress = context.Connection.RemoteIpAddress;
        read.Request.Method = HttpMethods.Get;
        read.Request.Path = path;
        read.Response.Body = Stream.Null;
        read.SetEndpoint(endpoint);
        foreach (var (key, value) in values) read.Request.RouteValues[key] = value;
        await endpoint.RequestDelegate!(read);
        return read.Response.StatusCode is >= 200 and < 300;
    }

    private (RouteEndpoint Endpoint, RouteValueDictionary Values)? Find(string path)
    {
        var segments = path.Trim('/').Split('/');
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>()
                     .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(
                         HttpMethods.Get) == true)
                     .OrderByDescending(e => e.RoutePattern.PathSegments.Count(s => s.IsSimple
                     && s.Parts[0].IsLiteral)))
        {
            var pattern = endpoint.RoutePattern.PathSegments;
            if (pattern.Count != segments.Length) continue;
            var values = new RouteValueDictionary();
            var matched = true;
            for (var i = 0; i < pattern.Count && matched; i++)
            {
                var part = pattern[i].Parts.Count == 1 ? pattern[i].Parts[0] : null;
                matched = part switch
                {
                    RoutePatternLiteralPart literal => string.Equals(literal.Content, segments[i],
                        StringComparison.OrdinalIgnoreCase),
                    RoutePatternParameterPart parameter => Accepts(parameter, segments[i], values),
                    _ => false,
                };
            }

            if (matched) return (endpoint, values);
        }

        return null;
    }

    private static bool Accepts(RoutePatternParameterPart parameter, string segment, RouteValueDictionary values)
    {
        if (parameter.ParameterPolicies.Any(p => p.Content == "guid") && !Guid.TryParse(segment, out _)) return false;
        values[parameter.Name] = Uri.UnescapeDataString(segment);
        return true;
    }
}
