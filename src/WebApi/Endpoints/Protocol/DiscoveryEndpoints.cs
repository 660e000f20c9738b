using System.Globalization;
using System.Text.Json;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Discovery.Queries.GetDiscoveryDocument;
using AuthService.Application.Discovery.Queries.GetJsonWebKeySet;
using AuthService.Infrastructure;
using AuthService.WebApi.Protocol;
using MediatR;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthService.WebApi.Endpoints.Protocol;

/// <summary>
/// Metadata (RFC 8414; OpenID Connect Discovery 1.0) and the JWKS (RFC 7517), served from memory.
/// Public, cacheable and CORS-open: they hold nothing secret (RFC 9700 §2.6 allows "*" here).
/// </summary>
public static class DiscoveryEndpoints
{
    public const int MetadataCacheSeconds = 3600;

    public static IEndpointRouteBuilder MapDiscoveryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ProtocolEndpoints.OpenIdConfiguration, GetMetadataAsync)
            .WithName("OpenIdConfiguration").WithTags("Discovery")
            .WithSummary("OpenID Provider / authorization server metadata")
            .Produces<DiscoveryDocument>(StatusCodes.Status200OK, "application/json");
        endpoints.MapGet(ProtocolEndpoints.OAuthAuthorizationServerMetadata, GetMetadataAsync)
            .WithName("OAuthAuthorizationServerMetadata").WithTags("Discovery")
            .WithSummary("Authorization server metadata (RFC 8414 §3), identical to the OpenID configuration")
            .Produces<DiscoveryDocument>(StatusCodes.Status200OK, "application/json");
        endpoints.MapGet(ProtocolEndpoints.Jwks, GetJwksAsync)
            .WithName("Jwks").WithTags("Discovery")
            .WithSummary("JSON Web Key Set: public keys of every pending, active and retired signing key")
            .WithDescription("Supports If-None-Match (304). Cache-Control max-age is Auth:JwksCacheSeconds.")
            .Produces(StatusCodes.Status200OK, contentType: "application/jwk-set+json")
            .Produces(StatusCodes.Status304NotModified);

        // HEAD works on the same documents; it is left out of the API description to keep it readable.
        endpoints.MapMethods(ProtocolEndpoints.OpenIdConfiguration, [HttpMethods.Head], GetMetadataAsync).ExcludeFromDescription();
        endpoints.MapMethods(ProtocolEndpoints.OAuthAuthorizationServerMetadata, [HttpMethods.Head], GetMetadataAsync).ExcludeFromDescription();
        endpoints.MapMethods(ProtocolEndpoints.Jwks, [HttpMethods.Head], GetJwksAsync).ExcludeFromDescription();

        // RFC 8414 §3.1: an issuer with a path (https://host/tenant-a) also publishes its metadata with the well-known
        // segment inserted between host and path: /.well-known/oauth-authorization-server/tenant-a, and the same
        // for openid-configuration, the URL MCP clients try first. OIDC Discovery §4's path-appended form
        // (/tenant-a/.well-known/openid-configuration) is served through the issuer path base (UseAuthServer).
        var issuerPath = DependencyInjection.IssuerPath(endpoints.ServiceProvider.GetRequiredService<IOptions<AuthServerOptions>>().Value);
        if (issuerPath.HasValue)
        {
            foreach (var wellKnown in (string[])[ProtocolEndpoints.OAuthAuthorizationServerMetadata, ProtocolEndpoints.OpenIdConfiguration])
            {
                var pathInserted = wellKnown + issuerPath.Value;
                endpoints.MapMethods(wellKnown + "/{**issuerPath}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
                        // Routing compares literals case-insensitively; a URL path is case-sensitive, and any other
                        // path names an issuer that is not this server's (RFC 8414 §3.3): 404.
                        string.Equals(http.Request.Path.Value, pathInserted, StringComparison.Ordinal)
                            ? GetMetadataAsync(http, mediator, cancellationToken)
                            : Task.FromResult(Results.NotFound()))
                    .ExcludeFromDescription();
            }
        }

        return endpoints;
    }

    private static async Task<IResult> GetMetadataAsync(HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var document = await mediator.Send(new GetDiscoveryDocument(), cancellationToken);
        SetPublicCaching(http.Response, MetadataCacheSeconds);
        return Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(document, ProtocolJsonContext.Default.DiscoveryDocument), "application/json; charset=utf-8");
    }

    private static async Task<IResult> GetJwksAsync(HttpContext http, IMediator mediator, IOptions<AuthServerOptions> options, CancellationToken cancellationToken)
    {
        var jwks = await mediator.Send(new GetJsonWebKeySet(), cancellationToken);
        SetPublicCaching(http.Response, options.Value.JwksCacheSeconds);
        http.Response.Headers.ETag = jwks.ETag;
        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == jwks.ETag)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Text(jwks.Json, "application/jwk-set+json; charset=utf-8");
    }

    private static void SetPublicCaching(HttpResponse response, int maxAgeSeconds)
    {
        response.Headers.CacheControl = "public, max-age=" + maxAgeSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.Vary = HeaderNames.AcceptEncoding;
    }
}
