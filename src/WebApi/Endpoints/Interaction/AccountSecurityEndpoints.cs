using System.Globalization;
using AuthService.Application.Account;
using AuthService.Application.Account.Commands.BeginTotpEnrolment;
using AuthService.Application.Account.Commands.ConfirmTotpEnrolment;
using AuthService.Application.Account.Commands.RegenerateBackupCodes;
using AuthService.Application.Account.Commands.RemoveSecondFactors;
using AuthService.Application.Account.Queries.ViewSecondFactors;
using AuthService.WebApi.Interaction;
using MediatR;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// The account's second factors: <c>GET /account/security</c>, and the forms <c>POST /account/security/totp</c> (start
/// adding an authenticator app), <c>POST /account/security/totp/confirm</c> (its first code), <c>POST
/// /account/security/remove</c> (needs a current code or a backup code) and <c>POST /account/security/backup-codes</c> (a
/// new set, shown once on the answer). Every POST needs the anti-forgery token (RFC 6749 §10.12) and an active browser
/// session; success answers 303 to the page with a status (POST-redirect-GET), a refused code re-renders it (400).
/// </summary>
public static class AccountSecurityEndpoints
{
    public const string SecurityPath = AccountEndpoints.SecurityPath;
    public const string BeginPath = SecurityPath + "/totp";
    public const string ConfirmPath = BeginPath + "/confirm";
    public const string RemovePath = SecurityPath + "/remove";
    public const string BackupCodesPath = SecurityPath + "/backup-codes";

    public static IEndpointRouteBuilder MapAccountSecurityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SecurityPath, ViewAsync).ExcludeFromDescription();
        endpoints.MapPost(BeginPath, BeginAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(ConfirmPath, ConfirmAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(RemovePath, RemoveAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(BackupCodesPath, BackupCodesAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    /// <summary>The message for a status code of the page's redirect after a change; null for an unknown one.</summary>
    public static string? StatusMessage(string? status) => status switch
    {
        BeginTotpEnrolmentHandler.Started => "Scan the code with your authenticator app, then type the code it shows.",
        ConfirmTotpEnrolmentHandler.Enrolled => "Your authenticator app is set up. Create backup codes now, in case you lose your phone.",
        RemoveSecondFactorsHandler.Removed => "The authenticator app and your backup codes have been removed.",
        _ => null,
    };

    private static Task<IResult> ViewAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        RenderPageAsync(http, mediator, cookies, StatusMessage(http.Request.Query["status"].ToString()), error: null, cancellationToken);

    private static async Task<IResult> BeginAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        return form.IsSuccess
            ? await RenderAsync(http, mediator, cookies, await mediator.Send(new BeginTotpEnrolment(cookies.SessionHandle(http.Request)), cancellationToken),
                cancellationToken)
            : Pages.Error(form.Error);
    }

    private static async Task<IResult> ConfirmAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        return form.IsSuccess
            ? await RenderAsync(http, mediator, cookies,
                await mediator.Send(new ConfirmTotpEnrolment(cookies.SessionHandle(http.Request), form.Value["code"]), cancellationToken), cancellationToken)
            : Pages.Error(form.Error);
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        return form.IsSuccess
            ? await RenderAsync(http, mediator, cookies, await mediator.Send(
                new RemoveSecondFactors(cookies.SessionHandle(http.Request), form.Value["code"], http.Connection.RemoteIpAddress?.ToString()), cancellationToken),
                cancellationToken)
            : Pages.Error(form.Error);
    }

    private static async Task<IResult> BackupCodesAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var result = await mediator.Send(new RegenerateBackupCodes(cookies.SessionHandle(http.Request)), cancellationToken);
        return result.Outcome is AccountOutcome.Done
            ? SecurityPages.BackupCodes(result.Codes, AuthorizationEndpoints.PathOf(http, SecurityPath))
            : await RenderAsync(http, mediator, cookies, result.Outcome, cancellationToken);
    }

    /// <summary>The outcome as the browser sees it: sign in first, back to the page with the status, or the page again with why (400).</summary>
    private static async Task<IResult> RenderAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, AccountOutcome outcome, CancellationToken cancellationToken) =>
        outcome switch
        {
            AccountOutcome.NotSignedIn => AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, AccountEndpoints.SignInPath)),
            AccountOutcome.Done done => AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, SecurityPath) + "?status=" + Uri.EscapeDataString(done.Status)),
            AccountOutcome.Invalid invalid => await RenderPageAsync(http, mediator, cookies, status: null, invalid.Message, cancellationToken),
            _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unhandled outcome {outcome.GetType().Name}.")),
        };

    private static async Task<IResult> RenderPageAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, string? status, string? error,
        CancellationToken cancellationToken)
    {
        if (await mediator.Send(new ViewSecondFactors(cookies.SessionHandle(http.Request)), cancellationToken) is not { } view)
        {
            return AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, AccountEndpoints.SignInPath));
        }

        return SecurityPages.Security(view, cookies.CsrfTokenFor(http), status, error, new SecurityPages.Paths(
            AuthorizationEndpoints.PathOf(http, AccountEndpoints.AccountPath),
            AuthorizationEndpoints.PathOf(http, BeginPath),
            AuthorizationEndpoints.PathOf(http, ConfirmPath),
            AuthorizationEndpoints.PathOf(http, RemovePath),
            AuthorizationEndpoints.PathOf(http, BackupCodesPath)));
    }
}
