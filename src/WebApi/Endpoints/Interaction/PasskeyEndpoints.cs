using System.Globalization;
using AuthService.Application.Account;
using AuthService.Application.Authorization.Queries.GetRedirectUri;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Passkeys;
using AuthService.Application.Passkeys.Commands;
using AuthService.Application.Passkeys.Queries;
using AuthService.Application.SignIn;
using AuthService.Domain.Passkeys;
using AuthService.WebApi.Interaction;
using MediatR;
using AuthService.WebApi.RateLimiting;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// Passkeys (docs/adr/0035): <c>GET /account/passkeys</c> (list, rename, remove, add), <c>POST /account/passkeys/begin</c>
/// (the registration ceremony's page), <c>POST /account/passkeys/finish</c>, <c>POST /account/passkeys/rename</c>, <c>POST
/// /account/passkeys/remove</c>, and the passwordless sign-in of the account page: <c>GET /account/signin/passkey</c> (the
/// ceremony's page) and <c>POST /account/signin/passkey</c>; and the authorization flow's: <c>GET|POST /account/login/passkey</c>
/// (the request carried as on its password form); the device page's: <c>GET|POST /device/login/passkey</c> (the user code
/// carried). The passkey as the second factor after the password: <c>GET /account/login/second-factor/passkey</c>,
/// <c>GET /device/login/second-factor/passkey</c>, <c>GET /account/signin/second-factor/passkey</c> begin a ceremony for the
/// pending sign-in, whose page posts to that form's second-factor POST. Every POST needs the anti-forgery token (RFC 6749
/// §10.12); a ceremony's handle lives in its own <c>__Host-</c> cookie (<see cref="PasskeyCookie"/>) for at most the
/// ceremony's lifetime. Beginning a ceremony is limited per address: beyond it 429 with Retry-After, and no row is written.
/// </summary>
public static class PasskeyEndpoints
{
    public const string PasskeysPath = AccountEndpoints.AccountPath + "/passkeys";
    public const string BeginPath = PasskeysPath + "/begin";
    public const string FinishPath = PasskeysPath + "/finish";
    public const string RenamePath = PasskeysPath + "/rename";
    public const string RemovePath = PasskeysPath + "/remove";
    public const string SignInPath = AccountEndpoints.SignInPath + "/passkey";

    /// <summary>The passwordless sign-in of the authorization flow, beside its password form.</summary>
    public const string AuthorizeSignInPath = ProtocolEndpoints.SignIn + PasskeyPages.PathSuffix;

    /// <summary>The passwordless sign-in of the device verification page, beside its password form.</summary>
    public const string DeviceSignInPath = DeviceVerificationEndpoints.SignInPath + PasskeyPages.PathSuffix;

    public static IEndpointRouteBuilder MapPasskeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PasskeyPages.ScriptPath, PasskeyScript.Serve).ExcludeFromDescription();
        endpoints.MapGet(PasskeysPath, ViewAsync).ExcludeFromDescription();
        endpoints.MapPost(BeginPath, BeginAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(FinishPath, FinishAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(RenamePath, RenameAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(RemovePath, RemoveAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapGet(SignInPath, BeginSignInAsync).ExcludeFromDescription();
        endpoints.MapPost(SignInPath, SignInAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        endpoints.MapGet(AuthorizeSignInPath, BeginAuthorizeAsync).ExcludeFromDescription();
        endpoints.MapPost(AuthorizeSignInPath, AuthorizeAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        endpoints.MapGet(DeviceSignInPath, BeginDeviceAsync).ExcludeFromDescription();
        endpoints.MapPost(DeviceSignInPath, DeviceAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignInRateLimit();
        endpoints.MapGet(AuthorizationEndpoints.SecondFactorPath + PasskeyPages.PathSuffix, BeginAuthorizeSecondFactorAsync).ExcludeFromDescription();
        endpoints.MapGet(DeviceVerificationEndpoints.SecondFactorPath + PasskeyPages.PathSuffix, BeginDeviceSecondFactorAsync).ExcludeFromDescription();
        endpoints.MapGet(AccountEndpoints.SecondFactorPath + PasskeyPages.PathSuffix, BeginAccountSecondFactorAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static string? StatusMessage(string? status) => status switch
    {
        FinishPasskeyRegistrationHandler.Added => "Your passkey has been added.",
        RenamePasskeyHandler.Renamed => "The passkey has been renamed.",
        RemovePasskeyHandler.Removed => "The passkey has been removed.",
        _ => null,
    };

    private static Task<IResult> ViewAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken) =>
        RenderPageAsync(http, mediator, cookies, StatusMessage(http.Request.Query["status"].ToString()), error: null, cancellationToken);

    private static async Task<IResult> BeginAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var name = form.Value["name"];
        if (!Passkey.IsValidName(name))
        {
            return await RenderAsync(http, mediator, cookies, new AccountOutcome.Invalid($"Give the passkey a name of 1 to {Passkey.MaxNameLength} characters."),
                cancellationToken);
        }

        var start = await mediator.Send(new BeginPasskeyRegistration(cookies.SessionHandle(http.Request), RemoteAddress(http)), cancellationToken);
        if (start is CeremonyStart.Throttled throttled)
        {
            return TooManyCeremonies(http, throttled);
        }

        if (start is not BegunCeremony begun)
        {
            return await RenderAsync(http, mediator, cookies, AccountOutcome.SignInFirst, cancellationToken);
        }

        ceremonyCookie.Set(http.Response, begun.Handle);
        return PasskeyPages.Ceremony("Add a passkey", "Your browser will ask you to create a passkey with your device's screen lock or a security key.",
            create: true, begun.OptionsJson, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, FinishPath),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = name!.Trim() }, AuthorizationEndpoints.PathOf(http, PasskeysPath));
    }

    private static async Task<IResult> FinishAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var outcome = await mediator.Send(new FinishPasskeyRegistration(cookies.SessionHandle(http.Request), ceremonyCookie.Handle(http.Request),
            form.Value["name"], form.Value["credential"]), cancellationToken);
        ceremonyCookie.Clear(http.Response);
        return await RenderAsync(http, mediator, cookies, outcome, cancellationToken);
    }

    private static async Task<IResult> RenameAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        return await RenderAsync(http, mediator, cookies, Guid.TryParse(form.Value["id"], out var id)
            ? await mediator.Send(new RenamePasskey(cookies.SessionHandle(http.Request), id, form.Value["name"]), cancellationToken)
            : AccountOutcome.Missing, cancellationToken);
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        return await RenderAsync(http, mediator, cookies, Guid.TryParse(form.Value["id"], out var id)
            ? await mediator.Send(new RemovePasskey(cookies.SessionHandle(http.Request), id), cancellationToken)
            : AccountOutcome.Missing, cancellationToken);
    }

    private static async Task<IResult> BeginSignInAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        return SignInCeremonyPage(http, ceremonyCookie, cookies, await mediator.Send(new BeginPasskeySignIn(RemoteAddress(http)), cancellationToken),
            AuthorizationEndpoints.PathOf(http, SignInPath), new Dictionary<string, string>(StringComparer.Ordinal),
            AuthorizationEndpoints.PathOf(http, AccountEndpoints.SignInPath));
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var result = await mediator.Send(new SignInWithPasskey(ceremonyCookie.Handle(http.Request), form.Value["credential"], cookies.SessionHandle(http.Request),
            http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()), cancellationToken);
        ceremonyCookie.Clear(http.Response);
        if (result.SessionHandle is { } handle)
        {
            cookies.SetSession(http.Response, handle);
            cookies.ClearPendingSignIn(http.Response);
            return AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, AccountEndpoints.AccountPath) + "?status=signed-in");
        }

        return AccountPages.SignIn(cookies.CsrfTokenFor(http), null, failed: true, result.RetryAfter, AuthorizationEndpoints.PathOf(http, AccountEndpoints.SignInPath),
            AuthorizationEndpoints.PathOf(http, Application.Email.EmailLinks.ForgotPasswordPath));
    }

    /// <summary>The authorization flow's passkey page: the request it belongs to travels in the query and then in the page's form.</summary>
    private static async Task<IResult> BeginAuthorizeAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        var carried = http.Request.Query[PageForm.RequestField].ToString();
        var parameters = InteractionForms.Decode(carried);
        if (!parameters.IsSuccess)
        {
            return Pages.Error(parameters.Error);
        }

        return SignInCeremonyPage(http, ceremonyCookie, cookies, await mediator.Send(new BeginPasskeySignIn(RemoteAddress(http)), cancellationToken),
            AuthorizationEndpoints.PathOf(http, AuthorizeSignInPath), new Dictionary<string, string>(StringComparer.Ordinal) { [PageForm.RequestField] = carried },
            AuthorizationUrl(http, parameters.Value), await ClientFormTargetsAsync(mediator, parameters.Value, cancellationToken));
    }

    /// <summary>The assertion of the authorization flow's passkey page: the request is validated again, then on as after the password form.</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        IIssuerProvider issuer, CancellationToken cancellationToken)
    {
        var page = await PageForm.ReadAsync(http, cookies, cancellationToken);
        if (!page.IsSuccess)
        {
            return Pages.Error(page.Error);
        }

        var (form, parameters) = page.Value;
        var outcome = await mediator.Send(new AuthorizeWithPasskey(parameters, ceremonyCookie.Handle(http.Request), form["credential"],
            cookies.SessionHandle(http.Request), http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString()), cancellationToken);
        ceremonyCookie.Clear(http.Response);
        return AuthorizationEndpoints.Render(http, outcome, cookies, issuer);
    }

    /// <summary>The device page's passkey page: the user code travels in the query and then in the page's form.</summary>
    private static async Task<IResult> BeginDeviceAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        if (UserCodeOf(http) is not { } userCode)
        {
            return Pages.Error(OAuthError.RepeatedParameter);
        }

        return SignInCeremonyPage(http, ceremonyCookie, cookies, await mediator.Send(new BeginPasskeySignIn(RemoteAddress(http)), cancellationToken),
            AuthorizationEndpoints.PathOf(http, DeviceSignInPath), DeviceFields(userCode), DevicePath(http, userCode));
    }

    /// <summary>The assertion of the device page's passkey page: signed in, back to the code as after the password form.</summary>
    private static async Task<IResult> DeviceAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken)
    {
        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var outcome = await mediator.Send(new SignInForDeviceWithPasskey(ceremonyCookie.Handle(http.Request), form.Value["credential"],
            form.Value[DeviceVerificationEndpoints.UserCodeField], cookies.SessionHandle(http.Request), RemoteAddress(http),
            http.Request.Headers.UserAgent.ToString()), cancellationToken);
        ceremonyCookie.Clear(http.Response);
        return DeviceVerificationEndpoints.Render(http, outcome, cookies);
    }

    /// <summary>The passkey as the second factor of the authorization flow's sign-in; the request travels as on the second-factor form.</summary>
    private static async Task<IResult> BeginAuthorizeSecondFactorAsync(HttpContext http, IMediator mediator, BrowserCookies cookies,
        PasskeyCookie ceremonyCookie, CancellationToken cancellationToken)
    {
        var carried = http.Request.Query[PageForm.RequestField].ToString();
        var parameters = InteractionForms.Decode(carried);
        if (!parameters.IsSuccess)
        {
            return Pages.Error(parameters.Error);
        }

        return await SecondFactorCeremonyPageAsync(http, mediator, cookies, ceremonyCookie, AuthorizationEndpoints.SecondFactorPath,
            new Dictionary<string, string>(StringComparer.Ordinal) { [PageForm.RequestField] = carried }, AuthorizationUrl(http, parameters.Value),
            cancellationToken, await ClientFormTargetsAsync(mediator, parameters.Value, cancellationToken));
    }

    /// <summary>The passkey as the second factor of the device page's sign-in; the user code travels as on the second-factor form.</summary>
    private static async Task<IResult> BeginDeviceSecondFactorAsync(HttpContext http, IMediator mediator, BrowserCookies cookies,
        PasskeyCookie ceremonyCookie, CancellationToken cancellationToken)
    {
        if (UserCodeOf(http) is not { } userCode)
        {
            return Pages.Error(OAuthError.RepeatedParameter);
        }

        return await SecondFactorCeremonyPageAsync(http, mediator, cookies, ceremonyCookie, DeviceVerificationEndpoints.SecondFactorPath,
            DeviceFields(userCode), DevicePath(http, userCode), cancellationToken);
    }

    /// <summary>The passkey as the second factor of the account page's sign-in.</summary>
    private static Task<IResult> BeginAccountSecondFactorAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        CancellationToken cancellationToken) =>
        SecondFactorCeremonyPageAsync(http, mediator, cookies, ceremonyCookie, AccountEndpoints.SecondFactorPath,
            new Dictionary<string, string>(StringComparer.Ordinal), AuthorizationEndpoints.PathOf(http, AccountEndpoints.SignInPath), cancellationToken);

    /// <summary>
    /// Begins the second factor's ceremony for the browser's pending sign-in; its page posts the answer to
    /// <paramref name="secondFactorPath"/> with <paramref name="hidden"/>. No usable pending sign-in (expired, spent) or no
    /// passkey: back to <paramref name="backPath"/>, where the sign-in starts over.
    /// </summary>
    private static async Task<IResult> SecondFactorCeremonyPageAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, PasskeyCookie ceremonyCookie,
        string secondFactorPath, IReadOnlyDictionary<string, string> hidden, string backPath, CancellationToken cancellationToken, string formTargets = "'self'")
    {
        switch (await mediator.Send(new BeginPasskeySecondFactor(cookies.PendingSignInHandle(http.Request), RemoteAddress(http)), cancellationToken))
        {
            case BegunCeremony begun:
                ceremonyCookie.Set(http.Response, begun.Handle);
                return PasskeyPages.Ceremony("Second step", "Your browser will ask you to use one of the passkeys of your account.", create: false,
                    begun.OptionsJson, cookies.CsrfTokenFor(http), AuthorizationEndpoints.PathOf(http, secondFactorPath), hidden, backPath, formTargets);
            case CeremonyStart.Throttled throttled:
                return TooManyCeremonies(http, throttled);
            default:
                return AuthorizationEndpoints.SeeOther(http, backPath);
        }
    }

    /// <summary>The page of a passwordless sign-in's ceremony, or 429 when the address began too many.</summary>
    private static IResult SignInCeremonyPage(HttpContext http, PasskeyCookie ceremonyCookie, BrowserCookies cookies, CeremonyStart start, string finishPath,
        IReadOnlyDictionary<string, string> hidden, string backPath, string formTargets = "'self'")
    {
        if (start is not BegunCeremony begun)
        {
            return TooManyCeremonies(http, start as CeremonyStart.Throttled);
        }

        ceremonyCookie.Set(http.Response, begun.Handle);
        return PasskeyPages.Ceremony("Sign in with a passkey", "Your browser will ask you to choose a passkey and unlock it.", create: false,
            begun.OptionsJson, cookies.CsrfTokenFor(http), finishPath, hidden, backPath, formTargets);
    }

    /// <summary>
    /// The CSP form-action of an authorization flow's passkey page: this server and the request's redirect origin, where the
    /// answer's redirects may end (a remembered consent goes straight to the client). The redirect URI is the validated
    /// request's (<see cref="GetRedirectUri"/>): a pushed or signed request carries none beside its seal, and a raw parameter
    /// would let an altered request widen the policy. An invalid request allows this server alone (its POST fails anyway).
    /// </summary>
    private static async Task<string> ClientFormTargetsAsync(IMediator mediator, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken) =>
        await mediator.Send(new GetRedirectUri(parameters), cancellationToken) is { } redirectUri ? Pages.FormTargets(redirectUri) : "'self'";

    /// <summary>429 Too Many Requests (RFC 6585 §4) with Retry-After in whole seconds (RFC 9110 §10.2.3); nothing was written.</summary>
    internal static IResult TooManyCeremonies(HttpContext http, CeremonyStart.Throttled? throttled)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((throttled?.RetryAfter ?? PasskeyCeremony.Lifetime).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Pages.Message("Please wait", "Too many passkey attempts from your network. Wait a few minutes and try again.",
            StatusCodes.Status429TooManyRequests);
    }

    /// <summary>The user code of a device page's query (empty when none); null when repeated (RFC 6749 §3.1).</summary>
    private static string? UserCodeOf(HttpContext http)
    {
        var userCode = http.Request.Query[DeviceVerificationEndpoints.UserCodeField];
        return userCode.Count > 1 ? null : userCode.ToString();
    }

    private static Dictionary<string, string> DeviceFields(string userCode) =>
        string.IsNullOrEmpty(userCode)
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal) { [DeviceVerificationEndpoints.UserCodeField] = userCode };

    private static string DevicePath(HttpContext http, string userCode) =>
        PasskeyPages.PathWithUserCode(AuthorizationEndpoints.PathOf(http, ProtocolEndpoints.Device), userCode);

    private static string AuthorizationUrl(HttpContext http, IReadOnlyDictionary<string, string> parameters) =>
        AuthorizationEndpoints.PathOf(http, ProtocolEndpoints.Authorization) + "?" + InteractionForms.Encode(parameters);

    private static string? RemoteAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    /// <summary>The outcome as the browser sees it: sign in first, back to the page with the status, 404, or the page again with why (400).</summary>
    private static async Task<IResult> RenderAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, AccountOutcome outcome, CancellationToken cancellationToken) =>
        outcome switch
        {
            AccountOutcome.NotSignedIn => AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, AccountEndpoints.SignInPath)),
            AccountOutcome.Done done => AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, PasskeysPath) + "?status=" + Uri.EscapeDataString(done.Status)),
            AccountOutcome.NotFound => Pages.Message("Not found", "There is no such passkey on your account.", StatusCodes.Status404NotFound),
            AccountOutcome.Invalid invalid => await RenderPageAsync(http, mediator, cookies, status: null, invalid.Message, cancellationToken),
            AccountOutcome.ChangedMeanwhile => AccountAppEndpoints.ChangedMeanwhile(),
            _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unhandled outcome {outcome.GetType().Name}.")),
        };

    private static async Task<IResult> RenderPageAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, string? status, string? error,
        CancellationToken cancellationToken)
    {
        if (await mediator.Send(new ViewPasskeys(cookies.SessionHandle(http.Request)), cancellationToken) is not { } passkeys)
        {
            return AuthorizationEndpoints.SeeOther(http, AuthorizationEndpoints.PathOf(http, AccountEndpoints.SignInPath));
        }

        return PasskeyPages.Manage(passkeys, cookies.CsrfTokenFor(http), status, error, new PasskeyPages.Paths(
            AuthorizationEndpoints.PathOf(http, AccountEndpoints.SecurityPath),
            AuthorizationEndpoints.PathOf(http, BeginPath),
            AuthorizationEndpoints.PathOf(http, RenamePath),
            AuthorizationEndpoints.PathOf(http, RemovePath)));
    }
}

/// <summary>
/// The handle of the passkey ceremony in progress: HttpOnly, SameSite=Lax, Path=/, and <c>__Host-</c>-prefixed and Secure
/// when the issuer is https (as <see cref="BrowserCookies"/>); it lives as long as the ceremony at most.
/// </summary>
public sealed class PasskeyCookie(IIssuerProvider issuer)
{
    private bool Secure => issuer.Issuer.StartsWith("https://", StringComparison.Ordinal);

    public string Name => Secure ? "__Host-authservice-passkey" : "authservice-passkey";

    public string? Handle(HttpRequest request) => request.Cookies[Name];

    public void Set(HttpResponse response, string handle)
    {
        var options = Options();
        options.MaxAge = PasskeyCeremony.Lifetime;
        response.Cookies.Append(Name, handle, options);
    }

    public void Clear(HttpResponse response) => response.Cookies.Delete(Name, Options());

    /// <summary>
    /// What a second-step form posted: the passkey page's <c>credential</c> (with this cookie's ceremony, which is then
    /// cleared: the ceremony is spent either way), else the typed code.
    /// </summary>
    public SecondFactorProof ProofOf(HttpContext http, string? code, string? credential)
    {
        if (credential is null)
        {
            return SecondFactorProof.Of(code, ceremonyHandle: null, assertionJson: null);
        }

        var handle = Handle(http.Request);
        Clear(http.Response);
        return SecondFactorProof.Of(code: null, handle, credential);
    }

    private CookieOptions Options() => new() { HttpOnly = true, Secure = Secure, SameSite = SameSiteMode.Lax, Path = "/", IsEssential = true };
}
