using AuthService.Application.Federation.Queries.ListSignInProviders;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using AuthService.Domain.Passkeys;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Federation;

/// <summary>A round trip awaiting proof in this browser, its candidate account and the provider being linked.</summary>
public sealed record AwaitingProof(ExternalSignIn SignIn, User Candidate, ExternalProvider Provider);

/// <summary>
/// What every way of proving ownership of the candidate account shares (docs/adr/0037 "Linking needs proof" and "Proof by a
/// linked provider or a passkey"): finding the round trip awaiting proof in this browser, what the proof page offers, a
/// failed proof counted on the round trip, and the link (how=linked) saved with the end of the proof stage.
/// </summary>
public sealed partial class LinkProof(
    IExternalSignInRepository signIns,
    IExternalIdentityRepository identities,
    IExternalProviderRepository providers,
    IPasskeyRepository passkeys,
    IUserRepository users,
    PasswordSignIn passwords,
    FederatedSignIn flow,
    IUnitOfWork unitOfWork,
    TimeProvider clock,
    ILogger<LinkProof> logger)
{
    /// <summary>
    /// The round trip <paramref name="signInId"/> when it still awaits proof in the browser presenting <paramref name="binding"/>
    /// (unexpired, not proven, attempts left), with its candidate account and its (enabled) provider; else null.
    /// </summary>
    public async Task<AwaitingProof?> FindAsync(Guid? signInId, string? binding, CancellationToken cancellationToken)
    {
        if (signInId is not { } id || await signIns.FindAsync(id, cancellationToken) is not { } signIn
            || !signIn.AwaitsProof(binding is null ? null : OpaqueToken.HashOf(binding), clock.GetUtcNow())
            || await users.FindByIdAsync(signIn.CandidateUserId!.Value, cancellationToken) is not { } candidate
            || await providers.FindAsync(signIn.ProviderId, cancellationToken) is not { Enabled: true } provider)
        {
            return null;
        }

        return new AwaitingProof(signIn, candidate, provider);
    }

    /// <summary>
    /// The ways besides the password: the candidate's enabled linked providers other than the one being linked, and whether
    /// it has passkeys. Only after an address the upstream verified and the provider is trusted for: whoever holds that
    /// mailbox could reset the password and learn as much, while an unverified address has shown nothing, so its page
    /// reveals nothing about the account beyond today's password form.
    /// </summary>
    public async Task<ProofOffer> OffersAsync(ExternalSignIn signIn, CancellationToken cancellationToken)
    {
        if (!signIn.ProofEmailVerified || signIn.CandidateUserId is not { } candidate)
        {
            return ProofOffer.PasswordOnly;
        }

        var linked = (await identities.ListByUserIdAsync(candidate, cancellationToken)).Select(i => i.ProviderId).ToHashSet();
        var offered = (await providers.ListAsync(enabledOnly: true, cancellationToken))
            .Where(p => p.Id != signIn.ProviderId && linked.Contains(p.Id))
            .Select(p => new SignInProvider(p.Name, p.DisplayName, p.AuthorizationOrigin()))
            .ToList();
        return new ProofOffer(offered, await passkeys.AnyForUserAsync(candidate, cancellationToken));
    }

    /// <summary>The proof page of <paramref name="signIn"/> with what it offers.</summary>
    public async Task<ExternalSignInOutcome> PageAsync(ExternalSignIn signIn, string providerName, ProofFailure failure, TimeSpan? retryAfter,
        CancellationToken cancellationToken) =>
        new ExternalSignInOutcome.ProveOwnership(signIn.Id, providerName, signIn.ProofEmail, failure, retryAfter, await OffersAsync(signIn, cancellationToken));

    /// <summary>
    /// A failed proof (a wrong password, a provider answer that is not a link of this account, a refused passkey): counted on
    /// the round trip, the page again while it lasts; after <see cref="ExternalSignIn.MaxProofAttempts"/> the round trip is void.
    /// What else the unit of work holds (an audit entry) is saved with the count.
    /// </summary>
    public async Task<ExternalSignInOutcome> FailedAsync(Guid signInId, string providerName, ProofFailure failure, TimeSpan? retryAfter,
        CancellationToken cancellationToken)
    {
        // Read again: a password or passkey check saved its own unit (the account's failure count) in between.
        if (await signIns.FindAsync(signInId, cancellationToken) is not { } signIn || signIn.CandidateUserId is null || signIn.ProvenAt is not null)
        {
            return new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid, providerName);
        }

        var now = clock.GetUtcNow();
        signIn.RecordFailedProof(now);
        var saved = await unitOfWork.SaveChangesAsync(cancellationToken) == SaveResult.Saved;
        return saved && signIn.ProofAttempts < ExternalSignIn.MaxProofAttempts && signIn.ProofExpiresAt > now
            ? await PageAsync(signIn, providerName, failure, retryAfter, cancellationToken)
            : new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid, providerName);
    }

    /// <summary>
    /// Proven with the password (and second factor), whose session is saved already: the link and the end of the proof stage
    /// in one save; a lost race (proven twice, or linked meanwhile) links nothing more.
    /// </summary>
    public async Task<ExternalSignInOutcome> LinkAsync(ExternalSignIn signIn, Guid userId, ExternalProvider provider,
        Authorization.AuthorizationRequest? authorization, PasswordSignInResult result, CancellationToken cancellationToken)
    {
        AddLink(signIn, userId, provider);
        return await unitOfWork.SaveChangesAsync(cancellationToken) switch
        {
            SaveResult.Saved => await LinkedAsync(signIn, userId, provider, authorization, result, cancellationToken),
            var lost => LostRace(lost, provider),
        };
    }

    /// <summary>
    /// Proven by a way that is a full sign-in of its own (a linked provider whose answer needs no local second factor, a passkey
    /// with user verification): the link, the end of the proof stage and the new session with <paramref name="methods"/> as
    /// its <c>amr</c> (RFC 8176 §2) in one save, with whatever else the unit holds (the passkey's counter, the provider link's
    /// last use). An account that cannot sign in now gets its page and nothing is saved.
    /// </summary>
    public async Task<ExternalSignInOutcome> LinkAndSignInAsync(AwaitingProof proof, Authorization.AuthorizationRequest? authorization,
        IReadOnlyList<string> methods, string? currentSessionHandle, SessionDevice device, CancellationToken cancellationToken)
    {
        AddLink(proof.SignIn, proof.Candidate.Id, proof.Provider);
        var (handle, save) = await passwords.StartSessionInOneSaveAsync(proof.Candidate, currentSessionHandle, device, methods, cancellationToken);
        return (handle, save) switch
        {
            ({ } started, SaveResult.Saved) => await LinkedAsync(proof.SignIn, proof.Candidate.Id, proof.Provider, authorization,
                new PasswordSignInResult(started, null), cancellationToken),
            (null, SaveResult.Saved) => new ExternalSignInOutcome.ErrorPage(FederationFailure.AccountCannotSignIn, proof.Provider.DisplayName),
            _ => LostRace(save, proof.Provider),
        };
    }

    private void AddLink(ExternalSignIn signIn, Guid userId, ExternalProvider provider)
    {
        var now = clock.GetUtcNow();
        signIn.Prove(now);
        identities.Add(ExternalIdentity.Link(Guid.NewGuid(), userId, provider.Id, signIn.ProofSubject!, signIn.ProofEmail, "linked", now));
    }

    private async Task<ExternalSignInOutcome> LinkedAsync(ExternalSignIn signIn, Guid userId, ExternalProvider provider,
        Authorization.AuthorizationRequest? authorization, PasswordSignInResult result, CancellationToken cancellationToken)
    {
        LogLinked(logger, provider.Name, userId);
        return await flow.ContinueAsync(signIn, authorization, result, cancellationToken);
    }

    private static ExternalSignInOutcome.ErrorPage LostRace(SaveResult save, ExternalProvider provider) =>
        new(save == SaveResult.UniquenessConflict ? FederationFailure.LinkedToAnotherAccount : FederationFailure.RoundTripInvalid, provider.DisplayName);

    [LoggerMessage(EventId = 3806, Level = LogLevel.Information, Message = "Security event federation_linked_after_proof: provider {Provider}, account {UserId}")]
    private static partial void LogLinked(ILogger logger, string provider, Guid userId);
}
