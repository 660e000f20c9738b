namespace AuthService.Application.Common.Protocol;

/// <summary>
/// An expected protocol failure (RFC 6749 §5.2), carried as a value. The descriptions are fixed so they
/// never echo input and never reveal whether a client exists.
/// </summary>
public sealed record OAuthError(string Code, string Description)
{
    /// <summary>Set when the caller should back off (client authentication throttling): mapped to 429 + Retry-After.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static OAuthError InvalidRequest(string description) => new(OAuthErrorCodes.InvalidRequest, description);

    public static readonly OAuthError InvalidClient =
        new(OAuthErrorCodes.InvalidClient, "Client authentication failed.");

    public static readonly OAuthError MultipleAuthenticationMethods =
        new(OAuthErrorCodes.InvalidRequest, "The request uses more than one client authentication method.");

    public static readonly OAuthError UnauthorizedClient =
        new(OAuthErrorCodes.UnauthorizedClient, "The client is not allowed to use this grant type.");

    public static readonly OAuthError UnsupportedGrantType =
        new(OAuthErrorCodes.UnsupportedGrantType, "The grant type is not supported.");

    public static readonly OAuthError MissingGrantType =
        new(OAuthErrorCodes.InvalidRequest, "The grant_type parameter is required.");

    public static OAuthError InvalidScope(string description) => new(OAuthErrorCodes.InvalidScope, description);

    public static OAuthError ClientAuthenticationThrottled(TimeSpan retryAfter) =>
        new(OAuthErrorCodes.InvalidClient, "Too many failed client authentication attempts; retry later.") { RetryAfter = retryAfter };

    public static OAuthError InvalidGrant(string description) => new(OAuthErrorCodes.InvalidGrant, description);

    public static readonly OAuthError TemporarilyUnavailable =
        new(OAuthErrorCodes.TemporarilyUnavailable, "The server is temporarily unable to handle the request.");

    public static readonly OAuthError ServerError =
        new(OAuthErrorCodes.ServerError, "The server encountered an unexpected condition.");
}

/// <summary>The error codes of RFC 6749 §4.1.2.1 and §5.2.</summary>
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
    public const string InvalidToken = "invalid_token";
    public const string InsufficientScope = "insufficient_scope";
    public const string ServerError = "server_error";
    public const string TemporarilyUnavailable = "temporarily_unavailable";
}
