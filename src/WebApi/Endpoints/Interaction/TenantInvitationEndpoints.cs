using AuthService.Application.Email;
using AuthService.Application.Tenants.Commands.AcceptTenantInvitation;
using AuthService.Application.Tenants.Commands.RegisterFromTenantInvitation;
using AuthService.Application.Tenants.Common;
using AuthService.Application.Tenants.Queries.CheckTenantInvitation;
using AuthService.WebApi.Interaction;
using MediatR;
using AuthService.WebApi.RateLimiting;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// <c>GET|POST /account/tenant-invitation</c> (docs/adr/0038): the GET shows the invitation to the person signed in in this
/// browser (or asks them to sign in first) and never uses the link up (mail scanners fetch links); the POST, with the
/// anti-forgery token (RFC 6749 §10.12), accepts it for the signed-in account. <c>POST /account/tenant-invitation/register</c>,
/// with the anti-forgery token too, creates the invited address's account and accepts in one step, whether or not open
/// self-registration is on (an invitation is an invitation).
/// </summary>
public static class TenantInvitationEndpoints
{
    public const string RegisterPath = EmailLinks.TenantInvitationPath + "/register";

    public static IEndpointRouteBuilder MapTenantInvitationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(EmailLinks.TenantInvitationPath, ViewAsync).ExcludeFromDescription();
        endpoints.MapPost(EmailLinks.TenantInvitationPath, AcceptAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(RegisterPath, RegisterAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignUpRateLimit();
        return endpoints;
    }

    private static async Task<IResult> ViewAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var token = http.Request.Query["token"].ToString();
        var outcome = await mediator.Send(new CheckTenantInvitation(token, cookies.SessionHandle(http.Request)), cancellationToken);
        RememberForSignIn(http, cookies, outcome, token);
        return Render(http, cookies, outcome, token, TenantInvitationPages.Typed.Nothing);
    }

    private static async Task<IResult> AcceptAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var token = form.Value["token"];
        var outcome = await mediator.Send(new AcceptTenantInvitation(token, cookies.SessionHandle(http.Request)), cancellationToken);
        return Render(http, cookies, outcome, token ?? "", TenantInvitationPages.Typed.Nothing);
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var fields = form.Value;
        var outcome = await mediator.Send(new RegisterFromTenantInvitation(fields["token"], fields["username"], fields["name"], fields["password"],
            fields["confirm_password"], http.Connection.RemoteIpAddress?.ToString()), cancellationToken);
        RememberForSignIn(http, cookies, outcome, fields["token"]);
        return Render(http, cookies, outcome, fields["token"] ?? "", new TenantInvitationPages.Typed(fields["username"], fields["name"]));
    }

    /// <summary>
    /// The account page after a sign-in: back to the invitation that sent the person to sign in (see
    /// <see cref="BrowserCookies.InvitationReturnCookieName"/>), else null. The target is this fixed path with the token
    /// escaped, never a URL from the request (RFC 9700 §4.11.2).
    /// </summary>
    public static IResult? ReturnAfterSignIn(HttpContext http, BrowserCookies cookies) =>
        cookies.TakeInvitationReturn(http) is { Length: > 0 and <= 64 } token
            ? AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, EmailLinks.TenantInvitationPath) + "?token=" + Uri.EscapeDataString(token))
            : null;

    /// <summary>A good link shown to nobody signed in, or to an address that has an account: the sign-in comes back here.</summary>
    private static void RememberForSignIn(HttpContext http, BrowserCookies cookies, TenantInvitationOutcome outcome, string? token)
    {
        if (outcome is TenantInvitationOutcome.SignInFirst or TenantInvitationOutcome.AccountExists
            && token is { Length: > 0 })
        {
            cookies.SetInvitationReturn(http.Response, token);
        }
    }

    private static IResult Render(HttpContext http, BrowserCookies cookies, TenantInvitationOutcome outcome, string token,
        TenantInvitationPages.Typed typed) =>
        TenantInvitationPages.Render(outcome, token, cookies.CsrfTokenFor(http), new TenantInvitationPages.Paths(
            AuthorizationEndpoints.PathOf(http, EmailLinks.TenantInvitationPath), AuthorizationEndpoints.PathOf(http, RegisterPath),
            AuthorizationEndpoints.PathOf(http, AccountEndpoints.SignInPath)), typed);
}
