using System.Globalization;
using AuthService.Application.Common.Protocol;
using AuthService.Application.DeviceAuthorizations;
using AuthService.Application.DeviceAuthorizations.Commands.DecideDeviceAuthorization;
using AuthService.Application.DeviceAuthorizations.Commands.SignInForDevice;
using AuthService.Application.DeviceAuthorizations.Commands.SignInForDeviceWithSecondFactor;
using AuthService.Application.DeviceAuthorizations.Queries.ViewDeviceAuthorization;
using AuthService.WebApi.Interaction;
using AuthService.WebApi.Protocol;
using MediatR;
using AuthService.WebApi.RateLimiting;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// The device grant's verification page (RFC 8628 §3.3): <c>GET /device</c> (the code typed, or from
/// <c>verification_uri_complete</c>), <c>POST /device</c> (allow or deny), <c>POST /device/login</c> (sign-in when
/// the browser has no session) and <c>POST /device/login/second-factor</c> (its second step: a code, or the passkey page's
/// answer); the passkey pages are <see cref="PasskeyEndpoints"/>'. Both POSTs need the anti-forgery token (RFC 6749 §10.12); outcomes become pages here.
/// </summary>
public static class DeviceVerificationEndpoints
{
    public const string UserCodeField = "user_code";

    public const string SignInPath = ProtocolEndpoints.Device + "/login";

    public const string SecondFactorPath = SignInPath + "/second-factor";

    public static IEndpointRouteBuilder MapDeviceVerificationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ProtocolEndpoints.Device, ViewAsync).ExcludeFromDescription();
        endpoints.MapPost(ProtocolEndpoints.Device, DecideAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(SignInPath, SignInAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        endpoints.MapPost(SecondFactorPath, SecondFactorAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        return endpoints;
    }

    private static async Task<IResult> ViewAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var userCode = http.Request.Query[UserCodeField];
        if (userCode.Count > 1)
        {
            return Pages.Error(OAuthError.RepeatedParameter);
        }

        var outcome = await mediator.Send(new ViewDeviceAuthorization(userCode.ToString(), cookies.SessionHandle(http.Request), RemoteAddress(http)), cancellationToken);
        return Render(http, outcome, cookies);
    }

    private static async Task<IResult> DecideAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        if (form.Value["decision"] is not ("allow" or "deny"))
        {
            return Pages.Error(OAuthError.ConsentDecisionMissing);
        }

        var outcome = await mediator.Send(new DecideDeviceAuthorization(
            form.Value[UserCodeField], form.Value["decision"] == "allow", cookies.SessionHandle(http.Request), RemoteAddress(http)), cancellationToken);
        return Render(http, outcome, cookies);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var outcome = await mediator.Send(new SignInForDevice(
            form.Value["username"], form.Value["password"], form.Value[UserCodeField], cookies.SessionHandle(http.Request), RemoteAddress(http),
            http.Request.Headers.UserAgent.ToString()), cancellationToken);
        return Render(http, outcome, cookies);
    }

    private static async Task<IResult> SecondFactorAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        var form = await ReadFormAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var outcome = await mediator.Send(new SignInForDeviceWithSecondFactor(
            ceremonyCookie.ProofOf(http, form.Value["code"], form.Value["credential"]), form.Value[UserCodeField], cookies.PendingSignInHandle(http.Request), cookies.SessionHandle(http.Request), RemoteAddress(http),
            http.Request.Headers.UserAgent.ToString()), cancellationToken);
        return Render(http, outcome, cookies);
    }

    /// <summary>A form of this page: form-encoded, with a valid anti-forgery token (else nothing changes).</summary>
    private static async Task<ProtocolResult<ProtocolForm>> ReadFormAsync(HttpContext http, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await ProtocolForm.ReadAsync(http.Request, cancellationToken);
        if (!form.IsSuccess)
        {
            return form.Error;
        }

        return cookies.HasValidCsrfToken(http.Request, form.Value[BrowserCookies.CsrfField]) ? form.Value : OAuthError.FormExpired;
    }

    private static string? RemoteAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    internal static IResult Render(HttpContext http, DevicePageOutcome outcome, BrowserCookies cookies)
    {
        var devicePath = AuthorizationEndpoints.PathOf(http, ProtocolEndpoints.Device);
        switch (outcome)
        {
            case DevicePageOutcome.EnterCode code:
                return Pages.DeviceCode(code.Failed, code.RetryAfter, devicePath);
            case DevicePageOutcome.ShowSecondFactor second:
                cookies.SetPendingSignIn(http.Response, second.PendingHandle);
                return new SecondStepPage(second.PendingHandle, offer => Pages.DeviceSecondFactor(second.UserCode, cookies.CsrfTokenFor(http), second.Failed,
                    second.RetryAfter, AuthorizationEndpoints.PathOf(http, SecondFactorPath), offer));
            case DevicePageOutcome.ShowLogin login:
                cookies.ClearPendingSignIn(http.Response);
                return new SignInPage(providers => Pages.DeviceSignIn(login.UserCode, cookies.CsrfTokenFor(http), login.Username, login.Failed, login.RetryAfter,
                    AuthorizationEndpoints.PathOf(http, SignInPath), AuthorizationEndpoints.PathOf(http, Application.Email.EmailLinks.ForgotPasswordPath),
                    EmailEndpoints.MagicLinkPathFor(http, Application.Email.EmailLinks.RequestDeviceMagicLinkPath), providers,
                    FederationEndpoints.ChallengePathFor(http)));
            case DevicePageOutcome.ShowConsent consent:
                return Pages.DeviceConsent(consent.Consent, cookies.CsrfTokenFor(http), devicePath);
            case DevicePageOutcome.SignedIn signedIn:
                cookies.SetSession(http.Response, signedIn.SessionHandle);
                cookies.ClearPendingSignIn(http.Response);
                return AuthorizationEndpoints.SeeOther(http, string.IsNullOrEmpty(signedIn.UserCode)
                    ? devicePath
                    : devicePath + "?" + UserCodeField + "=" + Uri.EscapeDataString(signedIn.UserCode));
            case DevicePageOutcome.Decided decided:
                return decided.Allowed
                    ? Pages.Message("Device connected", "You may return to your device; it will continue by itself in a few seconds.")
                    : Pages.Message("Device not connected", "You denied the request; the device gets no access. You may return to your device.");
            case DevicePageOutcome.SecondFactorMissing:
                return Pages.Message("Device not connected",
                    "This application requires a second factor (an authenticator app) when you sign in, and your account has none, so the device gets no access. "
                    + "Add an authenticator on your account's security page, then start again on the device.", StatusCodes.Status403Forbidden);
            default:
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unhandled outcome {outcome.GetType().Name}."));
        }
    }
}
