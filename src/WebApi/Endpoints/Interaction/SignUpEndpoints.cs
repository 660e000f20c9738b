using System.Diagnostics;
using AuthService.Application.SelfRegistration;
using AuthService.Application.SelfRegistration.Commands.RegisterAccount;
using AuthService.WebApi.Interaction;
using MediatR;
using Microsoft.Extensions.Options;
using AuthService.WebApi.RateLimiting;

namespace AuthService.WebApi.Endpoints.Interaction;

/// <summary>
/// <c>GET|POST /account/register</c> (docs/adr/0036): self-registration, 404 unless <c>Auth:SelfRegistration:Enabled</c>.
/// The POST needs the anti-forgery token (RFC 6749 §10.12) and answers "check your e-mail" whether or not the address
/// already had an account.
/// </summary>
public static class SignUpEndpoints
{
    public const string RegisterPath = AccountEndpoints.AccountPath + "/register";

    public static IEndpointRouteBuilder MapSignUpEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(RegisterPath, ViewRegister).ExcludeFromDescription();
        endpoints.MapPost(RegisterPath, RegisterAsync).ExcludeFromDescription().DisableAntiforgery().RequireSignUpRateLimit();
        return endpoints;
    }

    /// <summary>The sign-in page's link to the registration page, or null when self-registration is off.</summary>
    public static string? LinkFor(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<SelfRegistrationOptions>>().Value.Enabled ? AuthorizationEndpoints.PathOf(http, RegisterPath) : null;

    private static IResult ViewRegister(HttpContext http, BrowserCookies cookies) =>
        LinkFor(http) is { } path ? SignUpPages.Register(cookies.CsrfTokenFor(http), path) : Results.NotFound();

    private static async Task<IResult> RegisterAsync(HttpContext http, IMediator mediator, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        if (LinkFor(http) is not { } path)
        {
            return Results.NotFound();
        }

        var form = await PageForm.ReadGuardedAsync(http, cookies, cancellationToken);
        if (!form.IsSuccess)
        {
            return Pages.Error(form.Error);
        }

        var fields = form.Value;
        return await mediator.Send(new RegisterAccount(fields["username"], fields["email"], fields["name"], fields["password"], fields["confirm_password"],
            http.Connection.RemoteIpAddress?.ToString()), cancellationToken) switch
        {
            RegistrationOutcome.Accepted => SignUpPages.CheckYourEmail(),
            RegistrationOutcome.Throttled => SignUpPages.Throttled(),
            RegistrationOutcome.Invalid invalid => SignUpPages.Register(cookies.CsrfTokenFor(http), path, fields["username"], fields["email"], fields["name"],
                invalid.Message),
            var other => throw new UnreachableException($"Unexpected registration outcome {other.GetType().Name}."),
        };
    }
}
