using AuthService.Application.Audit;
using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Protocol;
using AuthService.Application.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Consents;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Consents.Commands.DecideConsent;

/// <summary>The consent form: Allow or Deny, posted with the authorization request it belongs to.</summary>
public sealed record DecideConsent(IReadOnlyDictionary<string, string> Parameters, bool Allow, string? SessionHandle) : IRequest<InteractionOutcome>;

/// <summary>
/// Deny sends <c>access_denied</c> to the client (RFC 6749 §4.1.2.1). Allow remembers the scopes
/// for this user and client, so only new scopes are asked for next time, and sends the browser back to
/// the authorization endpoint, which issues the code. Without a session the browser goes back to sign in.
/// </summary>
public sealed partial class DecideConsentHandler(
    AuthorizationRequestResolver requests,
    BrowserSessions sessions,
    IConsentRepository consents,
    IUnitOfWork unitOfWork,
    IAuditTrail audit,
    IIssuerProvider issuer,
    TimeProvider clock,
    ILogger<DecideConsentHandler> logger) : IRequestHandler<DecideConsent, InteractionOutcome>
{
    public async Task<InteractionOutcome> Handle(DecideConsent request, CancellationToken cancellationToken)
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

        var clientId = authorization.Client.ClientId;
        if (!request.Allow)
        {
            LogDenied(logger, active.User.Id, clientId);
            audit.Record(AuditEvents.ConsentDenied(active.User.Id, clientId));
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
            return AuthorizationResponses.Error(AuthorizationResponses.TargetOf(authorization),
                OAuthError.AccessDenied, issuer.Issuer);
        }

        await RememberAsync(active.User.Id, clientId, authorization.Scopes, cancellationToken);
        LogGranted(logger, active.User.Id, clientId);
        return new InteractionOutcome.Continue(authorization.ParametersWithout(Prompts.Consent), NewSessionHandle: null);
    }

    /// <summary>Adds the scopes to the user's consent for the client; a concurrent first consent is merged, not lost.</summary>
    private async Task RememberAsync(Guid userId, string clientId, IReadOnlyList<string> scopes, CancellationToken cancellationToken) =>
        (await ConflictRetry.RunAsync(async ct =>
        {
            var now = clock.GetUtcNow();
            var consent = await consents.FindAsync(userId, clientId, ct);
            if (consent is null)
            {
                consents.Add(Consent.Grant(userId, clientId, scopes, now));
            }
            else if (!consent.Extend(scopes, now))
            {
                return SaveResult.Saved;
            }

            return await unitOfWork.SaveChangesAsync(ct);
        }, cancellationToken)).ThrowIfConflict();

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Security event consent_granted: user {UserId} to client {ClientId}")]
    private static partial void LogGranted(ILogger logger, Guid userId, string clientId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Security event consent_denied: user {UserId} to client {ClientId}")]
    private static partial void LogDenied(ILogger logger, Guid userId, string clientId);
}
