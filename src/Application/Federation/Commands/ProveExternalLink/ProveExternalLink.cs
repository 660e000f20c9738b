using AuthService.Application.Common.Interfaces;
using AuthService.Application.Passkeys;
using AuthService.Application.Passkeys.Commands;
using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.Federation;
using AuthService.Domain.Passkeys;
using AuthService.Domain.Sessions;
using MediatR;

namespace AuthService.Application.Federation.Commands.ProveExternalLink;

/// <summary>
/// The proof page's post: the round trip <paramref name="SignInId"/> awaiting proof (in the browser with the
/// <paramref name="Binding"/> cookie), and the account's <paramref name="Password"/>; or, after it, the account's second
/// factor <paramref name="Code"/> with the pending sign-in's handle; or a passkey's <paramref name="Assertion"/> answering the
/// ceremony of <paramref name="CeremonyHandle"/> (begun for this round trip, <see cref="BeginLinkProofPasskey.BeginLinkProofPasskey"/>).
/// </summary>
public sealed record ProveExternalLink(
    Guid SignInId,
    string? Binding,
    string? Password,
    string? Code,
    string? PendingHandle,
    string? CurrentSessionHandle,
    string? RemoteAddress,
    string? UserAgent,
    string? Assertion = null,
    string? CeremonyHandle = null) : IRequest<ExternalSignInOutcome>
{
    /// <summary>Never the password, the code, the assertion or a handle.</summary>
    public override string ToString() => $"ProveExternalLink {{ SignInId = {SignInId} }}";
}

/// <summary>
/// docs/adr/0037 "Linking needs proof": the person signs in to the account with the upstream's address as the password
/// form would (<see cref="PasswordSignIn"/>: throttled, counted toward the lockout, audited), with its second factor when it
/// has one (<see cref="SecondFactorSignIn"/>, the pending sign-in must be this account's); or with one of its passkeys
/// ("Proof by a linked provider or a passkey": <see cref="PasskeyAssertions"/> with user verification, a full sign-in per
/// docs/adr/0035, so no second step; the ceremony must be the one begun for this round trip and this account). Only then
/// are the link (how=linked) and the end of the proof stage saved, and the sign-in continues where the round trip was
/// started. A failed proof counts against the round trip too; after <see cref="ExternalSignIn.MaxProofAttempts"/> it is void.
/// </summary>
public sealed class ProveExternalLinkHandler(
    LinkProof proofs,
    PasswordSignIn passwords,
    SecondFactorStep secondFactorStep,
    SecondFactorSignIn secondFactor,
    PasskeyCeremonies ceremonies,
    PasskeyAssertions assertions,
    ILoginThrottle throttle,
    FederatedSignIn flow,
    TimeProvider clock) : IRequestHandler<ProveExternalLink, ExternalSignInOutcome>
{
    public async Task<ExternalSignInOutcome> Handle(ProveExternalLink request, CancellationToken cancellationToken)
    {
        var invalid = new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid);
        var now = clock.GetUtcNow();
        if (await proofs.FindAsync(request.SignInId, request.Binding, cancellationToken) is not { } proof)
        {
            return invalid;
        }

        var (signIn, candidate, provider) = proof;
        var (authorization, refusal) = await flow.AuthorizationOfAsync(signIn, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var clientId = authorization?.Client.ClientId;
        if (request.Assertion is not null)
        {
            return await PasskeyAsync(request, proof, authorization, cancellationToken);
        }

        PasswordSignInResult result;
        if (request.Code is not null)
        {
            // The second step must finish a pending sign-in of this very account, not one the browser holds for another.
            if (await secondFactorStep.FindUsableAsync(request.PendingHandle, now, cancellationToken) is not { } pending || pending.User.Id != candidate.Id)
            {
                return invalid;
            }

            result = await secondFactor.CompleteAsync(request.PendingHandle, new SecondFactorProof.TypedCode(request.Code), request.CurrentSessionHandle,
                request.RemoteAddress, request.UserAgent, cancellationToken);
            if (result is { SessionHandle: null, PendingHandle: { } again })
            {
                return new ExternalSignInOutcome.ProveSecondFactor(signIn.Id, provider.DisplayName, again, Failed: true, result.RetryAfter);
            }
        }
        else
        {
            result = await passwords.SignInAsync(candidate.Username, request.Password, request.CurrentSessionHandle, request.RemoteAddress, request.UserAgent,
                clientId, cancellationToken);
            if (result.PendingHandle is { } pendingHandle)
            {
                return new ExternalSignInOutcome.ProveSecondFactor(signIn.Id, provider.DisplayName, pendingHandle, Failed: false, RetryAfter: null);
            }
        }

        if (result.SessionHandle is null)
        {
            return await proofs.FailedAsync(request.SignInId, provider.DisplayName, ProofFailure.Password, result.RetryAfter, cancellationToken);
        }

        return await proofs.LinkAsync(signIn, candidate.Id, provider, authorization, result, cancellationToken);
    }

    /// <summary>
    /// The passkey: throttled per address as the passwordless sign-in is; the ceremony is spent first (a replayed assertion
    /// finds it spent) and must be this round trip's, for this account; the credential must be one of the account's. Success
    /// signs in with <c>amr</c> hwk or swk, user, mfa (RFC 8176 §2, docs/adr/0035) in the save that links.
    /// </summary>
    private async Task<ExternalSignInOutcome> PasskeyAsync(ProveExternalLink request, AwaitingProof proof, Authorization.AuthorizationRequest? authorization,
        CancellationToken cancellationToken)
    {
        if (throttle.RetryAfter(request.RemoteAddress) is { } wait)
        {
            return await proofs.PageAsync(proof.SignIn, proof.Provider.DisplayName, ProofFailure.OtherWay, wait, cancellationToken);
        }

        var ceremony = await ceremonies.SpendAsync(request.CeremonyHandle, PasskeyCeremony.LinkProof, cancellationToken);
        var passkey = ceremony is not null && ceremony.ExternalSignInId == proof.SignIn.Id && ceremony.UserId == proof.Candidate.Id
            ? await assertions.VerifyAsync(request.Assertion, ceremony.Challenge, request.RemoteAddress, authorization?.Client.ClientId, cancellationToken,
                expectedUserId: proof.Candidate.Id)
            : null;
        if (passkey is null)
        {
            return await proofs.FailedAsync(proof.SignIn.Id, proof.Provider.DisplayName, ProofFailure.OtherWay, null, cancellationToken);
        }

        return await proofs.LinkAndSignInAsync(proof, authorization, PasskeyMethods.Passwordless(passkey.KeyMethod), request.CurrentSessionHandle,
            SessionDevice.Of(request.UserAgent, request.RemoteAddress), cancellationToken);
    }
}
