using System.Text.Json.Serialization;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Clients;
using MediatR;

namespace AuthService.Application.Discovery.Queries.GetDiscoveryDocument;

/// <summary>Authorization server metadata (RFC 8414 §2), also served as OpenID Provider metadata.</summary>
public sealed record GetDiscoveryDocument : IRequest<DiscoveryDocument>;

/// <summary>
/// Advertises only what is implemented. Endpoints and grants are added here as they are built; a
/// member that is absent means the feature is absent.
/// </summary>
public sealed record DiscoveryDocument(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("introspection_endpoint")] string IntrospectionEndpoint,
    [property: JsonPropertyName("introspection_endpoint_auth_methods_supported")] IReadOnlyList<string> IntrospectionEndpointAuthMethodsSupported,
    [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
    [property: JsonPropertyName("revocation_endpoint_auth_methods_supported")] IReadOnlyList<string> RevocationEndpointAuthMethodsSupported);

public sealed class GetDiscoveryDocumentHandler(IIssuerProvider issuer) : IRequestHandler<GetDiscoveryDocument, DiscoveryDocument>
{
    // Built per request: a handful of string concatenations, cheaper than any cache around it.
    public Task<DiscoveryDocument> Handle(GetDiscoveryDocument request, CancellationToken cancellationToken) =>
        Task.FromResult(Build());

    private DiscoveryDocument Build() => new(
        Issuer: issuer.Issuer,
        TokenEndpoint: issuer.Url(ProtocolEndpoints.Token),
        JwksUri: issuer.Url(ProtocolEndpoints.Jwks),
        GrantTypesSupported: [GrantTypes.ClientCredentials],

        // RFC 8414 §2 requires the member; no response type is served until the authorization endpoint exists.
        ResponseTypesSupported: [],
        TokenEndpointAuthMethodsSupported: ClientSecretMethods,
        IntrospectionEndpoint: issuer.Url(ProtocolEndpoints.Introspection),
        IntrospectionEndpointAuthMethodsSupported: ClientSecretMethods,
        RevocationEndpoint: issuer.Url(ProtocolEndpoints.Revocation),
        RevocationEndpointAuthMethodsSupported: ClientSecretMethods);

    private static readonly string[] ClientSecretMethods = [TokenEndpointAuthMethods.ClientSecretBasic, TokenEndpointAuthMethods.ClientSecretPost];
}
