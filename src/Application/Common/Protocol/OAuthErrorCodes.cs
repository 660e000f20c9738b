namespace AuthService.Application.Common.Protocol;

/// <summary>
/// The error codes on the wire: RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, OIDC Core §3.1.2.6. Only
/// <see cref="OAuthError"/> builds errors from them; elsewhere they are read, to choose the HTTP answer.
/// </summary>
public static class OAuthErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnauthorizedClient = "unauthorized_client";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidScope = "invalid_scope";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string AccessDenied = "access_denied";
    public const string LoginRequired = "login_required";
    public const string ConsentRequired = "consent_required";

    /// <summary>OpenID Connect Core Unmet Authentication Requirements 1.0 §2: the acr asked for cannot be met for this user.</summary>
    public const string UnmetAuthenticationRequirements = "unmet_authentication_requirements";

    /// <summary>OIDC Core §3.1.2.6: the request needs the user at the pages (here: a second factor), but prompt=none.</summary>
    public const string InteractionRequired = "interaction_required";
    public const string RequestNotSupported = "request_not_supported";
    public const string RequestUriNotSupported = "request_uri_not_supported";
    public const string InvalidRequestUri = "invalid_request_uri";
    public const string InvalidRequestObject = "invalid_request_object";
    public const string InvalidToken = "invalid_token";
    public const string InsufficientScope = "insufficient_scope";
    public const string ServerError = "server_error";
    public const string TemporarilyUnavailable = "temporarily_unavailable";

    // RFC 8628 §3.5 (device authorization grant).
    public const string AuthorizationPending = "authorization_pending";
    public const string SlowDown = "slow_down";
    public const string ExpiredToken = "expired_token";

    // RFC 8707 §2 (OAuth Extensions Error registry, §5.2).
    public const string InvalidTarget = "invalid_target";

    // RFC 9449 §12.2 (OAuth Extensions Error registry).
    public const string InvalidDPoPProof = "invalid_dpop_proof";
    public const string UseDPoPNonce = "use_dpop_nonce";

    // RFC 7591 §3.2.2 (dynamic client registration).
    public const string InvalidRedirectUri = "invalid_redirect_uri";
    public const string InvalidClientMetadata = "invalid_client_metadata";
    public const string InvalidSoftwareStatement = "invalid_software_statement";
}
