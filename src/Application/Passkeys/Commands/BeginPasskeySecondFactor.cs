using AuthService.Application.Common.Exceptions;
using AuthService.Application.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using MediatR;

namespace AuthService.Application.Passkeys.Commands;

/// <summary>
/// Starts the passkey of a sign-in's second step: a ceremony bound to the pending sign-in of <paramref name="PendingHandle"/>
/// (the password was right); <see cref="CeremonyStart.Refused"/> when that pending sign-in cannot finish or its person has no
/// passkey, <see cref="CeremonyStart.Throttled"/> beyond the address's limit.
/// </summary>
public sealed record BeginPasskeySecondFactor(string? PendingHandle, string? RemoteAddress) : IRequest<CeremonyStart>
{
    public override string ToString() => "BeginPasskeySecondFactor { (handle redacted) }";
}

/// <summary>
/// The options name the person's passkeys in allowCredentials (WebAuthn L3 §5.5: the relying party knows the user) and ask
/// for user verification "preferred" only: the password was the first factor, the passkey is the second as a
/// single-factor cryptographic authenticator (NIST SP 800-63B §5.1.7; docs/adr/0035), so a security key without a PIN serves.
/// </summary>
public sealed class BeginPasskeySecondFactorHandler(
    SecondFactorStep step, IPasskeyRepository passkeys, PasskeyCeremonies ceremonies, IWebAuthn webAuthn, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<BeginPasskeySecondFactor, CeremonyStart>
{
    public async Task<CeremonyStart> Handle(BeginPasskeySecondFactor request, CancellationToken cancellationToken)
    {
        if (await step.FindUsableAsync(request.PendingHandle, clock.GetUtcNow(), cancellationToken) is not { } found)
        {
            return CeremonyStart.Refused;
        }

        var (pending, user) = found;
        var allowed = await passkeys.ListByUserIdAsync(user.Id, cancellationToken);
        if (allowed.Count == 0)
        {
            return CeremonyStart.Refused;
        }

        if (ceremonies.Throttle(request.RemoteAddress) is { } throttled)
        {
            return throttled;
        }

        var (handle, challenge) = ceremonies.Begin(PasskeyCeremony.SecondFactor, user.Id, pending.Id);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new BegunCeremony(handle, webAuthn.RequestOptions(challenge, allowed, requireUserVerification: false));
    }
}
