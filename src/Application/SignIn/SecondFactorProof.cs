namespace AuthService.Application.SignIn;

/// <summary>
/// What a second-step form answered: a typed code (TOTP or backup code), or a passkey's assertion to the ceremony the
/// second-step page began (its handle in the ceremony cookie). Never printed: both are secrets of a sign-in.
/// </summary>
public abstract record SecondFactorProof
{
    /// <summary>The form's answer: a passkey when the passkey page posted its <c>credential</c> field, else the typed code.</summary>
    public static SecondFactorProof Of(string? code, string? ceremonyHandle, string? assertionJson) =>
        assertionJson is null ? new TypedCode(code) : new PasskeyAssertion(ceremonyHandle, assertionJson);

    public sealed record TypedCode(string? Code) : SecondFactorProof
    {
        public override string ToString() => "TypedCode { (redacted) }";
    }

    public sealed record PasskeyAssertion(string? CeremonyHandle, string? AssertionJson) : SecondFactorProof
    {
        public override string ToString() => "PasskeyAssertion { (redacted) }";
    }
}
