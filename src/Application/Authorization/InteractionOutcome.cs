using AuthService.Application.Common.Protocol;

namespace AuthService.Application.Authorization;

/// <summary>What the browser is shown next, at the authorization endpoint and on the sign-in and consent pages.</summary>
public abstract record InteractionOutcome
{
    /// <summary>The client or redirect URI is not known good: an error page here, never a redirect.</summary>
    public sealed record ErrorPage(OAuthError Error) : InteractionOutcome;

    /// <summary>
    /// The authorization response, to the client's validated redirect URI: <c>code</c> or <c>error</c> and
    /// <c>error_description</c>, then <c>state</c> and <c>iss</c> (RFC 9207), in the response mode asked for.
    /// </summary>
    public sealed record Redirect(RedirectTarget Target, IReadOnlyList<KeyValuePair<string, string>> ResponseParameters) : InteractionOutcome;

    /// <summary>The sign-in page; <paramref name="Failed"/> after wrong credentials (one message, whatever the reason).</summary>
    public sealed record ShowLogin(AuthorizationRequest Request, string? Username, bool Failed, TimeSpan? RetryAfter) : InteractionOutcome
    {
        /// <summary>
        /// Set when the chosen tenant does not take the way the session signed in (docs/adr/0038): its allowed sign-in methods
        /// (<c>password</c>, <c>passkey</c>, <c>federation</c>), which the page names; null otherwise.
        /// </summary>
        public TenantSignInNotice? TenantNotice { get; init; }
    }

    /// <summary>
    /// The tenant picker (docs/adr/0038): the person belongs to several active tenants and the request named none. Its form
    /// carries the request and the choice back to the authorization endpoint.
    /// </summary>
    public sealed record ShowTenantPicker(AuthorizationRequest Request, IReadOnlyList<TenantOption> Tenants) : InteractionOutcome;

    /// <summary>
    /// The password was right and the account has a second factor: the second-factor form. <paramref name="PendingHandle"/>
    /// is the pending sign-in's cookie value; <paramref name="Failed"/> after a wrong code (one message, whatever the reason).
    /// </summary>
    public sealed record ShowSecondFactor(AuthorizationRequest Request, string PendingHandle, bool Failed, TimeSpan? RetryAfter) : InteractionOutcome
    {
        /// <summary>Never prints the handle.</summary>
        public override string ToString() => $"ShowSecondFactor {{ Failed = {Failed} }}";
    }

    /// <summary>The consent page for the signed-in user.</summary>
    public sealed record ShowConsent(AuthorizationRequest Request, string UserDisplayName) : InteractionOutcome;

    /// <summary>
    /// Back to the authorization endpoint with these parameters (303, RFC 9700 §4.12), after a page did
    /// its part; <paramref name="NewSessionHandle"/> is the cookie value of a session just started.
    /// </summary>
    public sealed record Continue(IReadOnlyDictionary<string, string> Parameters, string? NewSessionHandle) : InteractionOutcome;
}

/// <summary>A tenant the picker offers: its slug (the value posted) and display name (what the person reads).</summary>
public sealed record TenantOption(string Slug, string DisplayName);

/// <summary>Why the sign-in page is shown again: the tenant's name and the sign-in methods it allows.</summary>
public sealed record TenantSignInNotice(string TenantDisplayName, IReadOnlyList<string> AllowedMethods);

/// <summary>Builds authorization responses: the parameters, in order, ending with <c>iss</c> (RFC 9207 §2).</summary>
public static class AuthorizationResponses
{
    public static InteractionOutcome.Redirect Error(RedirectTarget target, OAuthError error, string issuer) =>
        new(target, With(target.State, issuer, new KeyValuePair<string, string>(OAuthParameters.Error, error.Code), new KeyValuePair<string, string>(OAuthParameters.ErrorDescription, error.Description)));

    public static InteractionOutcome.Redirect Code(RedirectTarget target, string code, string issuer) =>
        new(target, With(target.State, issuer, new KeyValuePair<string, string>(OAuthParameters.Code, code)));

    public static InteractionOutcome From(AuthorizationValidation validation, string issuer) => validation switch
    {
        AuthorizationValidation.ErrorPage page => new InteractionOutcome.ErrorPage(page.Error),
        AuthorizationValidation.ErrorRedirect redirect => Error(redirect.Target, redirect.Error, issuer),
        _ => throw new ArgumentException("A valid request is not an outcome.", nameof(validation)),
    };

    public static RedirectTarget TargetOf(AuthorizationRequest request) => new(request.RedirectUri, request.ResponseMode, request.State);

    private static List<KeyValuePair<string, string>> With(string? state, string issuer, params KeyValuePair<string, string>[] first)
    {
        var parameters = new List<KeyValuePair<string, string>>(first);
        if (state is not null)
        {
            parameters.Add(new(OAuthParameters.State, state));
        }

        parameters.Add(new(OAuthParameters.Issuer, issuer));
        return parameters;
    }
}
