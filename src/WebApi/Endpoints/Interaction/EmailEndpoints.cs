using AuthService.Application.Email;
using AuthService.Application.Email.Commands.RequestPasswordReset;
using AuthService.Application.Email.Commands.ResetPassword;
using AuthService.Application.Email.Commands.SendVerificationEmail;
using AuthService.Application.Email.Commands.VerifyEmail;
using AuthService.Application.Email.Queries.CheckEmailLink;
using AuthService.Domain.Email;
using AuthService.WebApi.Interaction;
using MediatR;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// The pages behind the e-mail links (docs/adr/0033): <c>GET|POST /account/forgot-password</c>, <c>GET|POST
/// /account/reset-password</c>, <c>GET|POST /account/accept-invitation</c> (docs/adr/0036), <c>GET|POST /account/verify-email</c> (a GET shows the form and never uses the link up; the
/// POST does), and <c>POST /account/email/verification</c> (the account page's "send verification e-mail"). Every POST
/// needs the anti-forgery token (RFC 6749 §10.12). The links carry only the token: never a return URL.
/// </summary>
public static class EmailEndpoints
{
    public const string SendVerificationPath = "/account/email/verification";

    public static IEndpointRouteBuilder MapEmailEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(EmailLinks.ForgotPasswordPath, ViewForgotPassword).ExcludeFromDescription();
        endpoints.MapPost(EmailLinks.ForgotPasswordPath, ForgotPasswordAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapGet(EmailLinks.ResetPasswordPath, ViewResetPasswordAsync).ExcludeFromDescription();
        endpoints.MapPost(EmailLinks.ResetPasswordPath, ResetPasswordAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapGet(EmailLinks.AcceptInvitationPath, ViewAcceptInvitationAsync).ExcludeFromDescription();
        endpoints.MapPost(EmailLinks.AcceptInvitationPath, AcceptInvitationAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapGet(EmailLinks.VerifyEmailPath, ViewVerifyEmailAsync).ExcludeFromDescription();
        endpoints.MapPost(EmailLinks.VerifyEmailPath, VerifyEmailAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(SendVerificationPath, SendVerificationAsync).ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static IResult ViewForgotPassword(HttpContext http, BrowserCookies cookies) =>
        EmailPages.ForgotPassword(cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.ForgotPasswordPath));

    private static async Task<IResult> ForgotPasswordAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var email = form.Value["email"];
        return await mediator.Send(new RequestPasswordReset(email, http.Connection.RemoteIpAddress?.ToString()), cancellationToken) switch
        {
            PasswordResetRequested.Accepted => EmailPages.ForgotPasswordSent(),
            PasswordResetRequested.Throttled => EmailPages.ForgotPasswordThrottled(),
            _ => EmailPages.ForgotPassword(cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.ForgotPasswordPath), email,
                "Enter an e-mail address of the form name@example.com."),
        };
    }

    private static Task<IResult> ViewResetPasswordAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        ViewLinkAsync(http, mediator, EmailTokenPurpose.PasswordReset, token =>
            EmailPages.ResetPassword(token, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.ResetPasswordPath)), cancellationToken);

    private static Task<IResult> ResetPasswordAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        SetPasswordAsync(http, mediator, cookies, invitation: false, cancellationToken);

    private static Task<IResult> ViewAcceptInvitationAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        ViewLinkAsync(http, mediator, EmailTokenPurpose.Invitation, token =>
            EmailPages.ResetPassword(token, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.AcceptInvitationPath), invitation: true),
            cancellationToken);

    /// <summary>An invitation's form (docs/adr/0036): the reset's, with the invitation's token; it also verifies the address.</summary>
    private static Task<IResult> AcceptInvitationAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        SetPasswordAsync(http, mediator, cookies, invitation: true, cancellationToken);

    private static async Task<IResult> SetPasswordAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, bool invitation,
        CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var token = form.Value["token"];
        return await mediator.Send(new ResetPassword(token, form.Value["new_password"], form.Value["confirm_password"], invitation), cancellationToken) switch
        {
            EmailLinkOutcome.Refused refused => Refused(http, refused),
            EmailLinkOutcome.Invalid invalid => EmailPages.ResetPassword(token ?? "", cookies.CsrfTokenFor(http),
                AuthorizationEndpoints.PathOf(http, invitation ? EmailLinks.AcceptInvitationPath : EmailLinks.ResetPasswordPath), invalid.Message, invitation),
            _ => ClearSession(http, cookies, EmailPages.PasswordResetDone(AuthorizationEndpoints.PathOf(http, AccountEndpoints.SignInPath), invitation)),
        };
    }

    private static Task<IResult> ViewVerifyEmailAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        ViewLinkAsync(http, mediator, EmailTokenPurpose.EmailVerification, token =>
            EmailPages.VerifyEmail(token, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.VerifyEmailPath)), cancellationToken);

    /// <summary>The GET of a link: the token is checked, not used up; a usable one shows <paramref name="form"/>, any other the 400 page.</summary>
    private static async Task<IResult> ViewLinkAsync(HttpContext http, IMediator mediator, EmailTokenPurpose purpose, Func<string, IResult> form,
        CancellationToken cancellationToken)
    {
        var token = http.Request.Query["token"].ToString();
        return await mediator.Send(new CheckEmailLink(token, purpose), cancellationToken) is EmailLinkOutcome.Refused refused
            ? Refused(http, refused)
            : form(token);
    }

    private static async Task<IResult> VerifyEmailAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        return await mediator.Send(new VerifyEmail(form.Value["token"]), cancellationToken) is EmailLinkOutcome.Refused refused
            ? Refused(http, refused)
            : EmailPages.EmailVerified();
    }

    private static async Task<IResult> SendVerificationAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        return form.IsSuccess
            ? AccountAppEndpoints.Render(http, await mediator.Send(new SendVerificationEmail(cookies.SessionHandle(http.Request),
                http.Connection.RemoteIpAddress?.ToString()), cancellationToken))
            : Pages.Error(form.Error);
    }

    private static IResult Refused(HttpContext http, EmailLinkOutcome.Refused refused) =>
        EmailPages.LinkRefused(refused.Reason, AuthorizationEndpoints.PathOf(http, EmailLinks.ForgotPasswordPath));

    /// <summary>The reset ended every session with the old security stamp, this browser's too: its cookie goes.</summary>
    private static IResult ClearSession(HttpContext http, BrowserCookies cookies, IResult page)
    {
        cookies.ClearSession(http.Response);
        return page;
    }
}
