using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using AuthService.Domain.Users;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Federation.Commands.ProveExternalLink;

/// <summary>
/// The proof page's post: the round trip <paramref name="SignInId"/> awaiting proof (in the browser with the
/// <paramref name="Binding"/> cookie), and the account's <paramref name="Password"/>; or, after it, the account's second
/// factor <paramref name="Code"/> with the pending sign-in's handle.
/// </summary>
public sealed record ProveExternalLink(
    Guid SignInId,
    string? Binding,
    string? Password,
    string? Code,
    string? PendingHandle,
    string? CurrentSessionHandle,
    string? RemoteAddress,
    string? UserAgent) : IRequest<ExternalSignInOutcome>
{
    /// <summary>Never the password, the code or a handle.</summary>
    public override string ToString() => $"ProveExternalLink {{ SignInId = {SignInId} }}";
}

/// <summary>
/// docs/adr/0037 "Linking needs proof": the person signs in to the account with the upstream's address as the password
/// form would (<see cref="PasswordSignIn"/>: throttled, counted toward the lockout, audited), with its second factor when it
/// has one (<see cref="SecondFactorSignIn"/>, the pending sign-in must be this account's). Only then are the link
/// (how=linked) and the end of the proof stage saved, and the sign-in continues where the round trip was started. A wrong
/// password counts against the round trip too; after <see cref="ExternalSignIn.MaxProofAttempts"/> it is void.
/// </summary>
public sealed partial class ProveExternalLinkHandler(
    IExternalSignInRepository signIns,
    IExternalIdentityRepository identities,
    IExternalProviderRepository providers,
    IUserRepository users,
    PasswordSignIn passwords,
    SecondFactorStep secondFactorStep,
    SecondFactorSignIn secondFactor,
    FederatedSignIn flow,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<ProveExternalLinkHandler> logger) : IRequestHandler<ProveExternalLink, ExternalSignInOutcome>
{
    public async Task<ExternalSignInOutcome> Handle(ProveExternalLink request, CancellationToken cancellationToken)
    {
        var invalid = new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid);
        var now = clock.GetUtcNow();
        if (await signIns.FindAsync(request.SignInId, cancellationToken) is not { } signIn
            || !signIn.AwaitsProof(request.Binding is null ? null : OpaqueToken.HashOf(request.Binding), now)
            || await users.FindByIdAsync(signIn.CandidateUserId!.Value, cancellationToken) is not { } candidate
            || await providers.FindAsync(signIn.ProviderId, cancellationToken) is not { Enabled: true } provider)
        {
            return invalid;
        }

        var (authorization, refusal) = await flow.AuthorizationOfAsync(signIn, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var clientId = authorization?.Client.ClientId;
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
            return await FailedProofAsync(request.SignInId, provider.DisplayName, result.RetryAfter, cancellationToken);
        }

        return await LinkAsync(signIn, candidate.Id, provider, authorization, result, cancellationToken);
    }

    /// <summary>Proven: the link and the end of the proof stage in one save; a lost race (proven twice, or linked meanwhile) links nothing more.</summary>
    private async Task<ExternalSignInOutcome> LinkAsync(ExternalSignIn signIn, Guid userId, ExternalProvider provider,
        Authorization.AuthorizationRequest? authorization, PasswordSignInResult result, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        signIn.Prove(now);
        identities.Add(ExternalIdentity.Link(Guid.NewGuid(), userId, provider.Id, signIn.ProofSubject!, signIn.ProofEmail, "linked", now));
        switch (await unitOfWork.SaveChangesAsync(cancellationToken))
        {
            case SaveResult.Saved:
                LogLinked(logger, provider.Name, userId);
                return await flow.ContinueAsync(signIn, authorization, result, cancellationToken);
            case SaveResult.UniquenessConflict:
                return new ExternalSignInOutcome.ErrorPage(FederationFailure.LinkedToAnotherAccount, provider.DisplayName);
            default:
                return new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid, provider.DisplayName);
        }
    }

    /// <summary>A wrong password (or the pending sign-in gone): counted on the round trip, the form again while it lasts.</summary>
    private async Task<ExternalSignInOutcome> FailedProofAsync(Guid signInId, string providerName, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        // Read again: the password check saved its own unit (the account's failure count) in between.
        if (await signIns.FindAsync(signInId, cancellationToken) is not { } signIn || signIn.CandidateUserId is null || signIn.ProvenAt is not null)
        {
            return new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid, providerName);
        }

        var now = clock.GetUtcNow();
        signIn.RecordFailedProof(now);
        var saved = await unitOfWork.SaveChangesAsync(cancellationToken) == SaveResult.Saved;
        return saved && signIn.ProofAttempts < ExternalSignIn.MaxProofAttempts && signIn.ProofExpiresAt > now
            ? new ExternalSignInOutcome.ProveOwnership(signIn.Id, providerName, signIn.ProofEmail, Failed: true, retryAfter)
            : new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid, providerName);
    }

    [LoggerMessage(EventId = 3806, Level = LogLevel.Information, Message = "Security event federation_linked_after_proof: provider {Provider}, account {UserId}")]
    private static partial void LogLinked(ILogger logger, string provider, Guid userId);
}
