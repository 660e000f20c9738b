namespace AuthService.Domain.Passkeys;

/// <summary>
/// The RFC 8176 §2 <c>amr</c> values of a passkey sign-in. <c>hwk</c>/<c>swk</c>: proof of possession of a
/// hardware- or software-secured key; <c>user</c>: "User presence test" (the UP flag, and here also UV: the person
/// unlocked the authenticator with a PIN or biometric). A user-verifying passkey is two factors in one device
/// (something you have and something you know or are), so a passwordless sign-in also carries <c>mfa</c>.
/// </summary>
public static class PasskeyMethods
{
    public const string HardwareKey = "hwk";
    public const string SoftwareKey = "swk";
    public const string UserPresence = "user";
    public const string MultipleFactors = "mfa";

    /// <summary>A passwordless sign-in with a user-verifying passkey.</summary>
    public static IReadOnlyList<string> Passwordless(string keyMethod) => [keyMethod, UserPresence, MultipleFactors];
}
