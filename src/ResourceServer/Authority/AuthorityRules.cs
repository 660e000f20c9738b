namespace AuthService.ResourceServer.Authority;

/// <summary>
/// URLs of the authority (its issuer, <c>jwks_uri</c>, <c>introspection_endpoint</c>) must be https (RFC 8414 §2;
/// OAuth 2.1 §1.5), except on a loopback host, where a development server runs on plain http, or when the
/// operator explicitly allows insecure authorities.
/// </summary>
internal static class AuthorityRules
{
    public static string? Problem(Uri url, bool allowInsecure, string name) => url.Scheme switch
    {
        "https" => null,
        "http" when url.IsLoopback || allowInsecure => null,
        "http" => $"{name} must use https ({url.Host} is not a loopback host; set AllowInsecureAuthority for development only).",
        _ => $"{name} must be an https URL.",
    };
}
