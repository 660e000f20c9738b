using System.Security.Cryptography;
using System.Text;
using AuthService.Domain.Common;
using AuthService.Domain.SecondFactors.Events;

namespace AuthService.Domain.SecondFactors;

/// <summary>
/// A person's second factors: one TOTP authenticator (RFC 6238) and a set of backup codes. The TOTP secret is held
/// only encrypted under the server's key-encryption key, as signing keys are; the backup codes only as SHA-256.
/// The authenticator is pending from <see cref="BeginTotp"/> until a typed code confirms it (so a mistyped or
/// unscanned secret never locks the person out); only a confirmed authenticator is a second factor. Every accepted
/// TOTP code moves <see cref="LastAcceptedTimeStep"/> forward and codes of that step or earlier are refused, so a code
/// is accepted once (RFC 6238 §5.2; ASVS 6.5.1). Backup codes exist only beside a confirmed authenticator, each
/// accepted once; a new set replaces the old. A refused code is an outcome value (<see cref="SecondFactorCheck"/>);
/// a transition that does not apply in the current state throws <see cref="DomainRuleViolationException"/>.
/// </summary>
public sealed class SecondFactorEnrolment : AggregateRoot
{
    public const string TotpMethod = "totp";

    /// <summary>Removal reasons, for the audit log.</summary>
    public const string RemovedBySelf = "self";

    public const string RemovedByAdministrator = "admin_reset";

    private List<string> _backupCodeHashes = [];

    private SecondFactorEnrolment()
    {
    }

    /// <summary>The user's id: one enrolment per user.</summary>
    public Guid UserId { get; private set; }

    /// <summary>The TOTP secret (160 bits), encrypted with the key-encryption key named by <see cref="KeyEncryptionKeyId"/>.</summary>
    public byte[]? ProtectedTotpSecret { get; private set; }

    public string? KeyEncryptionKeyId { get; private set; }

    public DateTimeOffset? TotpStartedAt { get; private set; }

    public DateTimeOffset? TotpConfirmedAt { get; private set; }

    /// <summary>The time step of the last accepted TOTP code; that step and earlier ones are refused (RFC 6238 §5.2).</summary>
    public long? LastAcceptedTimeStep { get; private set; }

    public DateTimeOffset? BackupCodesGeneratedAt { get; private set; }

    /// <summary>The SHA-256 (base64url) of each unused backup code.</summary>
    public IReadOnlyList<string> BackupCodeHashes => _backupCodeHashes;

    public bool HasPendingTotp => ProtectedTotpSecret is not null && TotpConfirmedAt is null;

    /// <summary>A confirmed authenticator: the account signs in with two factors.</summary>
    public bool IsActive => ProtectedTotpSecret is not null && TotpConfirmedAt is not null;

    public static SecondFactorEnrolment For(Guid userId)
    {
        Guard.Against(userId == Guid.Empty, "user", "Second factors belong to a user.");
        return new SecondFactorEnrolment { UserId = userId };
    }

    /// <summary>Starts (or restarts) enrolling an authenticator with a new encrypted secret; not while one is confirmed (remove it first).</summary>
    public void BeginTotp(byte[] protectedSecret, string keyEncryptionKeyId, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(IsActive, "totp", "An authenticator is already confirmed; remove it before enrolling another.");
        Guard.Against(protectedSecret is not { Length: > 0 }, "totp", "The protected TOTP secret is required.");
        Guard.Against(string.IsNullOrWhiteSpace(keyEncryptionKeyId), "kek", "The key-encryption key id is required.");
        ProtectedTotpSecret = protectedSecret;
        KeyEncryptionKeyId = keyEncryptionKeyId;
        TotpStartedAt = now;
        TotpConfirmedAt = null;
        LastAcceptedTimeStep = null;
    }

    /// <summary>Confirms the pending authenticator with a typed code; the code's step counts as used.</summary>
    public SecondFactorCheck ConfirmTotp(string? code, ITotpCodes codes, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(!HasPendingTotp, "totp", "No authenticator is waiting for confirmation.");
        var check = Accept(code, codes, now);
        if (check == SecondFactorCheck.Accepted)
        {
            TotpConfirmedAt = now;
            Raise(new SecondFactorEnrolled(UserId, TotpMethod, now));
        }

        return check;
    }

    /// <summary>Checks a TOTP code of the confirmed authenticator: accepted once, within one step of drift either side.</summary>
    public SecondFactorCheck UseTotp(string? code, ITotpCodes codes, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        return IsActive ? Accept(code, codes, now) : SecondFactorCheck.Rejected;
    }

    /// <summary>Spends a backup code: accepted once (the hash is removed), compared in constant time.</summary>
    public SecondFactorCheck UseBackupCode(string? code, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!IsActive || !BackupCodes.IsWellFormed(code))
        {
            return SecondFactorCheck.Rejected;
        }

        var typed = Encoding.ASCII.GetBytes(BackupCodes.HashOf(code!));
        string? match = null;
        foreach (var stored in _backupCodeHashes)
        {
            // Every stored hash is compared, so the time taken does not tell which position matched.
            if (CryptographicOperations.FixedTimeEquals(typed, Encoding.ASCII.GetBytes(stored)))
            {
                match = stored;
            }
        }

        if (match is null)
        {
            return SecondFactorCheck.Rejected;
        }

        _backupCodeHashes.Remove(match);
        Raise(new BackupCodeUsed(UserId, _backupCodeHashes.Count, now));
        return SecondFactorCheck.Accepted;
    }

    /// <summary>A new set of backup codes (their hashes); every old code dies. Only beside a confirmed authenticator.</summary>
    public void RegenerateBackupCodes(IReadOnlyList<string> codeHashes, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(!IsActive, "backup_codes", "Backup codes need a confirmed authenticator.");
        Guard.Against(codeHashes.Count != BackupCodes.Count || codeHashes.Distinct(StringComparer.Ordinal).Count() != BackupCodes.Count
            || codeHashes.Any(h => h is not { Length: OpaqueToken.HashLength }),
            "backup_codes", $"A set is {BackupCodes.Count} distinct SHA-256 hashes.");
        _backupCodeHashes = [.. codeHashes];
        BackupCodesGeneratedAt = now;
        Raise(new BackupCodesRegenerated(UserId, codeHashes.Count, now));
    }

    /// <summary>Removes the authenticator and the backup codes; false when there was nothing to remove.</summary>
    public bool Remove(string reason, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(string.IsNullOrWhiteSpace(reason), "reason", "A reason is required.");
        if (ProtectedTotpSecret is null && _backupCodeHashes.Count == 0)
        {
            return false;
        }

        var wasActive = IsActive;
        ProtectedTotpSecret = null;
        KeyEncryptionKeyId = null;
        TotpStartedAt = null;
        TotpConfirmedAt = null;
        LastAcceptedTimeStep = null;
        BackupCodesGeneratedAt = null;
        _backupCodeHashes = [];
        if (wasActive)
        {
            Raise(new SecondFactorRemoved(UserId, reason, now));
        }
        else
        {
            // A pending authenticator was never a factor: it is discarded without an audit event, but saved as a change.
            Raise(new PendingTotpDiscarded(UserId, now));
        }

        return true;
    }

    /// <summary>
    /// RFC 6238 §5.2: the steps one either side of now, newest first; a step at or before the last accepted one is
    /// never accepted again. Each candidate is compared in constant time, and every candidate is compared, so timing tells nothing about the code.
    /// </summary>
    private SecondFactorCheck Accept(string? code, ITotpCodes codes, DateTimeOffset now)
    {
        if (!Totp.IsWellFormed(code))
        {
            return SecondFactorCheck.Rejected;
        }

        var current = Totp.TimeStepAt(now);
        var typed = Encoding.ASCII.GetBytes(code!);
        long? matched = null;
        for (var step = current + Totp.AllowedDriftSteps; step >= current - Totp.AllowedDriftSteps; step--)
        {
            if (CryptographicOperations.FixedTimeEquals(typed, Encoding.ASCII.GetBytes(codes.CodeAt(step))) && matched is null)
            {
                matched = step;
            }
        }

        if (matched is not { } accepted)
        {
            return SecondFactorCheck.Rejected;
        }

        if (LastAcceptedTimeStep is { } last && accepted <= last)
        {
            return SecondFactorCheck.Replayed;
        }

        LastAcceptedTimeStep = accepted;
        Raise(new TotpCodeAccepted(UserId, accepted, now));
        return SecondFactorCheck.Accepted;
    }
}
