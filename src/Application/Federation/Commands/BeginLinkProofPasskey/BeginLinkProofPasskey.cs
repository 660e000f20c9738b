using AuthService.Application.Common.Exceptions;
using AuthService.Application.Passkeys;
using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using MediatR;

namespace AuthService.Application.Federation.Commands.BeginLinkProofPasskey;

/// <summary>
/// The proof page's "Use a passkey": a ceremony for the round trip <paramref name="SignInId"/> awaiting proof in the browser
/// with the <paramref name="Binding"/> cookie; <see cref="CeremonyStart.Refused"/> when it does not await proof there, or its
/// page offers no passkey; <see cref="CeremonyStart.Throttled"/> beyond the address's limit.
/// </summary>
public sealed record BeginLinkProofPasskey(Guid SignInId, string? Binding, string? RemoteAddress) : IRequest<CeremonyStart>
{
    public override string ToString() => $"BeginLinkProofPasskey {{ SignInId = {SignInId} }}";
}

/// <summary>
/// docs/adr/0037 "Proof by a linked provider or a passkey": the ceremony is bound to the round trip and the candidate account
/// (<see cref="PasskeyCeremony.LinkProof"/>); allowCredentials names that account's passkeys (WebAuthn L3 §5.5: the relying
/// party knows the account) and user verification is required, so the assertion is a full sign-in of its own (docs/adr/0035),
/// as the passwordless sign-in is. Offered only as the page offers it (a trusted verified address, the account has passkeys).
/// </summary>
public sealed class BeginLinkProofPasskeyHandler(LinkProof proofs, IPasskeyRepository passkeys, PasskeyCeremonies ceremonies, IWebAuthn webAuthn,
    IUnitOfWork unitOfWork) : IRequestHandler<BeginLinkProofPasskey, CeremonyStart>
{
    public async Task<CeremonyStart> Handle(BeginLinkProofPasskey request, CancellationToken cancellationToken)
    {
        if (await proofs.FindAsync(request.SignInId, request.Binding, cancellationToken) is not { } proof
            || !(await proofs.OffersAsync(proof.SignIn, cancellationToken)).Passkey)
        {
            return CeremonyStart.Refused;
        }

        var allowed = await passkeys.ListByUserIdAsync(proof.Candidate.Id, cancellationToken);
        if (ceremonies.Throttle(request.RemoteAddress) is { } throttled)
        {
            return throttled;
        }

        var (handle, challenge) = ceremonies.Begin(PasskeyCeremony.LinkProof, proof.Candidate.Id, externalSignInId: proof.SignIn.Id);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new BegunCeremony(handle, webAuthn.RequestOptions(challenge, allowed, requireUserVerification: true));
    }
}
