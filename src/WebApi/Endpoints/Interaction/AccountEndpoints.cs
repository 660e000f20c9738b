using AuthService.Application.Account.Commands.SignInToAccount;
using AuthService.Application.Account.Commands.SignInToAccountWithSecondFactor;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Application.Account.Queries.ListAccountApps;
using AuthService.Application.Account.Queries.ListAccountSessions;
using AuthService.Application.Account.Queries.ViewAccount;
using AuthService.Application.Account.Queries.ViewLinkedAccounts;
using AuthService.Application.Federation;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Email;
using AuthService.Application.SignIn.Commands.EndSession;
using AuthService.WebApi.Interaction;
using AuthService.WebApi.Protocol;
using MediatR;
using AuthService.WebApi.RateLimiting;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// The person's own account page: <c>GET /account</c> (needs an active browser session, else to the sign-in),
/// <c>GET|POST /account/signin</c> (the password sign-in every sign-in form uses) and <c>POST /account/signout</c> (ends the
/// session as the end-session endpoint does, logout notifications included). Every POST needs the anti-forgery token
/// (RFC 6749 §10.12); success answers 303 (POST-redirect-GET).
/// </summary>
public static class AccountEndpoints
{
    public const string AccountPath = "/account";
    public const string SignInPath = AccountPath + "/signin";
    public const string SignOutPath = AccountPath + "/signout";
    public const string SecurityPath = AccountPath + "/security";
    public const string SecondFactorPath = SignInPath + "/second-factor";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AccountPath, ViewAsync).ExcludeFromDescription();
        endpoints.MapGet(SignInPath, ViewSignInAsync).ExcludeFromDescription();
        endpoints.MapPost(SignInPath, SignInAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        endpoints.MapPost(SecondFactorPath, SecondFactorAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        endpoints.MapPost(SignOutPath, SignOutAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> ViewAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var account = await mediator.Send(new ViewAccount(cookies.SessionHandle(http.Request)), cancellationToken);
        if (account is null)
        {
            return AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, SignInPath));
        }

        // Signed in (by any way) after a tenant invitation sent the person to sign in: back to it (docs/adr/0038).
        if (TenantInvitationEndpoints.ReturnAfterSignIn(http, cookies) is { } invitation)
        {
            return invitation;
        }

        var status = http.Request.Query["status"].ToString() switch
        {
            "signed-in" => "You are signed in.",
            EmailEndpoints.MagicLinkStatus => "You are signed in with the link we e-mailed you.",
            EmailEndpoints.MagicLinkVerifiedStatus => "You are signed in with the link we e-mailed you. It proved that the address is yours: it is now verified.",
            var other => AccountSections.StatusMessage(other),
        };
        var csrfToken = cookies.CsrfTokenFor(http);
        var apps = await mediator.Send(new ListAccountApps(cookies.SessionHandle(http.Request)), cancellationToken) ?? [];
        var sessions = await mediator.Send(new ListAccountSessions(cookies.SessionHandle(http.Request)), cancellationToken) ?? [];
        var linked = await mediator.Send(new ViewLinkedAccounts(cookies.SessionHandle(http.Request)), cancellationToken);
        return AccountPages.Account(account, csrfToken, status,
            AuthorizationEndpoints.PathOf(http, SecurityPath), AuthorizationEndpoints.PathOf(http, SignOutPath), body =>
            {
                AccountSections.Profile(body, account.Username, account.Name, account.Email, account.EmailVerified, csrfToken,
                    AuthorizationEndpoints.PathOf(http, AccountAppEndpoints.ProfilePath));
                if (account.Email is not null && !account.EmailVerified)
                {
                    AccountSections.EmailVerification(body, csrfToken, AuthorizationEndpoints.PathOf(http, EmailEndpoints.SendVerificationPath));
                }

                AccountSections.Password(body, csrfToken, AuthorizationEndpoints.PathOf(http, AccountAppEndpoints.PasswordPath));
                AccountSections.Sessions(body, sessions, csrfToken, AuthorizationEndpoints.PathOf(http, AccountAppEndpoints.EndSessionPath),
                    AuthorizationEndpoints.PathOf(http, AccountAppEndpoints.EndOtherSessionsPath));
                AccountSections.Apps(body, apps, csrfToken, AuthorizationEndpoints.PathOf(http, AccountAppEndpoints.WithdrawPath));
                if (linked is not null)
                {
                    AccountSections.LinkedAccounts(body, linked, csrfToken, AuthorizationEndpoints.PathOf(http, AccountAppEndpoints.UnlinkPath),
                        provider => AuthorizationEndpoints.PathOf(http, FederationPaths.Link(provider)));
                }
            }, linked?.Linkable.Select(p => p.UpstreamOrigin).OfType<string>());
    }

    private static async Task<IResult> ViewSignInAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        // Already signed in: straight to the page.
        return await mediator.Send(new ViewAccount(cookies.SessionHandle(http.Request)), cancellationToken) is not null
            ? AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, AccountPath))
            : new SignInPage(providers => AccountPages.SignIn(cookies.CsrfTokenFor(http), null, failed: false, retryAfter: null,
                AuthorizationEndpoints.PathOf(http, SignInPath), AuthorizationEndpoints.PathOf(http, EmailLinks.ForgotPasswordPath),
                registerPath: SignUpEndpoints.LinkFor(http), magicLinkPath: EmailEndpoints.MagicLinkPathFor(http), providers,
                FederationEndpoints.ChallengePathFor(http)));
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var username = form.Value["username"];
        var result = await mediator.Send(new SignInToAccount(username, form.Value["password"], cookies.SessionHandle(http.Request),
            http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()), cancellationToken);
        return RenderSignIn(http, cookies, result, username, secondStep: false);
    }

    private static async Task<IResult> SecondFactorAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var result = await mediator.Send(new SignInToAccountWithSecondFactor(ceremonyCookie.ProofOf(http, form.Value["code"], form.Value["credential"]),
            cookies.PendingSignInHandle(http.Request),
            cookies.SessionHandle(http.Request), http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()), cancellationToken);
        return RenderSignIn(http, cookies, result, username: null, secondStep: true);
    }

    /// <summary>Signed in: to the account page; a pending sign-in: the second-factor form; else the password form again with the one failure message.</summary>
    internal static IResult RenderSignIn(HttpContext http, BrowserCookies cookies, PasswordSignInResult result, string? username, bool secondStep)
    {
        switch (result)
        {
            case { SessionHandle: { } handle }:
                cookies.SetSession(http.Response, handle);
                cookies.ClearPendingSignIn(http.Response);
                return AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, AccountPath) + "?status=signed-in");
            case { PendingHandle: { } pending }:
                cookies.SetPendingSignIn(http.Response, pending);
                return new SecondStepPage(pending, offer => AccountPages.SecondFactor(cookies.CsrfTokenFor(http), failed: secondStep, result.RetryAfter,
                    AuthorizationEndpoints.PathOf(http, SecondFactorPath), offer));
            default:
                cookies.ClearPendingSignIn(http.Response);
                return new SignInPage(providers => AccountPages.SignIn(cookies.CsrfTokenFor(http), username, failed: true, result.RetryAfter,
                    AuthorizationEndpoints.PathOf(http, SignInPath), AuthorizationEndpoints.PathOf(http, EmailLinks.ForgotPasswordPath),
                    registerPath: SignUpEndpoints.LinkFor(http), magicLinkPath: EmailEndpoints.MagicLinkPathFor(http), providers,
                    FederationEndpoints.ChallengePathFor(http)));
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        // The end-session endpoint's command, confirmed by this form: ends the session, revokes its grants, notifies the clients.
        var outcome = await mediator.Send(new EndSession(new Dictionary<string, string>(StringComparer.Ordinal), cookies.SessionHandle(http.Request), Confirmed: true),
            cancellationToken);
        cookies.ClearSession(http.Response);
        return outcome is EndSessionOutcome.SignedOut { FrontchannelLogoutUrls.Count: > 0 } signedOut
            ? Pages.FrontchannelSignedOut(signedOut.FrontchannelLogoutUrls, continueUrl: null)
            : Pages.Message("Signed out", "You have been signed out.");
    }

    /// <summary>A form of these pages: form-encoded, with a valid anti-forgery token (else nothing changes).</summary>
    private static async Task<ProtocolResult<ProtocolForm>> ReadFormAsync(HttpContext http, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await ProtocolForm.ReadAsync(http.Request, cancellationToken);
        if (!form.IsSuccess)
        {
            return form.Error;
        }

        return cookies.HasValidCsrfToken(http.Request, form.Value[BrowserCookies.CsrfField]) ? form.Value : OAuthError.FormExpired;
    }
}
