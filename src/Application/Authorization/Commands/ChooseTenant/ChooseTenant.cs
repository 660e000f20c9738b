using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.SignIn;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Authorization.Commands.ChooseTenant;

/// <summary>The tenant picker's form: the slug the person chose, posted with the authorization request it belongs to.</summary>
public sealed record ChooseTenant(IReadOnlyDictionary<string, string> Parameters, string? Slug, string? SessionHandle) : IRequest<InteractionOutcome>;

/// <summary>
/// Carries the choice on to the authorization endpoint as the request's <c>tenant</c> parameter (docs/adr/0038), where it is
/// checked again like a client's. The choice is refused here already when it is not an active tenant of the signed-in
/// person (a forged or stale form): the page says so rather than sending the client <c>access_denied</c> for a slip.
/// Without a session the browser goes back to sign in, as from the consent page.
/// </summary>
public sealed partial class ChooseTenantHandler(
    AuthorizationRequestResolver requests,
    BrowserSessions sessions,
    TenantSelector tenants,
    IIssuerProvider issuer,
    ILogger<ChooseTenantHandler> logger) : IRequestHandler<ChooseTenant, InteractionOutcome>
{
    public async Task<InteractionOutcome> Handle(ChooseTenant request, CancellationToken cancellationToken)
    {
        var validation = await requests.ResolveAsync(request.Parameters, cancellationToken);
        if (validation is not AuthorizationValidation.Valid { Request: var authorization })
        {
            return AuthorizationResponses.From(validation, issuer.Issuer);
        }

        var active = await sessions.FindActiveAsync(request.SessionHandle, cancellationToken);
        if (active is null)
        {
            return new InteractionOutcome.Continue(authorization.Parameters, NewSessionHandle: null);
        }

        // A request that names its tenant, or asks for none, has nothing to choose.
        if (!authorization.WantsTenant || authorization.TenantSlug is not null || !Domain.Tenants.Tenant.IsValidSlug(request.Slug)
            || await tenants.FindBySlugAsync(request.Slug!, active.User.Id, cancellationToken) is null)
        {
            LogRefused(logger, active.User.Id, authorization.Client.ClientId);
            return new InteractionOutcome.ErrorPage(OAuthError.TenantChoiceInvalid);
        }

        var parameters = authorization.Parameters.ToDictionary(StringComparer.Ordinal);
        parameters[OAuthParameters.Tenant] = request.Slug!;
        return new InteractionOutcome.Continue(parameters, NewSessionHandle: null);
    }

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Security event tenant_choice_refused: user {UserId}, client {ClientId}: not an active tenant of the user")]
    private static partial void LogRefused(ILogger logger, Guid userId, string clientId);
}
