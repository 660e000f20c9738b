using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Passkeys.Commands;

/// <summary>Starts a passwordless sign-in: a ceremony with no user and no allowCredentials (discoverable credentials), user verification required.</summary>
public sealed record BeginPasskeySignIn : IRequest<BegunCeremony>;

public sealed class BeginPasskeySignInHandler(PasskeyCeremonies ceremonies, IWebAuthn webAuthn, IUnitOfWork unitOfWork)
    : IRequestHandler<BeginPasskeySignIn, BegunCeremony>
{
    public async Task<BegunCeremony> Handle(BeginPasskeySignIn request, CancellationToken cancellationToken)
    {
        var (handle, challenge) = ceremonies.Begin(PasskeyCeremony.SignIn, userId: null);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new BegunCeremony(handle, webAuthn.RequestOptions(challenge, [], requireUserVerification: true));
    }
}

/// <summary>The authenticator's assertion for a passwordless sign-in; <paramref name="ClientId"/> names the client in the audit log.</summary>
public sealed record SignInWithPasskey(
    string? CeremonyHandle, string? AssertionJson, string? CurrentSessionHandle, string? RemoteAddress, string? UserAgent, string? ClientId = null)
    : IRequest<PasswordSignInResult>
{
    public override string ToString() => "SignInWithPasskey { (handles redacted) }";
}

/// <summary>
/// A passwordless sign-in (WebAuthn L3 §7.2): the ceremony is spent first, the credential the assertion names is looked
/// up, the assertion verified with user verification required, then the counter checked by the <see cref="Passkey"/>. A
/// failure counts toward the address's throttle and, once the credential names an account, the account's lockout, as a
/// wrong password does; a counter that did not grow is audited as a possible clone. Success starts the session through
/// <see cref="PasswordSignIn.StartSessionAsync"/> (a new handle, ASVS 7.2.4) with <c>amr</c> hwk or swk, user and mfa.
/// </summary>
public sealed partial class SignInWithPasskeyHandler(
    PasskeyCeremonies ceremonies,
    PasskeyAssertions assertions,
    PasswordSignIn passwords,
    ILoginThrottle throttle,
    ILogger<SignInWithPasskeyHandler> logger) : IRequestHandler<SignInWithPasskey, PasswordSignInResult>
{
    public async Task<PasswordSignInResult> Handle(SignInWithPasskey request, CancellationToken cancellationToken)
    {
        if (throttle.RetryAfter(request.RemoteAddress) is { } wait)
        {
            return new PasswordSignInResult(null, wait);
        }

        var ceremony = await ceremonies.SpendAsync(request.CeremonyHandle, PasskeyCeremony.SignIn, cancellationToken);
        var passkey = ceremony is null
            ? null
            : await assertions.VerifyAsync(request.AssertionJson, ceremony.Challenge, expectedUserId: null, requireUserVerification: true,
                request.RemoteAddress, request.ClientId, cancellationToken);
        if (passkey is null)
        {
            LogFailed(logger, request.ClientId, request.RemoteAddress);
            return new PasswordSignInResult(null, null);
        }

        var handle = await passwords.StartSessionAsync(passkey.UserId, upgradedHash: null, request.CurrentSessionHandle,
            SessionDevice.Of(request.UserAgent, request.RemoteAddress), PasskeyMethods.Passwordless(passkey.KeyMethod), cancellationToken);
        if (handle is not null)
        {
            PasswordSignIn.LogSignedIn(logger, passkey.UserId, request.ClientId);
        }

        return new PasswordSignInResult(handle, null);
    }

    [LoggerMessage(EventId = 3602, Level = LogLevel.Warning, Message = "Security event login_passkey_failed: for client {ClientId} from {RemoteAddress}")]
    private static partial void LogFailed(ILogger logger, string? clientId, string? remoteAddress);
}

/// <summary>
/// Verifies an assertion against the credential it names and records its use; shared by the passwordless sign-in and the
/// second step. Null for every refusal, each counted (throttle, lockout) and audited with its reason.
/// </summary>
public sealed class PasskeyAssertions(
    IPasskeyRepository passkeys,
    IUserRepository users,
    IWebAuthn webAuthn,
    ILoginThrottle throttle,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock)
{
    /// <summary>
    /// The passkey whose assertion passed, its counter and last use recorded but not yet saved (the session start saves it
    /// with the session, in one save); null when refused. With <paramref name="expectedUserId"/>, the credential must be that
    /// person's (the second step): another person's passkey is refused.
    /// </summary>
    public async Task<Passkey?> VerifyAsync(string? assertionJson, byte[] challenge, Guid? expectedUserId, bool requireUserVerification,
        string? remoteAddress, string? clientId, CancellationToken cancellationToken)
    {
        var credentialId = webAuthn.CredentialIdOf(assertionJson);
        var passkey = credentialId is null ? null : await passkeys.FindByCredentialIdAsync(credentialId, cancellationToken);
        if (passkey is null || (expectedUserId is { } expected && passkey.UserId != expected))
        {
            return await RefuseAsync(expectedUserId, "unknown_passkey", remoteAddress, clientId, cancellationToken);
        }

        var user = await users.FindByIdAsync(passkey.UserId, cancellationToken);
        var now = clock.GetUtcNow();
        if (user is null || user.Disabled || user.IsLockedOut(now))
        {
            return await RefuseAsync(passkey.UserId, user is null ? "unknown_user" : user.Disabled ? "disabled" : "locked_out", remoteAddress, clientId,
                cancellationToken, countOnAccount: false);
        }

        var verified = await webAuthn.VerifyAssertionAsync(assertionJson, challenge, passkey, requireUserVerification, cancellationToken);
        if (verified is null)
        {
            return await RefuseAsync(passkey.UserId, "wrong_passkey_assertion", remoteAddress, clientId, cancellationToken);
        }

        var check = passkey.RecordUse(verified.SignCount, verified.BackupEligible, verified.BackedUp, now);
        if (check != PasskeyAssertionCheck.Accepted)
        {
            // WebAuthn L3 §7.2 step 22 leaves the response to the relying party: refused and audited, never a session.
            audit.Record(new AuditRecord(check == PasskeyAssertionCheck.CounterRegressed ? "user.passkey_clone_suspected" : "user.passkey_flags_changed",
                AuditEvents.User, passkey.UserId.ToString(), clientId,
                new Dictionary<string, string?>(StringComparer.Ordinal) { ["passkey_id"] = passkey.Id.ToString() }, AuditActor.User(passkey.UserId)));
            return await RefuseAsync(passkey.UserId, check == PasskeyAssertionCheck.CounterRegressed ? "passkey_counter_regressed" : "passkey_flags_changed",
                remoteAddress, clientId, cancellationToken);
        }

        return passkey;
    }

    private async Task<Passkey?> RefuseAsync(Guid? userId, string reason, string? remoteAddress, string? clientId, CancellationToken cancellationToken,
        bool countOnAccount = true)
    {
        throttle.RecordFailure(remoteAddress);
        audit.Record(AuditEvents.SignInFailed(userId, reason, clientId));
        if (countOnAccount && userId is { } id && await users.FindByIdAsync(id, cancellationToken) is { } user)
        {
            user.RecordFailedLogin(clock.GetUtcNow(), LockoutPolicy.Default);
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return null;
    }
}
