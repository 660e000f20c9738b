using AuthService.Application.Email;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Email.Commands.RequestAuthorizationMagicLink;
using AuthService.Application.Email.Commands.RequestDeviceMagicLink;
using AuthService.Application.Email.Commands.RequestMagicLink;
using AuthService.Application.Email.Commands.RequestPasswordReset;
using AuthService.Application.Email.Commands.ResetPassword;
using AuthService.Application.Email.Commands.SendVerificationEmail;
using AuthService.Application.Email.Commands.SignInWithMagicLink;
using AuthService.Application.Email.Commands.VerifyEmail;
using AuthService.Application.Email.Queries.CheckEmailLink;
using AuthService.Domain.Email;
using AuthService.WebApi.Interaction;
using MediatR;
using Microsoft.Extensions.Options;
using AuthService.WebApi.RateLimiting;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// The pages behind the e-mail links (docs/adr/0033): <c>GET|POST /account/forgot-password</c>, <c>GET|POST
/// /account/reset-password</c>, <c>GET|POST /account/accept-invitation</c> (docs/adr/0036), <c>GET|POST /account/verify-email</c> (a GET shows the form and never uses the link up; the
/// POST does), <c>POST /account/email/verification</c> (the account page's "send verification e-mail"), and the sign-in links
/// <c>GET|POST /account/signin/email-link</c> (ask), <c>GET|POST /account/login/email-link</c> (ask on the authorization flow's
/// sign-in page, carrying its request), <c>GET|POST /device/login/email-link</c> (ask on the device page, carrying its user code)
/// and <c>GET|POST /account/signin/email</c> (use), which answer 404 when <c>Auth:Email:MagicLinks</c> is false. Every POST
/// needs the anti-forgery token (RFC 6749 §10.12). The links carry only the token: never a return URL.
/// </summary>
public static class EmailEndpoints
{
    public const string SendVerificationPath = "/account/email/verification";

    /// <summary>The account page's status after a sign-in by link; the second when the link verified the address too.</summary>
    public const string MagicLinkStatus = "signed-in-link";

    public const string MagicLinkVerifiedStatus = "signed-in-link-verified";

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
        endpoints.MapGet(EmailLinks.RequestMagicLinkPath, ViewRequestMagicLink).ExcludeFromDescription().AddEndpointFilter(WhenMagicLinksOn);
        endpoints.MapPost(EmailLinks.RequestMagicLinkPath, RequestMagicLinkAsync).ExcludeFromDescription().DisableAntiforgery().AddEndpointFilter(WhenMagicLinksOn);
        endpoints.MapGet(EmailLinks.RequestAuthorizationMagicLinkPath, ViewRequestAuthorizationMagicLink).ExcludeFromDescription().AddEndpointFilter(WhenMagicLinksOn);
        endpoints.MapPost(EmailLinks.RequestAuthorizationMagicLinkPath, RequestAuthorizationMagicLinkAsync).ExcludeFromDescription().DisableAntiforgery()
            .AddEndpointFilter(WhenMagicLinksOn);
        endpoints.MapGet(EmailLinks.RequestDeviceMagicLinkPath, ViewRequestDeviceMagicLink).ExcludeFromDescription().AddEndpointFilter(WhenMagicLinksOn);
        endpoints.MapPost(EmailLinks.RequestDeviceMagicLinkPath, RequestDeviceMagicLinkAsync).ExcludeFromDescription().DisableAntiforgery()
            .AddEndpointFilter(WhenMagicLinksOn);
        endpoints.MapGet(EmailLinks.MagicLinkPath, ViewMagicLinkAsync).ExcludeFromDescription().AddEndpointFilter(WhenMagicLinksOn);
        endpoints.MapPost(EmailLinks.MagicLinkPath, SignInWithMagicLinkAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit().AddEndpointFilter(WhenMagicLinksOn);
        return endpoints;
    }

    /// <summary>A sign-in page's link to its sign-in link form (the account page's by default); null when the operator switched sign-in links off.</summary>
    public static string? MagicLinkPathFor(HttpContext http, string path = EmailLinks.RequestMagicLinkPath) =>
        http.RequestServices.GetRequiredService<IOptions<EmailOptions>>().Value.MagicLinks
            ? AuthorizationEndpoints.PathOf(http, path)
            : null;

    /// <summary>Sign-in links switched off (<c>Auth:Email:MagicLinks</c> false): their endpoints do not exist.</summary>
    private static async ValueTask<object?> WhenMagicLinksOn(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        MagicLinkPathFor(context.HttpContext) is null ? Results.NotFound() : await next(context);

    private static IResult ViewRequestMagicLink(HttpContext http, BrowserCookies cookies) =>
        EmailPages.MagicLinkRequest(cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.RequestMagicLinkPath));

    private static Task<IResult> RequestMagicLinkAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        RequestLinkAsync(http, mediator, cookies, EmailLinks.RequestMagicLinkPath, (email, address) => new RequestMagicLink(email, address),
            EmailPages.MagicLinkSent, (csrf, path, email, error) => EmailPages.MagicLinkRequest(csrf, path, email, error), cancellationToken);

    /// <summary>The authorization flow's sign-in link form: the request travels in the query (as to the passkey page) and then in the form.</summary>
    private static IResult ViewRequestAuthorizationMagicLink(HttpContext http, BrowserCookies cookies)
    {
        var carried = http.Request.Query[PageForm.RequestField];
        if (carried.Count > 1)
        {
            return Pages.Error(Application.Common.Protocol.OAuthError.RepeatedParameter);
        }

        var parameters = InteractionForms.Decode(carried.ToString());
        return parameters.IsSuccess
            ? EmailPages.MagicLinkRequest(cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.RequestAuthorizationMagicLinkPath),
                carried: Carried(PageForm.RequestField, carried.ToString()))
            : Pages.Error(parameters.Error);
    }

    /// <summary>
    /// A sign-in link asked for on the authorization flow's sign-in page: the request is validated again (its error page or
    /// redirect when no longer valid) and stored with the link; then the same answer as on the account page.
    /// </summary>
    private static async Task<IResult> RequestAuthorizationMagicLinkAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer,
        CancellationToken cancellationToken)
    {
        var page = await PageForm.ReadAsync(http, cookies, cancellationToken);
        if (!page.IsSuccess)
        {
            return Pages.Error(page.Error);
        }

        var (form, parameters) = page.Value;
        var result = await mediator.Send(new RequestAuthorizationMagicLink(parameters, form["email"], http.Connection.RemoteIpAddress?.ToString()), cancellationToken);
        return result.Instead is { } instead
            ? AuthorizationEndpoints.Render(http, instead, cookies, issuer)
            : Answer(http, cookies, result.Answer, form["email"], EmailLinks.RequestAuthorizationMagicLinkPath, EmailPages.MagicLinkSent,
                (csrf, path, email, error) => EmailPages.MagicLinkRequest(csrf, path, email, error, Carried(PageForm.RequestField, form[PageForm.RequestField])));
    }

    /// <summary>The device page's sign-in link form, carrying the user code the person came with (if any).</summary>
    private static IResult ViewRequestDeviceMagicLink(HttpContext http, BrowserCookies cookies)
    {
        var userCode = http.Request.Query[DeviceVerificationEndpoints.UserCodeField];
        return userCode.Count > 1
            ? Pages.Error(Application.Common.Protocol.OAuthError.RepeatedParameter)
            : EmailPages.MagicLinkRequest(cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.RequestDeviceMagicLinkPath),
                carried: Carried(DeviceVerificationEndpoints.UserCodeField, userCode.ToString()));
    }

    /// <summary>A sign-in link asked for on the device page: a user code is checked as the page checks it (the code form again when wrong), then the account page's answer.</summary>
    private static async Task<IResult> RequestDeviceMagicLinkAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var userCode = form.Value[DeviceVerificationEndpoints.UserCodeField];
        var result = await mediator.Send(new RequestDeviceMagicLink(userCode, form.Value["email"], http.Connection.RemoteIpAddress?.ToString()), cancellationToken);
        return result.Instead is { } instead
            ? DeviceVerificationEndpoints.Render(http, instead, cookies)
            : Answer(http, cookies, result.Answer, form.Value["email"], EmailLinks.RequestDeviceMagicLinkPath, EmailPages.MagicLinkSent,
                (csrf, path, email, error) => EmailPages.MagicLinkRequest(csrf, path, email, error, Carried(DeviceVerificationEndpoints.UserCodeField, userCode)));
    }

    /// <summary>The one hidden field of a flow a sign-in link form carries; none when the flow had no value for it.</summary>
    private static Dictionary<string, string> Carried(string name, string? value) =>
        string.IsNullOrEmpty(value) ? [] : new Dictionary<string, string>(StringComparer.Ordinal) { [name] = value };

    /// <summary>
    /// A request for a link by e-mail (a reset or a sign-in link): the same "check your e-mail" answer whether or not an
    /// account has the address (ASVS 6.3.8), the throttle's page, or the form again for a malformed address.
    /// </summary>
    private static async Task<IResult> RequestLinkAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, string path,
        Func<string?, string?, IRequest<PasswordResetRequested>> command, Func<IResult> sent, Func<string, string, string?, string?, IResult> page,
        CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var email = form.Value["email"];
        return Answer(http, cookies, await mediator.Send(command(email, http.Connection.RemoteIpAddress?.ToString()), cancellationToken), email, path, sent, page);
    }

    /// <summary>The answer to a link request: "check your e-mail" whether or not an account has the address, the throttle's page, or the form again.</summary>
    private static IResult Answer(HttpContext http, BrowserCookies cookies, PasswordResetRequested answer, string? email, string path, Func<IResult> sent,
        Func<string, string, string?, string?, IResult> page) => answer switch
        {
            PasswordResetRequested.Accepted => sent(),
            PasswordResetRequested.Throttled => EmailPages.ForgotPasswordThrottled(),
            _ => page(cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, path), email, "Enter an e-mail address of the form name@example.com."),
        };

    private static Task<IResult> ViewMagicLinkAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        ViewLinkAsync(http, mediator, EmailTokenPurpose.MagicLink, token =>
            EmailPages.MagicLink(token, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.MagicLinkPath)), cancellationToken);

    /// <summary>
    /// Uses the link: signed in, to the account page (saying when the address became verified); a second factor, the account
    /// sign-in's second step with the pending sign-in's cookie, exactly as after a password; else the 400 page. A link asked
    /// for on the authorization or device page goes on there instead, in this browser: the flow's next page or second step.
    /// </summary>
    private static async Task<IResult> SignInWithMagicLinkAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, IIssuerProvider issuer,
        CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var result = await mediator.Send(new SignInWithMagicLink(form.Value["token"], cookies.SessionHandle(http.Request),
            http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()), cancellationToken);
        switch (result)
        {
            case { Authorization: { } next }:
                return AuthorizationEndpoints.Render(http, next, cookies, issuer);
            case { Device: { } next }:
                return DeviceVerificationEndpoints.Render(http, next, cookies);
            case { SignIn.SessionHandle: { } handle }:
                cookies.SetSession(http.Response, handle);
                cookies.ClearPendingSignIn(http.Response);
                return AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, AccountEndpoints.AccountPath)
                    + "?status=" + (result.EmailVerified ? MagicLinkVerifiedStatus : MagicLinkStatus));
            case { SignIn.PendingHandle: { } pending }:
                cookies.SetPendingSignIn(http.Response, pending);
                return new SecondStepPage(pending, offer => AccountPages.SecondFactor(cookies.CsrfTokenFor(http), failed: false, retryAfter: null,
                    AuthorizationEndpoints.PathOf(http, AccountEndpoints.SecondFactorPath), offer));
            default:
                return Refused(http, new EmailLinkOutcome.Refused(result.Refused ?? EmailTokenUse.NoLongerValid));
        }
    }

    private static IResult ViewForgotPassword(HttpContext http, BrowserCookies cookies) =>
        EmailPages.ForgotPassword(cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, EmailLinks.ForgotPasswordPath));

    private static Task<IResult> ForgotPasswordAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        RequestLinkAsync(http, mediator, cookies, EmailLinks.ForgotPasswordPath, (email, address) => new RequestPasswordReset(email, address),
            EmailPages.ForgotPasswordSent, EmailPages.ForgotPassword, cancellationToken);

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
        EmailPages.LinkRefused(refused.Reason, AuthorizationEndpoints.PathOf(http, EmailLinks.ForgotPasswordPath), MagicLinkPathFor(http));

    /// <summary>The reset ended every session with the old security stamp, this browser's too: its cookie goes.</summary>
    private static IResult ClearSession(HttpContext http, BrowserCookies cookies, IResult page)
    {
        cookies.ClearSession(http.Response);
        return page;
    }
}
