using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using AuthService.Domain.Users;

namespace AuthService.Application.Passkeys.Commands;

/// <summary>
/// Verifies a passwordless sign-in's assertion against the credential it names and records its use, for both sign-in
/// pages. Null for every refusal, each counted (throttle, lockout) and audited with its reason.
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
    /// session start saves it with the session, in one save); null when refused.
    /// </summary>
    public async Task<Passkey?> VerifyAsync(string? assertionJson, byte[] challenge, string? remoteAddress, string? clientId, CancellationToken cancellationToken)
    {
        var credentialId = webAuthn.CredentialIdOf(assertionJson);
        var passkey = credentialId is null ? null : await passkeys.FindByCredentialIdAsync(credentialId, cancellationToken);
        if (passkey is null)
        {
            return await RefuseAsync(null, "unknown_passkey", remoteAddress, clientId, cancellationToken);
        }

        var user = await users.FindByIdAsync(passkey.UserId, cancellationToken);
        var now = clock.GetUtcNow();
        if (user is null || user.Disabled || user.IsLockedOut(now))
        {
            return await RefuseAsync(passkey.UserId, user is null ? "unknown_user" : user.Disabled ? "disabled" : "locked_out", remoteAddress, clientId,
                cancellationToken, countOnAccount: false);
        }

        var verified = await webAuthn.VerifyAssertionAsync(assertionJson, challenge, passkey, requireUserVerification: true, cancellationToken);
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
