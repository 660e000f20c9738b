using AuthService.Application.Audit;
using AuthService.Application.Authorization;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Federation.Commands.CompleteExternalSignIn;

/// <summary>
/// The upstream's answer on <paramref name="Provider"/>'s callback (GET query or Apple's form POST): every parameter, and
/// the browser's binding cookie.
/// </summary>
public sealed record CompleteExternalSignIn(
    string? Provider,
    IReadOnlyDictionary<string, string> Parameters,
    string? Binding,
    string? CurrentSessionHandle,
    string? RemoteAddress,
    string? UserAgent) : IRequest<ExternalSignInOutcome>
{
    /// <summary>Never the code, the state or the binding.</summary>
    public override string ToString() => $"CompleteExternalSignIn {{ Provider = {Provider} }}";
}

/// <summary>
/// docs/adr/0037 "The flow". The round trip is found by the SHA-256 of <c>state</c> and must be this provider's (mix-up,
/// RFC 9700 §4.4), this browser's (the binding cookie: RFC 6749 §10.12, RFC 9700 §4.7), unexpired and unused; anything
/// else is one error page and nothing is written. It is spent in its own save before the upstream is asked, so a replayed
/// answer (or two racing ones) finds it used. A refusal of the upstream is audited as a failed sign-in with its reason.
/// Then the account: a linked identity signs in (a disabled or locked account is refused as the password form refuses it);
/// a link from the account page is made unless the identity is another account's; otherwise the allowed domains, then an
/// account with the same address waits for proof (never linked on the address alone), else a new account when the provider
/// provisions. The account, its link and its session are one save. The session's amr is <c>fed</c> and the upstream's
/// (RFC 8176 §2); an account with a second factor is asked for it unless the upstream said <c>mfa</c>.
/// </summary>
public sealed partial class CompleteExternalSignInHandler(
    IExternalProviderRepository providers,
    IExternalSignInRepository signIns,
    IExternalIdentityRepository identities,
    IEnumerable<IUpstreamProtocol> protocols,
    IUserRepository users,
    IUserSessionRepository sessions,
    FederatedSignIn flow,
    LinkProof proofs,
    SecondFactorStep secondFactor,
    PasswordSignIn passwords,
    IUnitOfWork unitOfWork,
    IAuditTrail audit,
    IIssuerProvider issuer,
    TimeProvider clock,
    ILogger<CompleteExternalSignInHandler> logger) : IRequestHandler<CompleteExternalSignIn, ExternalSignInOutcome>
{
    /// <summary>The most usernames tried for a provisioned account (<c>{provider}-{n}</c>) before a random suffix.</summary>
    private const int UsernameAttempts = 20;

    public async Task<ExternalSignInOutcome> Handle(CompleteExternalSignIn request, CancellationToken cancellationToken)
    {
        var invalid = new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid);
        if (!ExternalProvider.IsValidName(request.Provider)
            || await providers.FindByNameAsync(request.Provider!, cancellationToken) is not { Enabled: true } provider
            || protocols.FirstOrDefault(p => p.Protocol == provider.Protocol) is not { } protocol)
        {
            return new ExternalSignInOutcome.ErrorPage(FederationFailure.UnknownProvider);
        }

        var now = clock.GetUtcNow();
        if (!request.Parameters.TryGetValue("state", out var state) || state is not { Length: OpaqueToken.HashLength }
            || await signIns.FindByStateHashAsync(OpaqueToken.HashOf(state), cancellationToken) is not { } signIn
            || !signIn.AcceptsCallback(provider.Id, request.Binding is null ? null : OpaqueToken.HashOf(request.Binding), now))
        {
            LogRoundTripRefused(logger, provider.Name, request.RemoteAddress);
            return invalid;
        }

        signIn.Complete(now);
        if (await unitOfWork.SaveChangesAsync(cancellationToken) != SaveResult.Saved)
        {
            return invalid;
        }

        var (authorization, refusal) = await flow.AuthorizationOfAsync(signIn, cancellationToken);
        var clientId = authorization?.Client.ClientId;
        var answer = await protocol.CompleteAsync(provider,
            new UpstreamCallback(request.Parameters, new Uri(issuer.Issuer + FederationPaths.Callback(provider.Name)), signIn.Nonce, signIn.CodeVerifier),
            cancellationToken);
        if (answer is not UpstreamOutcome.Authenticated { Identity: var identity } || !ExternalIdentity.IsValidSubject(identity.Subject))
        {
            var refused = answer as UpstreamOutcome.Refused;
            return await FailAsync(null, "upstream_" + (refused?.Reason ?? "invalid_subject"), clientId, provider,
                refused switch
                {
                    { Declined: true } => FederationFailure.Declined,
                    { Unavailable: true } => FederationFailure.Unavailable,
                    _ => FederationFailure.UpstreamRefused,
                }, cancellationToken);
        }

        if (refusal is not null)
        {
            return refusal;
        }

        var link = await identities.FindAsync(provider.Id, identity.Subject, cancellationToken);
        if (signIn.Purpose == ExternalSignInPurpose.Proof)
        {
            return await ProveByLinkedProviderAsync(signIn, provider, identity, link, request, now, cancellationToken);
        }

        if (signIn.Purpose == ExternalSignInPurpose.Link)
        {
            return await LinkToSignedInAccountAsync(signIn, provider, identity, link, now, cancellationToken);
        }

        var methods = FederatedSignIn.MethodsOf(identity);
        var start = new SessionStart(signIn, authorization, clientId, methods, request);
        if (link is not null)
        {
            return await SignInLinkedAsync(link, identity, provider, start, now, cancellationToken);
        }

        // An address counts as verified here only when the upstream verified it and the provider is trusted for that (docs/adr/0037).
        var trusted = identity.Email is not null && identity.EmailVerified && provider.TrustEmailVerified;
        if (provider.AllowedEmailDomains.Count > 0 && !(trusted && provider.AllowsEmailDomain(identity.Email)))
        {
            return await FailAsync(null, "email_domain_not_allowed", clientId, provider, FederationFailure.DomainNotAllowed, cancellationToken);
        }

        if (identity.Email is { Length: > 0 and <= User.MaxEmailLength } email
            && await users.FindByNormalizedEmailAsync(User.Normalize(email), cancellationToken) is { } candidate)
        {
            // Verified or not, the address alone never links: the person proves they own the account first.
            signIn.AwaitProof(candidate.Id, identity.Subject, email, trusted, identity.Name, FederatedSignIn.UpstreamMethods(identity.Methods), now);
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
            LogProofAsked(logger, provider.Name, candidate.Id);
            return await proofs.PageAsync(signIn, provider.DisplayName, ProofFailure.None, null, cancellationToken);
        }

        if (!provider.AutoProvision)
        {
            return await FailAsync(null, "no_linked_account", clientId, provider, FederationFailure.NoAccount, cancellationToken);
        }

        return await ProvisionAsync(provider, identity, trusted, start, now, cancellationToken);
    }

    /// <summary>What starting the session needs besides the account.</summary>
    private sealed record SessionStart(ExternalSignIn SignIn, AuthorizationRequest? Authorization, string? ClientId, IReadOnlyList<string> Methods,
        CompleteExternalSignIn Request);

    private async Task<ExternalSignInOutcome> SignInLinkedAsync(ExternalIdentity link, UpstreamIdentity identity, ExternalProvider provider, SessionStart start,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(link.UserId, cancellationToken);
        if (user is null || user.Disabled || user.IsLockedOut(now))
        {
            return await FailAsync(user?.Id, user is { Disabled: true } ? "disabled" : "locked_out", start.ClientId, provider,
                FederationFailure.AccountCannotSignIn, cancellationToken);
        }

        link.RecordSignIn(identity.Email, now);
        if (FederatedSignIn.NeedsLocalSecondFactor(await secondFactor.IsRequiredForAsync(user.Id, cancellationToken), start.Methods))
        {
            var pending = secondFactor.Begin(user, start.ClientId, now, start.Methods);
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
            return await flow.ContinueAsync(start.SignIn, start.Authorization, new PasswordSignInResult(null, null, pending), cancellationToken);
        }

        var handle = await passwords.StartSessionAsync(user.Id, upgradedHash: null, start.Request.CurrentSessionHandle,
            SessionDevice.Of(start.Request.UserAgent, start.Request.RemoteAddress), start.Methods, cancellationToken);
        return await SignedInAsync(handle, user.Id, provider, start, cancellationToken);
    }

    /// <summary>
    /// A new account for the upstream person (username: the address when free, else <c>{provider}-{n}</c>; no password; the
    /// address verified only when trusted), its link (how=provisioned) and its session: one save.
    /// </summary>
    private async Task<ExternalSignInOutcome> ProvisionAsync(ExternalProvider provider, UpstreamIdentity identity, bool trusted, SessionStart start,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var profile = ProfileOf(await UsernameForAsync(provider.Name, identity.Email, cancellationToken), identity, trusted);
        var user = User.Register(Guid.NewGuid(), profile, passwordHash: null, SecurityStamp.New(), now);
        users.Add(user);
        identities.Add(ExternalIdentity.Link(Guid.NewGuid(), user.Id, provider.Id, identity.Subject, identity.Email, "provisioned", now));
        var handle = await passwords.StartProvisionedSessionAsync(user, start.Request.CurrentSessionHandle,
            SessionDevice.Of(start.Request.UserAgent, start.Request.RemoteAddress), start.Methods, cancellationToken);
        if (handle is null)
        {
            // A concurrent first sign-in of the same person (or the username taken meanwhile): nothing of this one was stored.
            return new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid, provider.DisplayName);
        }

        LogProvisioned(logger, provider.Name, user.Id);
        return await SignedInAsync(handle, user.Id, provider, start, cancellationToken);
    }

    private async Task<ExternalSignInOutcome> SignedInAsync(string? handle, Guid userId, ExternalProvider provider, SessionStart start, CancellationToken cancellationToken)
    {
        if (handle is null)
        {
            return new ExternalSignInOutcome.ErrorPage(FederationFailure.AccountCannotSignIn, provider.DisplayName);
        }

        PasswordSignIn.LogSignedIn(logger, userId, start.ClientId);
        return await flow.ContinueAsync(start.SignIn, start.Authorization, new PasswordSignInResult(handle, null), cancellationToken);
    }

    /// <summary>
    /// docs/adr/0037 "Proof by a linked provider or a passkey": this round trip was started from the proof page of
    /// <paramref name="proofRound"/>'s round trip R (which must still await proof in this browser). The upstream person must be
    /// an existing link of R's candidate account, else the proof fails, counted on R (audited <c>link_proof_not_linked</c>).
    /// Proven: R's link and the end of R's proof stage are saved with the session (amr <c>fed</c> and this upstream's values),
    /// and the sign-in continues where R was started; unless the account's own second factor is due (the upstream did not
    /// say <c>mfa</c>, the rule <see cref="FederatedSignIn.NeedsLocalSecondFactor"/> applies to every upstream sign-in): then
    /// the proof page's second step asks for it, and the link is made only once it is in.
    /// </summary>
    private async Task<ExternalSignInOutcome> ProveByLinkedProviderAsync(ExternalSignIn proofRound, ExternalProvider provider, UpstreamIdentity identity,
        ExternalIdentity? link, CompleteExternalSignIn request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await proofs.FindAsync(proofRound.ProvesSignInId, request.Binding, cancellationToken) is not { } proof)
        {
            return new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid, provider.DisplayName);
        }

        var (authorization, refusal) = await flow.AuthorizationOfAsync(proof.SignIn, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var clientId = authorization?.Client.ClientId;
        if (link is null || link.UserId != proof.Candidate.Id)
        {
            audit.Record(AuditEvents.SignInFailed(proof.Candidate.Id, "link_proof_not_linked", clientId));
            LogUpstreamFailed(logger, provider.Name, "link_proof_not_linked");
            return await proofs.FailedAsync(proof.SignIn.Id, proof.Provider.DisplayName, ProofFailure.OtherWay, null, cancellationToken);
        }

        var user = proof.Candidate;
        if (user.Disabled || user.IsLockedOut(now))
        {
            return await FailAsync(user.Id, user.Disabled ? "disabled" : "locked_out", clientId, provider, FederationFailure.AccountCannotSignIn, cancellationToken);
        }

        link.RecordSignIn(identity.Email, now);
        var methods = FederatedSignIn.MethodsOf(identity);
        if (FederatedSignIn.NeedsLocalSecondFactor(await secondFactor.IsRequiredForAsync(user.Id, cancellationToken), methods))
        {
            var pending = secondFactor.Begin(user, clientId, now, methods);
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
            return new ExternalSignInOutcome.ProveSecondFactor(proof.SignIn.Id, proof.Provider.DisplayName, pending, Failed: false, RetryAfter: null);
        }

        return await proofs.LinkAndSignInAsync(proof, authorization, methods, request.CurrentSessionHandle,
            SessionDevice.Of(request.UserAgent, request.RemoteAddress), cancellationToken);
    }

    /// <summary>The account page's "link": to the account signed in at the challenge, while that session is still good.</summary>
    private async Task<ExternalSignInOutcome> LinkToSignedInAccountAsync(ExternalSignIn signIn, ExternalProvider provider, UpstreamIdentity identity,
        ExternalIdentity? existing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (existing is not null)
        {
            return existing.UserId == signIn.LinkUserId
                ? new ExternalSignInOutcome.Linked(provider.DisplayName)
                : new ExternalSignInOutcome.ErrorPage(FederationFailure.LinkedToAnotherAccount, provider.DisplayName);
        }

        // The session that asked for the link must still be good (not signed out, its credentials unchanged since).
        var user = await users.FindByIdAsync(signIn.LinkUserId!.Value, cancellationToken);
        if (user is null || user.Disabled || await sessions.FindAsync(signIn.LinkSessionId!.Value, cancellationToken) is not { } session
            || session.UserId != user.Id || !session.IsActive(now, user.SecurityStamp))
        {
            return new ExternalSignInOutcome.ErrorPage(FederationFailure.NotSignedIn, provider.DisplayName);
        }

        identities.Add(ExternalIdentity.Link(Guid.NewGuid(), user.Id, provider.Id, identity.Subject, identity.Email, "linked", now));
        return await unitOfWork.SaveChangesAsync(cancellationToken) switch
        {
            SaveResult.Saved => new ExternalSignInOutcome.Linked(provider.DisplayName),
            SaveResult.UniquenessConflict => new ExternalSignInOutcome.ErrorPage(FederationFailure.LinkedToAnotherAccount, provider.DisplayName),
            _ => new ExternalSignInOutcome.ErrorPage(FederationFailure.RoundTripInvalid, provider.DisplayName),
        };
    }

    private async Task<ExternalSignInOutcome> FailAsync(Guid? userId, string reason, string? clientId, ExternalProvider provider, FederationFailure failure,
        CancellationToken cancellationToken)
    {
        audit.Record(AuditEvents.SignInFailed(userId, reason.Length > 64 ? reason[..64] : reason, clientId));
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        LogUpstreamFailed(logger, provider.Name, reason);
        return new ExternalSignInOutcome.ErrorPage(failure, provider.DisplayName);
    }

    /// <summary>The address as the username when it is free and a valid username, else <c>{provider}-{n}</c>, the first free one.</summary>
    private async Task<string> UsernameForAsync(string providerName, string? email, CancellationToken cancellationToken)
    {
        if (email is { Length: > 0 and <= User.MaxUsernameLength } && IsValid(() => User.ValidateUsername(email))
            && await users.FindByNormalizedUsernameAsync(User.Normalize(email), cancellationToken) is null)
        {
            return email;
        }

        for (var n = 1; n <= UsernameAttempts; n++)
        {
            var candidate = $"{providerName}-{n}";
            if (await users.FindByNormalizedUsernameAsync(User.Normalize(candidate), cancellationToken) is null)
            {
                return candidate;
            }
        }

        return $"{providerName}-{OpaqueToken.New()[..12]}";
    }

    /// <summary>The upstream's address and name as far as this server's rules take them (an address it cannot store is left out).</summary>
    private static UserProfile ProfileOf(string username, UpstreamIdentity identity, bool trusted)
    {
        var name = identity.Name is { Length: <= User.MaxNameLength } n && !n.Any(char.IsControl) ? n : null;
        var profile = new UserProfile(username, identity.Email, trusted, name);
        return IsValid(() => User.ValidateProfile(profile)) ? profile : new UserProfile(username, null, false, name);
    }

    private static bool IsValid(Action check)
    {
        try
        {
            check();
            return true;
        }
        catch (DomainRuleViolationException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3802, Level = LogLevel.Warning, Message = "Security event federation_callback_refused: provider {Provider} from {RemoteAddress} (no usable round trip for this state and browser)")]
    private static partial void LogRoundTripRefused(ILogger logger, string provider, string? remoteAddress);

    [LoggerMessage(EventId = 3803, Level = LogLevel.Warning, Message = "Security event federation_failed: provider {Provider}, reason {Reason}")]
    private static partial void LogUpstreamFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 3804, Level = LogLevel.Information, Message = "Security event federation_proof_required: provider {Provider}, account {UserId}")]
    private static partial void LogProofAsked(ILogger logger, string provider, Guid userId);

    [LoggerMessage(EventId = 3805, Level = LogLevel.Information, Message = "Security event federation_provisioned: provider {Provider}, account {UserId}")]
    private static partial void LogProvisioned(ILogger logger, string provider, Guid userId);
}
