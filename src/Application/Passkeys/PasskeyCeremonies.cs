using System.Security.Cryptography;
using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;

namespace AuthService.Application.Passkeys;

/// <summary>A ceremony just begun: the handle for the browser's cookie and the options for its script.</summary>
public sealed record BegunCeremony(string Handle, string OptionsJson)
{
    public override string ToString() => "BegunCeremony { (handle redacted) }";
}

/// <summary>
/// Begins and spends <see cref="PasskeyCeremony"/> rows: a fresh 32-byte challenge per ceremony (WebAuthn L3 §13.4.3),
/// a random handle for the browser, its SHA-256 for the database. Spending is its own save, before the response is
/// verified, so a challenge answers one response even when two posts race (the loser's save conflicts).
/// </summary>
public sealed class PasskeyCeremonies(IPasskeyCeremonyRepository ceremonies, Domain.Common.IUnitOfWork unitOfWork, TimeProvider clock)
{
    /// <summary>Adds a ceremony (the caller saves); returns its handle and challenge.</summary>
    public (string Handle, byte[] Challenge) Begin(string kind, Guid? userId)
    {
        var handle = OpaqueToken.New();
        var challenge = RandomNumberGenerator.GetBytes(PasskeyCeremony.ChallengeLength);
        ceremonies.Add(PasskeyCeremony.Begin(Guid.NewGuid(), OpaqueToken.HashOf(handle), kind, userId, challenge, clock.GetUtcNow()));
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
