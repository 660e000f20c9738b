using AuthService.Domain.Passkeys;

namespace AuthService.Application.Passkeys;

/// <summary>The person a new credential is created for (WebAuthn L3 §5.4.3): the user handle is the user id's 16 bytes, never personal data.</summary>
public sealed record PasskeyAccount(Guid UserId, string Name, string DisplayName)
{
    public byte[] UserHandle => UserId.ToByteArray();
}

/// <summary>A credential whose registration ceremony passed (WebAuthn L3 §7.1), ready to become a <see cref="Passkey"/>.</summary>
public sealed record VerifiedRegistration(
    byte[] CredentialId, byte[] PublicKey, uint SignCount, IReadOnlyList<string> Transports, Guid Aaguid, bool BackupEligible, bool BackedUp);

/// <summary>An assertion whose signature, challenge, origin, rpIdHash and flags passed (WebAuthn L3 §7.2 steps 1-21).</summary>
public sealed record VerifiedAssertion(uint SignCount, bool BackupEligible, bool BackedUp);

/// <summary>
/// The WebAuthn relying party (WebAuthn Level 3 §7): options for the browser's <c>navigator.credentials</c> calls, and the
/// verification of what the authenticator answered. The caller owns the challenge (a <see cref="PasskeyCeremony"/>);
/// nothing here keeps state. Every refusal is null: the browser is told no more than "that did not work".
/// </summary>
public interface IWebAuthn
{
    /// <summary>PublicKeyCredentialCreationOptions (JSON): discoverable credential required, attestation "none", the account's passkeys excluded.</summary>
    string CreationOptions(byte[] challenge, PasskeyAccount account, IReadOnlyList<Passkey> existing);

    Task<VerifiedRegistration?> VerifyRegistrationAsync(string? credentialJson, byte[] challenge, PasskeyAccount account, IReadOnlyList<Passkey> existing,
        CancellationToken cancellationToken);

    /// <summary>PublicKeyCredentialRequestOptions (JSON); no allowCredentials when <paramref name="allowed"/> is empty (discoverable credentials).</summary>
    string RequestOptions(byte[] challenge, IReadOnlyList<Passkey> allowed, bool requireUserVerification);

    /// <summary>The credential id an assertion names (its rawId), before it is verified; null when it is not an assertion at all.</summary>
    byte[]? CredentialIdOf(string? assertionJson);

    Task<VerifiedAssertion?> VerifyAssertionAsync(string? assertionJson, byte[] challenge, Passkey passkey, bool requireUserVerification,
        CancellationToken cancellationToken);
}
