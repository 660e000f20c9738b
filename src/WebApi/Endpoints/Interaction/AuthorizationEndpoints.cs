using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Commands.Authorize;
using AuthService.Application.Authorization.Commands.ChooseTenant;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Consents.Commands.DecideConsent;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Application.SignIn.Commands.SignInWithSecondFactor;
using AuthService.WebApi.Interaction;
using AuthService.WebApi.Protocol;
using MediatR;
using AuthService.WebApi.RateLimiting;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// The browser side of the code flow: the authorization endpoint (GET and form POST), and the sign-in and
/// consent forms it shows. Each form is anti-forgery protected and carries the authorization request,
/// which the application validates again; outcomes become pages or redirects here, nowhere else.
/// </summary>
public static class AuthorizationEndpoints
{
    public static IEndpointRouteBuilder MapAuthorizationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(ProtocolEndpoints.Authorization, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync)
            .WithName("Authorize")
            .WithTags("Protocol")
            .WithSummary("Authorization endpoint (RFC 6749 §4.1.1, OIDC Core §3.1.2): response_type=code with PKCE S256")
            .WithDescription("Browser endpoint. Shows the sign-in or consent page, or redirects to the client's redirect_uri with code, state and iss (RFC 9207).")
            .ExcludeFromDescription()
            .DisableAntiforgery();
        endpoints.MapPost(ProtocolEndpoints.SignIn, SignInAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        endpoints.MapPost(SecondFactorPath, SecondFactorAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        endpoints.MapPost(ProtocolEndpoints.Consent, ConsentAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(TenantPickerPath, ChooseTenantAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer, CancellationToken cancellationToken)
    {
        var parameters = await InteractionForms.ReadAuthorizationRequestAsync(http.Request, cancellationToken);
        if (!parameters.IsSuccess)
        {
            return Pages.Error(parameters.Error);
        }

        var outcome = await mediator.Send(new Authorize(parameters.Value, cookies.SessionHandle(http.Request)), cancellationToken);

        // idp_hint (docs/adr/0037): the sign-in starts at that provider, not on the sign-in page.
        if (outcome is InteractionOutcome.ShowLogin { Failed: false } login
            && await FederationEndpoints.StartFromHintAsync(http, mediator, cookies, issuer, login.Request, cancellationToken) is { } upstream)
        {
            return upstream;
        }

        return Render(http, outcome, cookies, issuer);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer, CancellationToken cancellationToken)
    {
        var page = await PageForm.ReadAsync(http, cookies, cancellationToken);
        if (!page.IsSuccess)
        {
            return Pages.Error(page.Error);
        }

        var (form, parameters) = page.Value;
        var outcome = await mediator.Send(new SignIn(parameters, form["username"], form["password"], cookies.SessionHandle(http.Request),
            http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()), cancellationToken);
        return Render(http, outcome, cookies, issuer);
    }

    /// <summary>The second-factor form of the sign-in (a pending sign-in in its cookie), or its passkey page, posted with the request it belongs to.</summary>
    private static async Task<IResult> SecondFactorAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        IIssuerProvider issuer, CancellationToken cancellationToken)
    {
        var page = await PageForm.ReadAsync(http, cookies, cancellationToken);
        if (!page.IsSuccess)
        {
            return Pages.Error(page.Error);
        }

        var (form, parameters) = page.Value;
        var outcome = await mediator.Send(new SignInWithSecondFactor(parameters, ceremonyCookie.ProofOf(http, form["code"], form["credential"]), cookies.PendingSignInHandle(http.Request),
            cookies.SessionHandle(http.Request), http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()), cancellationToken);
        return Render(http, outcome, cookies, issuer);
    }

    private static async Task<IResult> ConsentAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer, CancellationToken cancellationToken)
    {
        var page = await PageForm.ReadAsync(http, cookies, cancellationToken);
        if (!page.IsSuccess)
        {
            return Pages.Error(page.Error);
        }

        var (form, parameters) = page.Value;
        if (form["decision"] is not ("allow" or "deny"))
        {
            return Pages.Error(OAuthError.ConsentDecisionMissing);
        }

        var outcome = await mediator.Send(new DecideConsent(parameters, form["decision"] == "allow", cookies.SessionHandle(http.Request)), cancellationToken);
        return Render(http, outcome, cookies, issuer);
    }

    /// <summary>The tenant picker's form (docs/adr/0038): the chosen slug, with the request and the anti-forgery token.</summary>
    private static async Task<IResult> ChooseTenantAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer, CancellationToken cancellationToken)
    {
        var page = await PageForm.ReadAsync(http, cookies, cancellationToken);
        if (!page.IsSuccess)
        {
            return Pages.Error(page.Error);
        }

        var (form, parameters) = page.Value;
        var outcome = await mediator.Send(new ChooseTenant(parameters, form[OAuthParameters.Tenant], cookies.SessionHandle(http.Request)), cancellationToken);
        return Render(http, outcome, cookies, issuer);
    }

    internal static IResult Render(HttpContext http, InteractionOutcome outcome, BrowserCookies cookies, IIssuerProvider issuer)
    {
        switch (outcome)
        {
            case InteractionOutcome.ErrorPage page:
                return Pages.Error(page.Error);
            case InteractionOutcome.Redirect { Target.ResponseMode: ResponseModes.FormPost } redirect:
                return Pages.FormPost(redirect.Target.RedirectUri, redirect.ResponseParameters);
            case InteractionOutcome.Redirect redirect:
                return SeeOther(http, InteractionForms.ResponseUrl(redirect.Target.RedirectUri, redirect.ResponseParameters));
            case InteractionOutcome.ShowSecondFactor second:
                cookies.SetPendingSignIn(http.Response, second.PendingHandle);
                return new SecondStepPage(second.PendingHandle, offer => Pages.SecondFactor(second.Request, cookies.CsrfTokenFor(http), second.Failed,
                    second.RetryAfter, PathOf(http, SecondFactorPath), offer));
            case InteractionOutcome.ShowLogin login:
                cookies.ClearPendingSignIn(http.Response);
                return new SignInPage(providers => Pages.SignIn(login.Request, cookies.CsrfTokenFor(http), login.Username, login.Failed, login.RetryAfter,
                    PathOf(http, ProtocolEndpoints.SignIn), PathOf(http, Application.Email.EmailLinks.ForgotPasswordPath),
                    EmailEndpoints.MagicLinkPathFor(http, Application.Email.EmailLinks.RequestAuthorizationMagicLinkPath), providers,
                    FederationEndpoints.ChallengePathFor(http), login.TenantNotice));
            case InteractionOutcome.ShowConsent consent:
                return Pages.Consent(consent.Request, consent.UserDisplayName, cookies.CsrfTokenFor(http), PathOf(http, ProtocolEndpoints.Consent));
            case InteractionOutcome.ShowTenantPicker picker:
                return Pages.TenantPicker(picker.Request, picker.Tenants, cookies.CsrfTokenFor(http), PathOf(http, TenantPickerPath));
            case InteractionOutcome.Continue next:
                if (next.NewSessionHandle is not null)
                {
                    cookies.SetSession(http.Response, next.NewSessionHandle);
                    cookies.ClearPendingSignIn(http.Response);
                }

                return SeeOther(http, InteractionForms.AuthorizationUrl(issuer.Issuer, next.Parameters));
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome.GetType().Name}.");
        }
    }

    /// <summary>The sign-in's second step (RFC 6238 code or backup code, or a passkey).</summary>
    public const string SecondFactorPath = ProtocolEndpoints.SignIn + "/second-factor";

    /// <summary>The tenant picker's form (docs/adr/0038).</summary>
    public const string TenantPickerPath = "/account/choose-tenant";

    internal static string PathOf(HttpContext http, string path) => http.Request.PathBase + path;

    /// <summary>303 See Other: the browser follows with GET, never re-posting the credentials (RFC 9700 §4.12).</summary>
    internal static IResult SeeOther(HttpContext http, string location)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
