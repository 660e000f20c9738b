using AuthService.Domain.Common;
using AuthService.Domain.Passkeys.Events;

namespace AuthService.Domain.Passkeys;

/// <summary>
/// One WebAuthn public key credential (a passkey) of a person; a person may hold several. The credential id is unique
/// server-wide (a unique index backs it), the public key is the COSE_Key (RFC 9052 §7) the authenticator returned at
/// registration, and the signature counter follows WebAuthn Level 3 §6.1.1 and §7.2 step 22: when the stored or the
/// presented counter is non-zero, the presented one must be greater than the stored one, otherwise the authenticator
/// may have been cloned: the assertion is refused (the caller audits it as a suspected clone).
/// The backup eligibility flag is fixed at creation (§6.1 "BE ... MUST NOT change"); a change is refused as well.
/// A refused assertion is an outcome value (<see cref="PasskeyAssertionCheck"/>); a transition that does not apply throws
/// <see cref="DomainRuleViolationException"/>.
/// </summary>
public sealed class Passkey : AggregateRoot
{
    /// <summary>WebAuthn L3 §5.1 (PublicKeyCredential.rawId): a credential id is at most 1023 bytes.</summary>
    public const int MaxCredentialIdLength = 1023;

    public const int MinCredentialIdLength = 16;

    public const int MaxNameLength = 64;

    public const int MaxTransports = 8;

    /// <summary>Removal reasons, for the audit log.</summary>
    public const string RemovedBySelf = "self";

    public const string RemovedByAdministrator = "admin_reset";

    private List<string> _transports = [];

    private Passkey()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The credential id (raw bytes) the authenticator chose.</summary>
    public byte[] CredentialId { get; private set; } = [];

    /// <summary>The credential public key as a COSE_Key (CBOR).</summary>
    public byte[] PublicKey { get; private set; } = [];

    /// <summary>The last accepted signature counter (WebAuthn L3 §6.1.1); 0 for authenticators that do not count.</summary>
    public uint SignCount { get; private set; }

    /// <summary>The transports the client reported (usb, nfc, ble, internal, hybrid, ...): hints for allowCredentials.</summary>
    public IReadOnlyList<string> Transports => _transports;

    /// <summary>The authenticator model's AAGUID (all zero with attestation "none" on many platforms).</summary>
    public Guid Aaguid { get; private set; }

    /// <summary>BE flag (WebAuthn L3 §6.1): the credential may be backed up (synced) beyond this device.</summary>
    public bool BackupEligible { get; private set; }

    /// <summary>BS flag (WebAuthn L3 §6.1): the credential is backed up now; may change on every assertion.</summary>
    public bool BackedUp { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    /// <summary>A credential that passed the registration ceremony (WebAuthn L3 §7.1); the caller checked the ceremony.</summary>
    public static Passkey Register(
        Guid id, Guid userId, byte[] credentialId, byte[] publicKey, uint signCount, IReadOnlyList<string> transports,
        Guid aaguid, bool backupEligible, bool backedUp, string? name, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(id == Guid.Empty, "id", "A passkey needs an id.");
        Guard.Against(userId == Guid.Empty, "user", "A passkey belongs to a user.");
        Guard.Against(credentialId is not { Length: >= MinCredentialIdLength and <= MaxCredentialIdLength }, "credential_id",
            $"A credential id is {MinCredentialIdLength} to {MaxCredentialIdLength} bytes.");
        Guard.Against(publicKey is not { Length: > 0 }, "public_key", "The credential public key is required.");
        // §6.1: BS (backed up) set while BE (backup eligible) is clear is an invalid flag combination.
        Guard.Against(backedUp && !backupEligible, "flags", "A credential cannot be backed up without being backup eligible.");
        var passkey = new Passkey
        {
            Id = id,
            UserId = userId,
            CredentialId = [.. credentialId],
            PublicKey = [.. publicKey],
            SignCount = signCount,
            _transports = NormaliseTransports(transports),
            Aaguid = aaguid,
            BackupEligible = backupEligible,
            BackedUp = backedUp,
            Name = NameOf(name),
            CreatedAt = now,
        };
        passkey.Raise(new PasskeyRegistered(id, userId, passkey.Name, now));
        return passkey;
    }

    /// <summary>Whether <paramref name="name"/> is an acceptable passkey name (after trimming).</summary>
    public static bool IsValidName(string? name) =>
        name?.Trim() is { Length: > 0 and <= MaxNameLength } trimmed && !trimmed.Any(char.IsControl);

    public void Rename(string? name, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        var next = NameOf(name);
        if (next == Name)
        {
            return;
        }

        Name = next;
        Raise(new PasskeyRenamed(Id, UserId, next, now));
    }

    /// <summary>
    /// Records a verified assertion's counter and flags (WebAuthn L3 §7.2 steps 21-22). The signature was checked by
    /// the caller against <see cref="PublicKey"/>; this decides whether the counter and flags are consistent.
    /// </summary>
    public PasskeyAssertionCheck RecordUse(uint signCount, bool backupEligible, bool backedUp, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (backupEligible != BackupEligible || (backedUp && !backupEligible))
        {
            return PasskeyAssertionCheck.FlagsChanged;
        }

        if ((signCount != 0 || SignCount != 0) && signCount <= SignCount)
        {
            return PasskeyAssertionCheck.CounterRegressed;
        }

        SignCount = signCount;
        BackedUp = backedUp;
        LastUsedAt = now;
        Raise(new PasskeyUsed(Id, UserId, now));
        return PasskeyAssertionCheck.Accepted;
    }

    /// <summary>Marks the passkey removed (the caller deletes it from the repository in the same save).</summary>
    public void Remove(string reason, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(string.IsNullOrWhiteSpace(reason), "reason", "A reason is required.");
        Raise(new PasskeyRemoved(Id, UserId, Name, reason, now));
    }

    /// <summary>
    /// The RFC 8176 §2 method of a sign-in with this passkey: <c>hwk</c> (proof of possession of a hardware-secured key)
    /// when the key cannot leave the authenticator (BE clear), <c>swk</c> (a software-secured key) when it is backup
    /// eligible, i.e. a synced passkey whose private key is copied through the platform's cloud keychain.
    /// </summary>
    public string KeyMethod => BackupEligible ? PasskeyMethods.SoftwareKey : PasskeyMethods.HardwareKey;

    private static string NameOf(string? name)
    {
        Guard.Against(!IsValidName(name), "name", $"A passkey name is 1 to {MaxNameLength} characters, without control characters.");
        return name!.Trim();
    }

    private static List<string> NormaliseTransports(IReadOnlyList<string>? transports)
    {
        var list = (transports ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).ToList();
        Guard.Against(list.Count > MaxTransports || list.Any(t => t.Length > 32), "transports", "Too many or too long transport hints.");
        return list;
    }
}
