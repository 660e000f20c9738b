namespace AuthService.Application.Common.Protocol;

/// <summary>
/// The paths of the protocol endpoints. They are published in discovery, so once released they stay.
/// </summary>
public static class ProtocolEndpoints
{
    public const string Authorization = "/connect/authorize";
    public const string Token = "/connect/token";
    public const string PushedAuthorization = "/connect/par";
    public const string UserInfo = "/connect/userinfo";
    public const string EndSession = "/connect/endsession";
    public const string SignIn = "/account/login";
    public const string Consent = "/account/consent";
    public const string Introspection = "/connect/introspect";
    public const string Revocation = "/connect/revoke";
    public const string Registration = "/connect/register";
    public const string DeviceAuthorization = "/connect/deviceauthorization";

    /// <summary>The verification page of the device grant (RFC 8628 §3.3): <c>verification_uri</c>.</summary>
    public const string Device = "/device";
    public const string Jwks = "/.well-known/jwks.json";
    public const string OpenIdConfiguration = "/.well-known/openid-configuration";
    public const string OAuthAuthorizationServerMetadata = "/.well-known/oauth-authorization-server";

    /// <summary>
    /// The endpoints also served on the mutual-TLS listener, by their metadata name (RFC 8705 §5
    /// <c>mtls_endpoint_aliases</c>). An endpoint that takes client certificates joins with one line here.
    /// </summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> MutualTlsAliases =
    [
        new("token_endpoint", Token),
        new("introspection_endpoint", Introspection),
        new("revocation_endpoint", Revocation),
        new("userinfo_endpoint", UserInfo),
        new("pushed_authorization_request_endpoint", PushedAuthorization),
        new("device_authorization_endpoint", DeviceAuthorization),
    ];
}
