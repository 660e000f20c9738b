using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Sessions;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.SignIn.Commands.EndSession;

/// <summary>RP-Initiated Logout (OpenID Connect RP-Initiated Logout 1.0 §2), or the user confirming it on our page.</summary>
public sealed record EndSession(IReadOnlyDictionary<string, string> Parameters, string? SessionHandle, bool Confirmed) : IRequest<EndSessionOutcome>;

public abstract record EndSessionOutcome
{
    /// <summary>A bad hint or an unregistered post_logout_redirect_uri: shown here, never followed (RFC 9700 §2.1).</summary>
    public sealed record ErrorPage(OAuthError Error) : EndSessionOutcome;

    /// <summary>The request could be forged (no valid id_token_hint for this session): ask the user first (ASVS 10.6.2).</summary>
    public sealed record Confirm(IReadOnlyDictionary<string, string> Parameters) : EndSessionOutcome;

    /// <summary>
    /// Signed out; back to the client's registered URI (with state), or a page saying so. The page first frames
    /// <paramref name="FrontchannelLogoutUrls"/>, one per client of the ended session that registered one
    /// (OpenID Connect Front-Channel Logout 1.0 §2); empty when no session ended here.
    /// </summary>
    public sealed record SignedOut(string? RedirectUri, string? State, IReadOnlyList<string> FrontchannelLogoutUrls) : EndSessionOutcome;
}

/// <summary>
/// Ends the browser session on the server (ASVS 7.4.1) and revokes the refresh token families started in
/// it (RFC 9700 §4.14.2 allows it policy). <c>post_logout_redirect_uri</c> must
/// exactly match one registered for the client named by the hint's audience or <c>client_id</c>.
/// </summary>
public sealed partial class EndSessionHandler(
    IIdTokenIssuer idTokens,
    IClientCatalog clients,
    BrowserSessions sessions,
    IUserSessionRepository userSessions,
    IAuthorizationCodeRepository codes,
    IRefreshTokenFamilyRepository families,
    GrantRevocation revocation,
    Logout.LogoutPropagation logout,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<EndSessionHandler> logger) : IRequestHandler<EndSession, EndSessionOutcome>
{
    public async Task<EndSessionOutcome> Handle(EndSession request, CancellationToken cancellationToken)
    {
        string? Get(string name) => request.Parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        IdTokenHint? hint = null;
        if (Get(OAuthParameters.IdTokenHint) is { } hintValue && (hint = await idTokens.ReadHintAsync(hintValue, cancellationToken)) is null)
        {
            return new EndSessionOutcome.ErrorPage(OAuthError.InvalidIdTokenHint);
        }

        var clientId = Get(OAuthParameters.ClientId);
        if (hint is not null && clientId is not null && clientId != hint.ClientId)
        {
            return new EndSessionOutcome.ErrorPage(OAuthError.IdTokenHintClientMismatch);
        }

        clientId ??= hint?.ClientId;
        var redirectUri = Get(OAuthParameters.PostLogoutRedirectUri);
        if (redirectUri is not null)
        {
            var client = clientId is { Length: <= Domain.Clients.Client.MaxClientIdLength } ? await clients.FindAsync(clientId, cancellationToken) : null;
            if (client is null || !client.PostLogoutRedirectUris.Contains(redirectUri, StringComparer.Ordinal))
            {
                return new EndSessionOutcome.ErrorPage(OAuthError.UnregisteredPostLogoutRedirectUri);
            }
        }

        IReadOnlyList<string> frontchannel = [];
        var active = await sessions.FindActiveAsync(request.SessionHandle, cancellationToken);
        if (active is not null)
        {
            var hintMatches = hint is not null && hint.Subject == active.User.Id.ToString()
                && (hint.SessionId is null || hint.SessionId == active.Session.Id.ToString());
            if (!hintMatches && !request.Confirmed)
            {
                return new EndSessionOutcome.Confirm(request.Parameters);
            }

            frontchannel = await EndAsync(active, cancellationToken);
        }

        return new EndSessionOutcome.SignedOut(redirectUri, redirectUri is null ? null : Get(OAuthParameters.State), frontchannel);
    }

    private async Task<IReadOnlyList<string>> EndAsync(ActiveSession active, CancellationToken cancellationToken)
    {
        // A concurrent touch of the same session must not keep it alive: rerun on fresh state until it has ended.
        UserSession? ended = null;
        (await ConflictRetry.RunAsync(async ct =>
        {
            var session = await userSessions.FindAsync(active.Session.Id, ct);
            var now = clock.GetUtcNow();
            if (session is null || !session.End(now))
            {
                ended = null;
                return SaveResult.Saved;
            }

            ended = session;

            // Back-Channel Logout 1.0 §2.5: the notifications are stored with the logout itself (transactional outbox).
            await logout.EnqueueAsync(session, Logout.LogoutPropagation.ReasonLogout, now, ct);
            return await unitOfWork.SaveChangesAsync(ct);
        }, cancellationToken)).ThrowIfConflict();

        // A code issued just before the logout would otherwise start a new family in the ended session; one
        // redeemed concurrently is no longer listed on the rerun, and its family is revoked below.
        (await ConflictRetry.RunAsync(async ct =>
        {
            var now = clock.GetUtcNow();
            var withdrawn = false;
            foreach (var code in await codes.ListUsableForSessionAsync(active.Session.Id, now, ct))
            {
                withdrawn |= code.Withdraw(now);
            }

            return withdrawn ? await unitOfWork.SaveChangesAsync(ct) : SaveResult.Saved;
        }, cancellationToken)).ThrowIfConflict();

        foreach (var familyId in await families.ListUnrevokedForSessionAsync(active.Session.Id, cancellationToken))
        {
            await revocation.RevokeFamilyAsync(familyId, "user_logout", cancellationToken);
        }

        LogSignedOut(logger, active.User.Id, active.Session.Id);

        // Front-Channel Logout 1.0 §2: only the request that ended the session frames the clients' logout pages.
        return ended is null ? [] : await logout.FrontchannelLogoutUrlsAsync(ended, cancellationToken);
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Security event logout: user {UserId}, session {SessionId} ended")]
    private static partial void LogSignedOut(ILogger logger, Guid userId, Guid sessionId);
}
