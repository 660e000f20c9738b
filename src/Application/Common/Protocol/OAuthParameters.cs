namespace AuthService.Application.Common.Protocol;

/// <summary>
/// The names of the protocol parameters, shared by every reader (WebApi) and every handler (Application):
/// RFC 6749 §4.1.1, §4.1.3, §4.4.2, §6 and §2.3.1; RFC 7636 §4.3, §4.5; RFC 7009 §2.1; RFC 7662 §2.1;
/// RFC 7523 §2.2; OIDC Core §3.1.2.1; OpenID Connect RP-Initiated Logout 1.0 §2.
/// </summary>
public static class OAuthParameters
{
    public const string ClientId = "client_id";
    public const string ClientSecret = "client_secret";
    public const string ClientAssertion = "client_assertion";
    public const string ClientAssertionType = "client_assertion_type";
    public const string GrantType = "grant_type";
    public const string Code = "code";
    public const string CodeVerifier = "code_verifier";
    public const string RedirectUri = "redirect_uri";
    public const string RefreshToken = "refresh_token";
    public const string Scope = "scope";
    public const string Token = "token";
    public const string TokenTypeHint = "token_type_hint";
    public const string ResponseType = "response_type";
    public const string ResponseMode = "response_mode";
    public const string State = "state";
    public const string Nonce = "nonce";
    public const string CodeChallenge = "code_challenge";
    public const string CodeChallengeMethod = "code_challenge_method";
    public const string Prompt = "prompt";

    /// <summary>OIDC Core §3.1.2.1: requested authentication context classes, space-separated, in order of preference.</summary>
    public const string AcrValues = "acr_values";
    /// <summary>OIDC Core §5.5: individual claims requested, a JSON object (only its <c>id_token.acr</c> is honoured).</summary>
    public const string Claims = "claims";
    public const string MaxAge = "max_age";

    /// <summary>The tenant (its slug) the person is to act for (docs/adr/0038); needs the <c>tenant</c> scope.</summary>
    public const string Tenant = "tenant";
    public const string LoginHint = "login_hint";
    public const string Request = "request";
    public const string RequestUri = "request_uri";
    public const string ExpiresIn = "expires_in";

    /// <summary>
    /// This server's own parameter: a verified (pushed or signed) authorization request, sealed for the trip
    /// through the sign-in and consent pages (docs/adr/0024).
    /// </summary>
    public const string SealedRequest = "sealed_request";
    public const string IdTokenHint = "id_token_hint";
    public const string PostLogoutRedirectUri = "post_logout_redirect_uri";
    public const string Error = "error";
    public const string ErrorDescription = "error_description";
    public const string Issuer = "iss";

    /// <summary>RFC 9449 §10: the JWK thumbprint the authorization code is to be bound to.</summary>
    public const string DPoPJkt = "dpop_jkt";

    /// <summary>RFC 8707 §2: the protected resource a token is for; may repeat.</summary>
    public const string Resource = "resource";

    // RFC 8693 §2.1: the token exchange request.
    public const string Audience = "audience";
    public const string SubjectToken = "subject_token";
    public const string SubjectTokenType = "subject_token_type";
    public const string ActorToken = "actor_token";
    public const string ActorTokenType = "actor_token_type";
    public const string RequestedTokenType = "requested_token_type";

    /// <summary>RFC 8628 §3.4: the device code the device polls the token endpoint with.</summary>
    public const string DeviceCode = "device_code";
}
