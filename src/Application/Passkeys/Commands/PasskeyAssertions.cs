using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using AuthService.Domain.Users;

namespace AuthService.Application.Passkeys.Commands;

/// <summary>
/// Verifies an assertion against the credential it names and records its use: a passwordless sign-in's, for both sign-in
/// pages (null for every refusal, each counted: throttle, lockout; and audited with its reason), and a second factor's.
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
    /// The passkey whose assertion passed with user verification, its counter and last use recorded but not yet saved (the
    /// session start saves it with the session, in one save); null when refused. With <paramref name="expectedUserId"/> (the
    /// allowCredentials named that account's passkeys only: a link proof), another account's passkey is refused as unknown
    /// and counted on the expected account (WebAuthn L3 §7.2 step 5: the relying party checks the credential is one it allowed).
    /// </summary>
    public async Task<Passkey?> VerifyAsync(string? assertionJson, byte[] challenge, string? remoteAddress, string? clientId, CancellationToken cancellationToken,
        Guid? expectedUserId = null)
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

        var (accepted, refusal) = await CheckAsync(assertionJson, challenge, passkey, requireUserVerification: true, clientId, cancellationToken);
        return accepted ?? await RefuseAsync(passkey.UserId, refusal!, remoteAddress, clientId, cancellationToken);
    }

    /// <summary>
    /// The assertion of a passkey asked for as the second factor of <paramref name="pending"/>'s sign-in: the ceremony must be
    /// the one begun for that pending sign-in (and its user), and the credential one of that user's (allowCredentials named
    /// them; WebAuthn L3 §7.2 step 5 has the relying party check it again). User verification is not required: the password
    /// was the first factor (docs/adr/0035). Nothing is counted or saved here: the caller counts a refusal on the pending
    /// sign-in as it does a wrong code, and saves an accepted use with the spent pending sign-in.
    /// </summary>
    public async Task<(Passkey? Accepted, string? Refusal)> CheckSecondFactorAsync(
        string? assertionJson, PasskeyCeremony? ceremony, Domain.Sessions.PendingSignIn pending, CancellationToken cancellationToken)
    {
        if (ceremony is null || ceremony.Kind != PasskeyCeremony.SecondFactor || ceremony.PendingSignInId != pending.Id || ceremony.UserId != pending.UserId)
        {
            return (null, "passkey_ceremony_void");
        }

        var credentialId = webAuthn.CredentialIdOf(assertionJson);
        var passkey = credentialId is null ? null : await passkeys.FindByCredentialIdAsync(credentialId, cancellationToken);
        if (passkey is null || passkey.UserId != pending.UserId)
        {
            return (null, "unknown_passkey");
        }

        return await CheckAsync(assertionJson, ceremony.Challenge, passkey, requireUserVerification: false, pending.ClientId, cancellationToken);
    }

    /// <summary>
    /// WebAuthn L3 §7.2 against <paramref name="passkey"/>'s public key, then the counter and flags (steps 21-22): the passkey
    /// with its use recorded (unsaved), or the audit reason of the refusal (a possible clone is audited too).
    /// </summary>
    private async Task<(Passkey? Accepted, string? Refusal)> CheckAsync(
        string? assertionJson, byte[] challenge, Passkey passkey, bool requireUserVerification, string? clientId, CancellationToken cancellationToken)
    {
        var verified = await webAuthn.VerifyAssertionAsync(assertionJson, challenge, passkey, requireUserVerification, cancellationToken);
        if (verified is null)
        {
            return (null, "wrong_passkey_assertion");
        }

        var check = passkey.RecordUse(verified.SignCount, verified.BackupEligible, verified.BackedUp, clock.GetUtcNow());
        if (check != PasskeyAssertionCheck.Accepted)
        {
            // WebAuthn L3 §7.2 step 22 leaves the response to the relying party: refused and audited, never a session.
            audit.Record(new AuditRecord(check == PasskeyAssertionCheck.CounterRegressed ? "user.passkey_clone_suspected" : "user.passkey_flags_changed",
                AuditEvents.User, passkey.UserId.ToString(), clientId,
                new Dictionary<string, string?>(StringComparer.Ordinal) { ["passkey_id"] = passkey.Id.ToString() }, AuditActor.User(passkey.UserId)));
            return (null, check == PasskeyAssertionCheck.CounterRegressed ? "passkey_counter_regressed" : "passkey_flags_changed");
        }

        return (passkey, null);
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
