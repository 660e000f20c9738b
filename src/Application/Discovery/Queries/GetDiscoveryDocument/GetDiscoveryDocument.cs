using System.Text.Json.Serialization;
using AuthService.Application.Authorization;
using AuthService.Application.Clients.MetadataDocuments;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using AuthService.Application.Authorization.Requests;
using MediatR;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Discovery.Queries.GetDiscoveryDocument;

/// <summary>Authorization server metadata (RFC 8414 §2), also served as OpenID Provider metadata.</summary>
public sealed record GetDiscoveryDocument : IRequest<DiscoveryDocument>;

/// <summary>
/// Advertises only what is implemented. Endpoints and grants are added here as they are built; a
/// member that is absent means the feature is absent.
/// </summary>
public sealed record DiscoveryDocument(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("authorization_endpoint")] string AuthorizationEndpoint,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("userinfo_endpoint")] string UserInfoEndpoint,
    [property: JsonPropertyName("end_session_endpoint")] string EndSessionEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("response_modes_supported")] IReadOnlyList<string> ResponseModesSupported,
    [property: JsonPropertyName("prompt_values_supported")] IReadOnlyList<string> PromptValuesSupported,
    [property: JsonPropertyName("code_challenge_methods_supported")] IReadOnlyList<string> CodeChallengeMethodsSupported,
    [property: JsonPropertyName("authorization_response_iss_parameter_supported")] bool AuthorizationResponseIssParameterSupported,
    [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypesSupported,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> IdTokenSigningAlgValuesSupported,
    [property: JsonPropertyName("claims_supported")] IReadOnlyList<string> ClaimsSupported,
    [property: JsonPropertyName("request_parameter_supported")] bool RequestParameterSupported,
    [property: JsonPropertyName("request_uri_parameter_supported")] bool RequestUriParameterSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("introspection_endpoint")] string IntrospectionEndpoint,
    [property: JsonPropertyName("introspection_endpoint_auth_methods_supported")] IReadOnlyList<string> IntrospectionEndpointAuthMethodsSupported,
    [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
    [property: JsonPropertyName("revocation_endpoint_auth_methods_supported")] IReadOnlyList<string> RevocationEndpointAuthMethodsSupported)
{
    /// <summary>RFC 8705 §3.3: access tokens issued over mutual TLS are bound to the client certificate. Absent without mTLS.</summary>
    [JsonPropertyName("tls_client_certificate_bound_access_tokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? TlsClientCertificateBoundAccessTokens { get; init; }

    /// <summary>RFC 9449 §5.1: the JWS algorithms accepted for DPoP proofs.</summary>
    [JsonPropertyName("dpop_signing_alg_values_supported")]
    public IReadOnlyList<string> DPoPSigningAlgValuesSupported { get; init; } = DPoPAlgorithms.Supported;

    /// <summary>RFC 8414 §2: the JWS algorithms of private_key_jwt and client_secret_jwt assertions at the token endpoint.</summary>
    [JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")]
    public IReadOnlyList<string> TokenEndpointAuthSigningAlgValuesSupported { get; init; } = ClientAssertionAlgorithms;

    /// <summary>RFC 8414 §2: the same for the introspection endpoint, which authenticates clients alike.</summary>
    [JsonPropertyName("introspection_endpoint_auth_signing_alg_values_supported")]
    public IReadOnlyList<string> IntrospectionEndpointAuthSigningAlgValuesSupported { get; init; } = ClientAssertionAlgorithms;

    /// <summary>RFC 8414 §2: the same for the revocation endpoint.</summary>
    [JsonPropertyName("revocation_endpoint_auth_signing_alg_values_supported")]
    public IReadOnlyList<string> RevocationEndpointAuthSigningAlgValuesSupported { get; init; } = ClientAssertionAlgorithms;

    /// <summary>Asymmetric (private_key_jwt) and HMAC (client_secret_jwt) algorithms; never "none" (RFC 8414 §2).</summary>
    private static readonly IReadOnlyList<string> ClientAssertionAlgorithms = [.. JwsAlgorithms.Asymmetric, .. JwsAlgorithms.Symmetric];

    /// <summary>RFC 8705 §5: where the endpoints that take client certificates are served.</summary>
    [JsonPropertyName("mtls_endpoint_aliases"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? MtlsEndpointAliases { get; init; }

    /// <summary>OIDC Discovery 1.0 §3: the two levels of ADR 0032, password alone and password with a second factor.</summary>
    [JsonPropertyName("acr_values_supported")]
    public IReadOnlyList<string> AcrValuesSupported { get; init; } = Domain.Sessions.AuthenticationMethods.AcrValuesSupported;

    /// <summary>
    /// OIDC Discovery 1.0 §3: the <c>claims</c> parameter is read (OIDC Core §5.5); only its ID token <c>acr</c> is
    /// honoured, other members are accepted and ignored (docs/adr/0032).
    /// </summary>
    [JsonPropertyName("claims_parameter_supported")]
    public bool ClaimsParameterSupported { get; init; } = true;

    /// <summary>RFC 9126 §5.</summary>
    [JsonPropertyName("pushed_authorization_request_endpoint")]
    public required string PushedAuthorizationRequestEndpoint { get; init; }

    /// <summary>RFC 9126 §5: true when every client must push (the per-client switch is client metadata).</summary>
    [JsonPropertyName("require_pushed_authorization_requests")]
    public required bool RequirePushedAuthorizationRequests { get; init; }

    /// <summary>RFC 8628 §4.</summary>
    [JsonPropertyName("device_authorization_endpoint")]
    public required string DeviceAuthorizationEndpoint { get; init; }

    /// <summary>RFC 8414 §2 (RFC 7591 §3): present only when the operator has opened registration.</summary>
    [JsonPropertyName("registration_endpoint"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RegistrationEndpoint { get; init; }

    /// <summary>draft-ietf-oauth-client-id-metadata-document: https URL client_ids are resolved. Absent when turned off.</summary>
    [JsonPropertyName("client_id_metadata_document_supported"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ClientIdMetadataDocumentSupported { get; init; }

    /// <summary>OpenID Connect Back-Channel Logout 1.0 §2.1: logout tokens are POSTed to registered <c>backchannel_logout_uri</c>s.</summary>
    [JsonPropertyName("backchannel_logout_supported")]
    public bool BackchannelLogoutSupported { get; init; } = true;

    /// <summary>Back-Channel Logout 1.0 §2.1: every logout token carries <c>sid</c> (and <c>sub</c>).</summary>
    [JsonPropertyName("backchannel_logout_session_supported")]
    public bool BackchannelLogoutSessionSupported { get; init; } = true;

    /// <summary>OpenID Connect Front-Channel Logout 1.0 §3: the logout page frames registered <c>frontchannel_logout_uri</c>s.</summary>
    [JsonPropertyName("frontchannel_logout_supported")]
    public bool FrontchannelLogoutSupported { get; init; } = true;

    /// <summary>Front-Channel Logout 1.0 §3: the framed URL carries <c>iss</c> and <c>sid</c> when the client asks, and ID tokens carry <c>sid</c>.</summary>
    [JsonPropertyName("frontchannel_logout_session_supported")]
    public bool FrontchannelLogoutSessionSupported { get; init; } = true;

    /// <summary>RFC 9101 §9.1 (OIDC Discovery): asymmetric algorithms only, never none.</summary>
    [JsonPropertyName("request_object_signing_alg_values_supported")]
    public required IReadOnlyList<string> RequestObjectSigningAlgValuesSupported { get; init; }
}

public sealed class GetDiscoveryDocumentHandler(
    IIssuerProvider issuer,
    IMutualTlsEndpoints mutualTls,
    IOptions<PushedAuthorizationOptions> pushedAuthorization,
    IOptions<Registration.RegistrationOptions> registration,
    IOptions<ClientIdMetadataDocumentOptions> metadataDocuments)
    : IRequestHandler<GetDiscoveryDocument, DiscoveryDocument>
{
    // Built per request: a handful of string concatenations, cheaper than any cache around it.
    public Task<DiscoveryDocument> Handle(GetDiscoveryDocument request, CancellationToken cancellationToken) =>
        Task.FromResult(Build());

    private DiscoveryDocument Build() => new(
        Issuer: issuer.Issuer,
        AuthorizationEndpoint: issuer.Url(ProtocolEndpoints.Authorization),
        TokenEndpoint: issuer.Url(ProtocolEndpoints.Token),
        UserInfoEndpoint: issuer.Url(ProtocolEndpoints.UserInfo),
        EndSessionEndpoint: issuer.Url(ProtocolEndpoints.EndSession),
        JwksUri: issuer.Url(ProtocolEndpoints.Jwks),
        ScopesSupported: ScopeRules.BuiltInScopes,
        GrantTypesSupported: GrantTypes.Supported,
        ResponseTypesSupported: ["code"],
        ResponseModesSupported: [ResponseModes.Query, ResponseModes.FormPost],
        PromptValuesSupported: [Prompts.None, Prompts.Login, Prompts.Consent, Prompts.SelectAccount],
        CodeChallengeMethodsSupported: [Pkce.S256],
        AuthorizationResponseIssParameterSupported: true,
        SubjectTypesSupported: ["public"],
        IdTokenSigningAlgValuesSupported: SigningAlgorithms.Supported,
        ClaimsSupported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid", "amr", "acr", "name", "preferred_username", "email", "email_verified",
            TenantClaims.TenantClaim, TenantClaims.TenantIdClaim, TenantClaims.TenantRolesClaim, TenantClaims.TenantsClaim],
        // RFC 9101: request objects by value; request_uri only as issued by the PAR endpoint, never a URL to fetch.
        RequestParameterSupported: true,
        RequestUriParameterSupported: false,

        // "none": public clients name themselves at the token endpoint and prove possession with PKCE.
        TokenEndpointAuthMethodsSupported: [.. ClientSecretMethods, .. CertificateMethods, TokenEndpointAuthMethods.None],
        IntrospectionEndpoint: issuer.Url(ProtocolEndpoints.Introspection),
        IntrospectionEndpointAuthMethodsSupported: [.. ClientSecretMethods, .. CertificateMethods],
        RevocationEndpoint: issuer.Url(ProtocolEndpoints.Revocation),
        RevocationEndpointAuthMethodsSupported: [.. ClientSecretMethods, .. CertificateMethods])
    {
        TlsClientCertificateBoundAccessTokens = mutualTls.Enabled ? true : null,
        MtlsEndpointAliases = MutualTlsAliases(),
        PushedAuthorizationRequestEndpoint = issuer.Url(ProtocolEndpoints.PushedAuthorization),
        RequirePushedAuthorizationRequests = pushedAuthorization.Value.RequirePushedAuthorizationRequests,
        DeviceAuthorizationEndpoint = issuer.Url(ProtocolEndpoints.DeviceAuthorization),
        RequestObjectSigningAlgValuesSupported = JwsAlgorithms.Asymmetric,
        RegistrationEndpoint = registration.Value.IsEnabled ? issuer.Url(ProtocolEndpoints.Registration) : null,
        ClientIdMetadataDocumentSupported = metadataDocuments.Value.Enabled ? true : null,
    };

    /// <summary>RFC 8705 §2: the certificate methods, offered only when clients can present certificates.</summary>
    private string[] CertificateMethods => mutualTls.Enabled
        ? [TokenEndpointAuthMethods.TlsClientAuth, TokenEndpointAuthMethods.SelfSignedTlsClientAuth]
        : [];

    private Dictionary<string, string>? MutualTlsAliases()
    {
        if (!mutualTls.Enabled || mutualTls.Url(ProtocolEndpoints.Token) is null)
        {
            return null;
        }

        return ProtocolEndpoints.MutualTlsAliases.ToDictionary(alias => alias.Key, alias => mutualTls.Url(alias.Value)!, StringComparer.Ordinal);
    }

    /// <summary>The methods every client-authenticating endpoint accepts: secrets and JWT assertions (OIDC Core §9).</summary>
    private static readonly string[] ClientSecretMethods =
    [
        TokenEndpointAuthMethods.ClientSecretBasic, TokenEndpointAuthMethods.ClientSecretPost,
        TokenEndpointAuthMethods.PrivateKeyJwt, TokenEndpointAuthMethods.ClientSecretJwt,
    ];
}
