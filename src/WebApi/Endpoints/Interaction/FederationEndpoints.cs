using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Federation;
using AuthService.Application.Federation.Commands.BeginExternalSignIn;
using AuthService.Application.Federation.Commands.BeginLinkProofPasskey;
using AuthService.Application.Federation.Commands.CompleteExternalSignIn;
using AuthService.Application.Federation.Commands.ProveExternalLink;
using AuthService.Application.Federation.Queries.ViewLinkProof;
using AuthService.Application.Passkeys;
using AuthService.Domain.Federation;
using AuthService.WebApi.Interaction;
using AuthService.WebApi.Protocol;
using MediatR;
using AuthService.WebApi.RateLimiting;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// The browser side of upstream sign-in (docs/adr/0037 "The flow"): a sign-in page's provider button (POST, anti-forgery
/// token, the page's carried request), the account page's link button (POST, signed in), the provider's callback (GET with
/// the query, or POST for an upstream's form_post: no anti-forgery token by nature, the state and the binding cookie
/// protect it), and the proof page's post. Outcomes become redirects or pages here, nowhere else.
/// </summary>
public static class FederationEndpoints
{
    /// <summary>
    /// The proof page (an account has the upstream's address): GET shows it again (the passkey page's "Cancel"), POST takes its
    /// password, then its second factor, or a passkey's assertion.
    /// </summary>
    public const string ProofPath = "/account/external-link/proof";

    /// <summary>The proof's passkey page (GET, <c>sign_in</c> in the query): a ceremony bound to the round trip awaiting proof.</summary>
    public const string ProofPasskeyPath = ProofPath + PasskeyPages.PathSuffix;

    public static IEndpointRouteBuilder MapFederationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(FederationPaths.ChallengePattern, ChallengeAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(FederationPaths.LinkPattern, LinkAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapMethods(FederationPaths.CallbackPattern, [HttpMethods.Get, HttpMethods.Post], CallbackAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapGet(ProofPath, ViewProofAsync).ExcludeFromDescription();
        endpoints.MapPost(ProofPath, ProveAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        endpoints.MapGet(ProofPasskeyPath, BeginPasskeyProofAsync).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The challenge path of a provider under this server's path base (the sign-in pages' buttons).</summary>
    internal static Func<string, string> ChallengePathFor(HttpContext http) => name => AuthorizationEndpoints.PathOf(http, FederationPaths.Challenge(name));

    private static async Task<IResult> ChallengeAsync(string provider, HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer,
        CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        IReadOnlyDictionary<string, string>? parameters = null;
        Guid? proves = null;
        ExternalSignInPurpose purpose;
        switch (form.Value[FederationPages.PurposeField])
        {
            case FederationPages.AuthorizationPurpose:
                var carried = InteractionForms.Decode(form.Value[PageForm.RequestField]);
                if (!carried.IsSuccess)
                {
                    return Pages.Error(carried.Error);
                }

                (parameters, purpose) = (carried.Value, ExternalSignInPurpose.Authorization);
                break;
            case FederationPages.DevicePurpose:
                purpose = ExternalSignInPurpose.Device;
                break;
            case FederationPages.AccountPurpose:
                purpose = ExternalSignInPurpose.Account;
                break;
            case FederationPages.ProofPurpose:
                if (!Guid.TryParseExact(form.Value[FederationPages.SignInField], "D", out var signInId))
                {
                    return FederationPages.Error(FederationFailure.RoundTripInvalid, null);
                }

                (proves, purpose) = (signInId, ExternalSignInPurpose.Proof);
                break;
            default:
                return Pages.Error(OAuthError.FormExpired);
        }

        return await BeginAsync(http, mediator, cookies, issuer, new BeginExternalSignIn(provider, purpose, parameters,
            form.Value[DeviceVerificationEndpoints.UserCodeField], cookies.SessionHandle(http.Request), cookies.FederationBinding(http.Request),
            http.Connection.RemoteIpAddress?.ToString(), proves), cancellationToken);
    }

    /// <summary>The account page's "link another provider" (signed in, anti-forgery token).</summary>
    private static async Task<IResult> LinkAsync(string provider, HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer,
        CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        return await BeginAsync(http, mediator, cookies, issuer, new BeginExternalSignIn(provider, ExternalSignInPurpose.Link, null, null,
            cookies.SessionHandle(http.Request), cookies.FederationBinding(http.Request), http.Connection.RemoteIpAddress?.ToString()), cancellationToken);
    }

    /// <summary>
    /// The authorization endpoint's sign-in with <c>idp_hint</c> naming an enabled provider: straight to it (303), the login_hint
    /// passed on; null (the ordinary sign-in page) when the hint names no enabled provider.
    /// </summary>
    internal static async Task<IResult?> StartFromHintAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer,
        Application.Authorization.AuthorizationRequest request, CancellationToken cancellationToken)
    {
        if (request.IdpHint is null)
        {
            return null;
        }

        var outcome = await mediator.Send(new BeginExternalSignIn(request.IdpHint, ExternalSignInPurpose.Authorization, request.Parameters, null,
            cookies.SessionHandle(http.Request), cookies.FederationBinding(http.Request), http.Connection.RemoteIpAddress?.ToString()), cancellationToken);
        return outcome is ExternalSignInOutcome.ErrorPage { Failure: FederationFailure.UnknownProvider } ? null : Render(http, outcome, cookies, issuer);
    }

    private static async Task<IResult> BeginAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer, BeginExternalSignIn command,
        CancellationToken cancellationToken) =>
        NavigateOn(http, Render(http, await mediator.Send(command, cancellationToken), cookies, issuer));

    /// <summary>
    /// After a form post whose redirects would leave for another site's pages, or arrive from another site's form: a page that
    /// navigates on by itself (<see cref="Pages.Continue"/>) instead of a 303. Browsers check every redirect that follows a
    /// form submission against the submitting page's CSP <c>form-action</c> (CSP Level 3 §6.4.1, as Chromium enforces it):
    /// a provider button's 303 to the upstream (which may redirect on to another of its hosts) would answer to our sign-in
    /// page's policy, and the callback's and the proof page's 303s on to the client to the upstream's or the proof page's
    /// policy. A navigation of the page's own starts a new chain. Other answers (pages) are kept.
    /// </summary>
    private static IResult NavigateOn(HttpContext http, IResult result)
    {
        if (result is not IStatusCodeHttpResult { StatusCode: StatusCodes.Status303SeeOther } || http.Response.Headers.Location.ToString() is not { Length: > 0 } location)
        {
            return result;
        }

        http.Response.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Location);
        return Pages.Continue(location);
    }

    /// <summary>The upstream's answer: the query (GET) or the form (POST), each parameter at most once.</summary>
    private static async Task<IResult> CallbackAsync(string provider, HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer,
        CancellationToken cancellationToken)
    {
        var parameters = HttpMethods.IsGet(http.Request.Method)
            ? http.Request.QueryString.Value is { Length: > InteractionForms.MaxQueryLength } ? OAuthError.RequestTooLarge : ProtocolForm.Collect(http.Request.Query)
            : await ReadFormValuesAsync(http, cancellationToken);
        if (!parameters.IsSuccess)
        {
            return FederationPages.Error(FederationFailure.RoundTripInvalid, null);
        }

        var outcome = await mediator.Send(new CompleteExternalSignIn(provider, parameters.Value, cookies.FederationBinding(http.Request),
            cookies.SessionHandle(http.Request), http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()), cancellationToken);
        return NavigateOn(http, Render(http, outcome, cookies, issuer));
    }

    private static async Task<ProtocolResult<Dictionary<string, string>>> ReadFormValuesAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var form = await ProtocolForm.ReadAsync(http.Request, cancellationToken);
        return form.IsSuccess ? form.Value.Values.ToDictionary(StringComparer.Ordinal) : form.Error;
    }

    /// <summary>
    /// The proof page's post: the password, the second factor's code, or (from the passkey page) the assertion with the
    /// ceremony cookie, which is cleared: the ceremony is spent either way.
    /// </summary>
    private static async Task<IResult> ProveAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        IIssuerProvider issuer, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        if (!Guid.TryParseExact(form.Value[FederationPages.SignInField], "D", out var signInId))
        {
            return FederationPages.Error(FederationFailure.RoundTripInvalid, null);
        }

        var assertion = form.Value["credential"];
        string? ceremony = null;
        if (assertion is not null)
        {
            ceremony = ceremonyCookie.Handle(http.Request);
            ceremonyCookie.Clear(http.Response);
        }

        var outcome = await mediator.Send(new ProveExternalLink(signInId, cookies.FederationBinding(http.Request), form.Value["password"], form.Value["code"],
            cookies.PendingSignInHandle(http.Request), cookies.SessionHandle(http.Request), http.Connection.RemoteIpAddress?.ToString(),
            http.Request.Headers.UserAgent.ToString(), assertion, ceremony), cancellationToken);
        return NavigateOn(http, Render(http, outcome, cookies, issuer));
    }

    /// <summary>The proof page again, in the browser whose round trip awaits proof (else the "not valid" page).</summary>
    private static async Task<IResult> ViewProofAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer,
        CancellationToken cancellationToken) =>
        SignInIdOf(http) is { } signInId
            ? Render(http, await mediator.Send(new ViewLinkProof(signInId, cookies.FederationBinding(http.Request)), cancellationToken), cookies, issuer)
            : FederationPages.Error(FederationFailure.RoundTripInvalid, null);

    /// <summary>
    /// "Use a passkey" on the proof page: the ceremony's page (allowCredentials: the account's passkeys), whose form posts the
    /// assertion to the proof page's POST; 429 beyond the address's limit; the "not valid" page when nothing awaits proof here.
    /// </summary>
    private static async Task<IResult> BeginPasskeyProofAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        if (SignInIdOf(http) is not { } signInId)
        {
            return FederationPages.Error(FederationFailure.RoundTripInvalid, null);
        }

        switch (await mediator.Send(new BeginLinkProofPasskey(signInId, cookies.FederationBinding(http.Request), http.Connection.RemoteIpAddress?.ToString()),
            cancellationToken))
        {
            case BegunCeremony begun:
                ceremonyCookie.Set(http.Response, begun.Handle);
                return PasskeyPages.Ceremony("Use a passkey", "Your browser will ask you to use one of the passkeys of the account you are linking to.",
                    create: false, begun.OptionsJson, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, ProofPath),
                    new Dictionary<string, string>(StringComparer.Ordinal) { [FederationPages.SignInField] = signInId.ToString("D") },
                    FederationPages.WithSignIn(AuthorizationEndpoints.PathOf(http, ProofPath), signInId));
            case CeremonyStart.Throttled throttled:
                return PasskeyEndpoints.TooManyCeremonies(http, throttled);
            default:
                return FederationPages.Error(FederationFailure.RoundTripInvalid, null);
        }
    }

    /// <summary>The round trip a proof page's GET names (<c>sign_in</c> once, a GUID); null otherwise.</summary>
    private static Guid? SignInIdOf(HttpContext http) =>
        http.Request.Query[FederationPages.SignInField] is { Count: 1 } values && Guid.TryParseExact(values.ToString(), "D", out var id) ? id : null;

    internal static IResult Render(HttpContext http, ExternalSignInOutcome outcome, BrowserCookies cookies, IIssuerProvider issuer)
    {
        switch (outcome)
        {
            case ExternalSignInOutcome.ToUpstream upstream:
                cookies.SetFederationBinding(http.Response, upstream.Binding);
                return AuthorizationEndpoints.SeeOther(http, upstream.Url.AbsoluteUri);
            case ExternalSignInOutcome.ErrorPage error:
                return FederationPages.Error(error.Failure, error.Provider);
            case ExternalSignInOutcome.ProveOwnership proof:
                return FederationPages.Proof(proof, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, ProofPath), ChallengePathFor(http),
                    AuthorizationEndpoints.PathOf(http, ProofPasskeyPath));
            case ExternalSignInOutcome.ProveSecondFactor second:
                cookies.SetPendingSignIn(http.Response, second.PendingHandle);
                return FederationPages.ProofSecondFactor(second, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, ProofPath));
            case ExternalSignInOutcome.Authorization authorization:
                return AuthorizationEndpoints.Render(http, authorization.Outcome, cookies, issuer);
            case ExternalSignInOutcome.Device device:
                return DeviceVerificationEndpoints.Render(http, device.Outcome, cookies);
            case ExternalSignInOutcome.Account account:
                return AccountEndpoints.RenderSignIn(http, cookies, account.SignIn, username: null, secondStep: false);
            case ExternalSignInOutcome.Linked linked:
                // The link was started from the account page: the page that says so leads back to it (where the link is listed).
                return Pages.Message("Account linked", linked.Provider + " is now linked to your account: you can sign in with it from now on.",
                    AuthorizationEndpoints.PathOf(http, AccountEndpoints.AccountPath), "Back to your account");
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}.");
        }
    }
}
