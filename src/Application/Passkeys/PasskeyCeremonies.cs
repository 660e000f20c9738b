using System.Security.Cryptography;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;

namespace AuthService.Application.Passkeys;

/// <summary>The answer to a request to begin a ceremony.</summary>
public abstract record CeremonyStart
{
    /// <summary>Nobody to begin it for: no active session (registration), no usable pending sign-in (second factor).</summary>
    public static readonly CeremonyStart Refused = new NotStarted();

    public sealed record NotStarted : CeremonyStart;

    /// <summary>The address started too many ceremonies (<see cref="PasskeyOptions.CeremoniesPerAddress"/>): nothing was written.</summary>
    public sealed record Throttled(TimeSpan RetryAfter) : CeremonyStart;
}

/// <summary>A ceremony just begun: the handle for the browser's cookie and the options for its script.</summary>
public sealed record BegunCeremony(string Handle, string OptionsJson) : CeremonyStart
{
    public override string ToString() => "BegunCeremony { (handle redacted) }";
}

/// <summary>
/// Begins and spends <see cref="PasskeyCeremony"/> rows: a fresh 32-byte challenge per ceremony (WebAuthn L3 §13.4.3),
/// a random handle for the browser, its SHA-256 for the database. Spending is its own save, before the response is
/// verified, so a challenge answers one response even when two posts race (the loser's save conflicts). Starts are
/// limited per source address (<see cref="IPasskeyCeremonyThrottle"/>), so one address cannot fill the table.
/// </summary>
public sealed class PasskeyCeremonies(
    IPasskeyCeremonyRepository ceremonies, IPasskeyCeremonyThrottle throttle, Domain.Common.IUnitOfWork unitOfWork, TimeProvider clock)
{
    /// <summary>Counts a start from <paramref name="remoteAddress"/>; the refusal when its budget is spent (then add nothing).</summary>
    public CeremonyStart.Throttled? Throttle(string? remoteAddress) =>
        throttle.TryAcquire(remoteAddress) is { } wait ? new CeremonyStart.Throttled(wait) : null;

    /// <summary>
    /// Adds a ceremony (the caller saves); returns its handle and challenge. A second factor's ceremony names the pending
    /// sign-in it finishes (<paramref name="pendingSignInId"/>), a link proof's the upstream round trip it proves
    /// (<paramref name="externalSignInId"/>).
    /// </summary>
    public (string Handle, byte[] Challenge) Begin(string kind, Guid? userId, Guid? pendingSignInId = null, Guid? externalSignInId = null)
    {
        var handle = OpaqueToken.New();
        var challenge = RandomNumberGenerator.GetBytes(PasskeyCeremony.ChallengeLength);
        ceremonies.Add(PasskeyCeremony.Begin(Guid.NewGuid(), OpaqueToken.HashOf(handle), kind, userId, challenge, clock.GetUtcNow(), pendingSignInId,
            externalSignInId));
        return (handle, challenge);
    }

    /// <summary>The ceremony of <paramref name="handle"/>, spent now; null when there is none of that kind, it expired, or it was spent already.</summary>
    public async Task<PasskeyCeremony?> SpendAsync(string? handle, string kind, CancellationToken cancellationToken)
    {
        if (handle is not { Length: OpaqueToken.HashLength })
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var ceremony = await ceremonies.FindByHandleHashAsync(OpaqueToken.HashOf(handle), cancellationToken);
        if (ceremony is null || !ceremony.IsUsable(kind, now))
        {
            return null;
        }

        // The version is the concurrency token: a concurrent spend of the same row conflicts and gets nothing.
        ceremony.Complete(now);
        return await unitOfWork.SaveChangesAsync(cancellationToken) == SaveResult.Saved ? ceremony : null;
    }
}
