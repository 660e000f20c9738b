using AuthService.Application.Common.Protocol;

namespace AuthService.Application.Authorization;

/// <summary>The outcome of validating an authorization request.</summary>
public abstract record AuthorizationValidation
{
    /// <summary>The client or redirect URI is not known good: show an error page, never redirect (RFC 6749 §4.1.2.1).</summary>
    public sealed record ErrorPage(OAuthError Error) : AuthorizationValidation;

    /// <summary>Anything else: the error goes to the client's redirect URI with state and iss (RFC 9207).</summary>
    public sealed record ErrorRedirect(RedirectTarget Target, OAuthError Error) : AuthorizationValidation;

    public sealed record Valid(AuthorizationRequest Request) : AuthorizationValidation;
}
