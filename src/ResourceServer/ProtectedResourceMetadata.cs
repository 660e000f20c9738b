using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthService.ResourceServer;

/// <summary>Serves this API's OAuth 2.0 Protected Resource Metadata (RFC 9728), pointing clients at AuthService.</summary>
public static class ProtectedResourceMetadata
{
    /// <summary>
    /// Maps <c>GET</c> (and <c>HEAD</c>) <c>/.well-known/oauth-protected-resource</c> and, when the resource identifier has a path, the
    /// path-inserted form of RFC 9728 §3.1 (<c>/.well-known/oauth-protected-resource/orders</c> for
    /// <c>https://api.example.com/orders</c>), both anonymous. Requires <see cref="ProtectedResourceOptions.Resource"/>.
    /// </summary>
    public static IEndpointConventionBuilder MapProtectedResourceMetadata(this IEndpointRouteBuilder endpoints, string authenticationScheme = AuthServiceTokenDefaults.AuthenticationScheme)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptionsMonitor<AuthServiceTokenOptions>>().Get(authenticationScheme);
        var resource = options.ProtectedResource;
        if (!resource.IsConfigured)
        {
            throw new InvalidOperationException("MapProtectedResourceMetadata needs ProtectedResource:Resource, this API's resource identifier (RFC 9728 §1.2).");
        }

        var json = Document(options).ToJsonString();
        var paths = new[] { ProtectedResourceOptions.WellKnownPath, resource.LocalMetadataPath }.Distinct(StringComparer.Ordinal);
        var group = endpoints.MapGroup(string.Empty);
        foreach (var path in paths)
        {
            group.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
            {
                // RFC 9728 §3.2: 200 with application/json; the document changes only with the API's configuration.
                context.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.Text(json, "application/json");
            });
        }

        return group.AllowAnonymous();
    }

    /// <summary>The metadata document (RFC 9728 §2) the options describe; optional members only when set.</summary>
    internal static JsonObject Document(AuthServiceTokenOptions options)
    {
        var resource = options.ProtectedResource;
        var document = new JsonObject
        {
            ["resource"] = resource.Resource,
            ["authorization_servers"] = new JsonArray(options.Authority),
            ["bearer_methods_supported"] = new JsonArray("header"), // never query or form (OAuth 2.1 §5.2)
        };
        if (resource.ScopesSupported.Length > 0)
        {
            document["scopes_supported"] = new JsonArray([.. resource.ScopesSupported.Select(s => (JsonNode)s)]);
        }

        AddIfSet(document, "resource_name", resource.ResourceName);
        AddIfSet(document, "resource_documentation", resource.ResourceDocumentation);
        AddIfSet(document, "resource_policy_uri", resource.ResourcePolicyUri);
        AddIfSet(document, "resource_tos_uri", resource.ResourceTosUri);
        document["tls_client_certificate_bound_access_tokens"] =
            resource.TlsClientCertificateBoundAccessTokens ?? options.ClientCertificate.ForwardedHeader is not null;
        document["dpop_signing_alg_values_supported"] = new JsonArray([.. options.Dpop.AllowedAlgorithms.Select(a => (JsonNode)a)]);

        // Bearer tokens without cnf are accepted, so DPoP-bound tokens are supported, not required.
        document["dpop_bound_access_tokens_required"] = false;
        return document;
    }

    private static void AddIfSet(JsonObject document, string name, string? value)
    {
        if (value is not null)
        {
            document[name] = value;
        }
    }
}
