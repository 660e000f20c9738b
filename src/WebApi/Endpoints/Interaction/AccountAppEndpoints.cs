using System.Globalization;
using AuthService.Application.Account;
using AuthService.Application.Account.Commands.ChangeOwnPassword;
using AuthService.Application.Account.Commands.EndAccountSessions;
using AuthService.Application.Account.Commands.UnlinkOwnIdentity;
using AuthService.Application.Account.Commands.UpdateOwnProfile;
using AuthService.Application.Account.Commands.WithdrawConsent;
using AuthService.Application.Account.Queries.ViewAccount;
using AuthService.WebApi.Interaction;
using MediatR;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// The account page's forms: <c>POST /account/profile</c> (name and e-mail), <c>POST /account/apps/withdraw</c> (withdraw a
/// consent), <c>POST /account/password</c>, <c>POST /account/sessions/end</c> (end one session) and <c>POST /account/sessions/end-others</c> and <c>POST /account/identities/unlink</c> (unlink an upstream account, docs/adr/0037). Each needs the anti-forgery token (RFC 6749 §10.12) and an active browser session; success answers 303
/// to the account page with a status (POST-redirect-GET).
/// </summary>
public static class AccountAppEndpoints
{
    public const string AccountPath = "/account";
    public const string SignInPath = AccountPath + "/signin";
    public const string ProfilePath = AccountPath + "/profile";
    public const string WithdrawPath = AccountPath + "/apps/withdraw";
    public const string PasswordPath = AccountPath + "/password";
    public const string EndSessionPath = AccountPath + "/sessions/end";
    public const string EndOtherSessionsPath = AccountPath + "/sessions/end-others";

    /// <summary>Not under <c>/account/external/</c>: that prefix is the sign-in flow's, one segment there is a provider's name.</summary>
    public const string UnlinkPath = AccountPath + "/identities/unlink";

    public static IEndpointRouteBuilder MapAccountAppEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProfilePath, UpdateProfileAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(WithdrawPath, WithdrawAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(PasswordPath, ChangePasswordAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(EndSessionPath, EndSessionAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(EndOtherSessionsPath, EndOtherSessionsAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(UnlinkPath, UnlinkAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> UpdateProfileAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var handle = cookies.SessionHandle(http.Request);
        var outcome = await mediator.Send(new UpdateOwnProfile(handle, form.Value["name"], form.Value["email"]), cancellationToken);
        if (outcome is AccountOutcome.Invalid invalid && await mediator.Send(new ViewAccount(handle), cancellationToken) is { } account)
        {
            return AccountSections.ProfilePage(account.Username, form.Value["name"], form.Value["email"], account.EmailVerified, cookies.CsrfTokenFor(http),
                AuthorizationEndpoints.PathOf(http, ProfilePath), AuthorizationEndpoints.PathOf(http, AccountPath), invalid.Message);
        }

        return Render(http, outcome);
    }

    private static async Task<IResult> WithdrawAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        return Render(http, await mediator.Send(new WithdrawConsent(cookies.SessionHandle(http.Request), form.Value["client_id"]), cancellationToken));
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var outcome = await mediator.Send(new ChangeOwnPassword(cookies.SessionHandle(http.Request), form.Value["current_password"], form.Value["new_password"],
            form.Value["confirm_password"], http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()), cancellationToken);
        switch (outcome)
        {
            case AccountOutcome.Invalid invalid:
                return AccountSections.PasswordPage(cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, PasswordPath),
                    AuthorizationEndpoints.PathOf(http, AccountPath), invalid.Message);
            case AccountOutcome.Done { NewSessionHandle: { } handle }:
                // The old session ended with the old security stamp; this browser continues under a new handle (ASVS 7.2.4).
                cookies.SetSession(http.Response, handle);
                return Render(http, outcome);
            case AccountOutcome.NotSignedIn:
                cookies.ClearSession(http.Response);
                return Render(http, outcome);
            default:
                return Render(http, outcome);
        }
    }

    private static async Task<IResult> EndSessionAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        return form.IsSuccess
            ? Render(http, await mediator.Send(new EndAccountSession(cookies.SessionHandle(http.Request), form.Value["session_id"]), cancellationToken))
            : Pages.Error(form.Error);
    }

    private static async Task<IResult> EndOtherSessionsAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        return form.IsSuccess
            ? Render(http, await mediator.Send(new EndOtherAccountSessions(cookies.SessionHandle(http.Request)), cancellationToken))
            : Pages.Error(form.Error);
    }

    private static async Task<IResult> UnlinkAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        return form.IsSuccess
            ? Render(http, await mediator.Send(new UnlinkOwnIdentity(cookies.SessionHandle(http.Request), form.Value["identity_id"]), cancellationToken))
            : Pages.Error(form.Error);
    }

    /// <summary>409: the account changed while the request was applied; nothing was saved.</summary>
    internal static IResult ChangedMeanwhile() =>
        Pages.Message("Changed meanwhile", "Your account changed while this was being saved (another tab or an administrator). Nothing was changed: "
            + "look at the page again and try again.", StatusCodes.Status409Conflict);

    /// <summary>The outcome as the browser sees it: sign in first, 404, 409, or back to the account page with the status.</summary>
    public static IResult Render(HttpContext http, AccountOutcome outcome) => outcome switch
    {
        AccountOutcome.NotSignedIn => AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, SignInPath)),
        AccountOutcome.NotFound => Pages.Message("Not found", "There is nothing of yours by that name. It may have been removed already.", StatusCodes.Status404NotFound),
        AccountOutcome.Done done => AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, AccountPath) + "?status=" + Uri.EscapeDataString(done.Status)),
        AccountOutcome.Invalid invalid => Pages.Message("Not saved", invalid.Message, StatusCodes.Status400BadRequest),
        AccountOutcome.ChangedMeanwhile => ChangedMeanwhile(),
        _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unhandled outcome {outcome.GetType().Name}.")),
    };
}
