using AuthService.Application.Common;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.DeviceAuthorizations;
using AuthService.Domain.Federation;
using AuthService.Domain.Passkeys;
using AuthService.Domain.PushedAuthorizationRequests;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Sessions;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.SignIn.Commands.PurgeEndedGrants;

/// <summary>
/// Deletes what can no longer be used: authorization codes an hour after they expired (kept that long so a
/// late replay is still recognized and revokes what the code issued), refresh token families a day after
/// they expired (absolute or idle lifetime) or were revoked (with their tokens), and browser sessions a
/// day after they ended or expired (absolute or idle), and pushed authorization requests, device authorizations, sign-ins
/// pending a second factor, passkey ceremonies and upstream round trips (with their proof stage) once expired (used or not, they are refused alike then; a passkey
/// sign-in ceremony is started without a session, so without this purge anyone could grow the table for good). In batches, so a large backlog never holds long locks.
/// </summary>
public sealed record PurgeEndedGrants(int BatchSize = 1000) : IRequest<int>;

public sealed partial class PurgeEndedGrantsHandler(
    IAuthorizationCodeRepository codes,
    IRefreshTokenFamilyRepository families,
    IUserSessionRepository sessions,
    IPushedAuthorizationRequestRepository pushedRequests,
    IDeviceAuthorizationRepository deviceAuthorizations,
    IPendingSignInRepository pendingSignIns,
    IPasskeyCeremonyRepository passkeyCeremonies,
    IExternalSignInRepository externalSignIns,
    TimeProvider clock,
    ILogger<PurgeEndedGrantsHandler> logger) : IRequestHandler<PurgeEndedGrants, int>
{
    public static readonly TimeSpan CodeRetention = TimeSpan.FromHours(1);
    public static readonly TimeSpan GrantRetention = TimeSpan.FromDays(1);

    public async Task<int> Handle(PurgeEndedGrants request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var codesDeleted = await Batches.DeleteAllAsync(batch => codes.DeleteExpiredAsync(now - CodeRetention, batch, cancellationToken), request.BatchSize, cancellationToken);
        var familiesDeleted = await Batches.DeleteAllAsync(batch => families.DeleteEndedAsync(now - GrantRetention, batch, cancellationToken), request.BatchSize, cancellationToken);
        var sessionsDeleted = await Batches.DeleteAllAsync(batch => sessions.DeleteEndedAsync(now - GrantRetention, batch, cancellationToken), request.BatchSize, cancellationToken);
        var pushedDeleted = await Batches.DeleteAllAsync(batch => pushedRequests.DeleteExpiredAsync(now, batch, cancellationToken), request.BatchSize, cancellationToken);
        var devicesDeleted = await Batches.DeleteAllAsync(batch => deviceAuthorizations.DeleteExpiredAsync(now, batch, cancellationToken), request.BatchSize, cancellationToken);
        var pendingDeleted = await Batches.DeleteAllAsync(batch => pendingSignIns.DeleteExpiredAsync(now, batch, cancellationToken), request.BatchSize, cancellationToken);
        var ceremoniesDeleted = await Batches.DeleteAllAsync(batch => passkeyCeremonies.DeleteExpiredAsync(now, batch, cancellationToken), request.BatchSize, cancellationToken);
        var externalDeleted = await Batches.DeleteAllAsync(batch => externalSignIns.DeleteExpiredAsync(now, batch, cancellationToken), request.BatchSize, cancellationToken);
        var total = codesDeleted + familiesDeleted + sessionsDeleted + pushedDeleted + devicesDeleted + pendingDeleted + ceremoniesDeleted + externalDeleted;
        if (total > 0)
        {
            LogPurged(logger, codesDeleted, familiesDeleted, sessionsDeleted, pushedDeleted, devicesDeleted, pendingDeleted, ceremoniesDeleted, externalDeleted);
        }

        return total;
    }

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Purged {Codes} expired authorization codes, {Families} ended refresh token families, {Sessions} ended sessions, {Pushed} expired pushed authorization requests, {Devices} expired device authorizations, {Pending} expired pending sign-ins, {Ceremonies} expired passkey ceremonies, {External} expired upstream round trips")]
    private static partial void LogPurged(ILogger logger, int codes, int families, int sessions, int pushed, int devices, int pending, int ceremonies, int external);
}
