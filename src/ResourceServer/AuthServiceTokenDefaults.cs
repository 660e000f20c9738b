namespace AuthService.ResourceServer;

/// <summary>Names used by the AuthService authentication scheme.</summary>
public static class AuthServiceTokenDefaults
{
    /// <summary>The default authentication scheme name.</summary>
    public const string AuthenticationScheme = "AuthService";

    /// <summary>The named <see cref="HttpClient"/> that fetches metadata and keys and calls the introspection endpoint.</summary>
    public const string HttpClientName = "AuthService.ResourceServer";

    /// <summary>Claim types of the authenticated principal: the JWT claim names of RFC 9068 §2.2, unmapped.</summary>
    public static class Claims
    {
        public const string Subject = "sub";
        public const string ClientId = "client_id";
        public const string Scope = "scope";
        public const string JwtId = "jti";
        public const string Issuer = "iss";
        public const string Audience = "aud";

        /// <summary>How the token was bound to its sender: <c>bearer</c> (not bound), <c>dpop</c> or <c>mtls</c>.</summary>
        public const string Binding = "token_binding";
    }
}
