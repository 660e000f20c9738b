namespace AuthService.Domain.Sessions;

/// <summary>
/// How a person authenticated: the RFC 8176 §2 <c>amr</c> values this server records, and the two <c>acr</c> values
/// (OIDC Core §2) it derives from them. A backup code counts as <c>otp</c>: it is a one-time password from a list
/// (RFC 8176 §2: "otp: One-time password"), the same assurance class as a TOTP code. Two factors of different kinds
/// (a password and a one-time code) add <c>mfa</c> (RFC 8176 §2) and reach <see cref="AcrMfa"/>.
/// </summary>
public static class AuthenticationMethods
{
    public const string Password = "pwd";
    public const string OneTimePassword = "otp";
    public const string MultipleFactors = "mfa";

    /// <summary>
    /// A single-use link sent to the account's e-mail address. RFC 8176 §2 registers no value for it: <c>otp</c> would make
    /// the link look like a second factor (and skip the second step), <c>pwd</c> would claim a password; so a value of our
    /// own, documented in docs/adr/0033 (OpenID Connect Core §2 leaves the meaning of amr values to the parties).
    /// </summary>
    public const string EmailLink = "email";

    /// <summary>
    /// A sign-in through an upstream identity provider (docs/adr/0037): RFC 8176 §2 "fed: Federated authentication". It is
    /// followed by the upstream's own values when it said them (<c>fed pwd</c>, <c>fed pwd otp mfa</c>); alone it is one factor,
    /// the pwd level of acr (<see cref="AcrOf"/>), and reaches the mfa level only with the upstream's <c>mfa</c> or this
    /// server's second factor after it.
    /// </summary>
    public const string Federated = "fed";

    /// <summary>The password alone.</summary>
    public const string AcrPassword = "urn:authservice:acr:pwd";

    /// <summary>A password and a second factor.</summary>
    public const string AcrMfa = "urn:authservice:acr:mfa";

    public static readonly IReadOnlyList<string> AcrValuesSupported = [AcrPassword, AcrMfa];

    public static readonly IReadOnlyList<string> PasswordOnly = [Password];

    public static readonly IReadOnlyList<string> PasswordAndOtp = WithSecondFactor(PasswordOnly, OneTimePassword);

    /// <summary>An e-mailed sign-in link alone: one factor, so the pwd level of acr (<see cref="AcrOf"/>).</summary>
    public static readonly IReadOnlyList<string> EmailLinkOnly = [EmailLink];

    /// <summary>
    /// The methods of a sign-in that added a second factor (<paramref name="second"/>, e.g. <c>otp</c>) to a first
    /// (<paramref name="first"/>: <c>pwd</c> after a password, <c>email</c> after a sign-in link), with <c>mfa</c>: RFC 8176 §2
    /// "mfa: Multiple-factor authentication ... When this is present, specific authentication methods used may also be
    /// included". The first factor's own values are kept, so a link plus a TOTP code says <c>email otp mfa</c>, never a
    /// password nobody typed (docs/adr/0033 "Magic links" on why e-mail possession and a code count as two factors).
    /// </summary>
    public static IReadOnlyList<string> WithSecondFactor(IReadOnlyList<string> first, params string[] second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count == 0 || second.Length == 0)
        {
            throw new ArgumentException("A second factor follows a first one.", first.Count == 0 ? nameof(first) : nameof(second));
        }

        return [.. first.Concat(second).Where(m => m != MultipleFactors).Distinct(StringComparer.Ordinal), MultipleFactors];
    }

    /// <summary>
    /// The second factors a session proved (<c>otp</c>, <c>hwk</c>, <c>swk</c>), so that a sign-in in that browser (the password
    /// change's) need not ask for one again; empty when it proved none. A federated session (<see cref="Federated"/>) counts
    /// none: its <c>otp</c> or <c>hwk</c> may be the upstream's (proven there, with a factor this account does not hold), and
    /// the values do not say which, so this account's own second factor is asked again.
    /// </summary>
    public static string[] SecondFactorsIn(IReadOnlyList<string> methods) =>
        methods.Contains(Federated, StringComparer.Ordinal)
            ? []
            : [.. methods.Where(m => m is OneTimePassword or Passkeys.PasskeyMethods.HardwareKey or Passkeys.PasskeyMethods.SoftwareKey)];

    /// <summary>The acr of a set of methods; null when none were recorded (a grant from before they were).</summary>
    public static string? AcrOf(IReadOnlyList<string> methods) =>
        methods.Count == 0 ? null : methods.Contains(MultipleFactors, StringComparer.Ordinal) ? AcrMfa : AcrPassword;

    /// <summary>Whether methods reaching <paramref name="acr"/> satisfy a request for <paramref name="requested"/> (mfa satisfies pwd too).</summary>
    public static bool Satisfies(string? acr, string requested) =>
        requested == AcrPassword ? acr is AcrPassword or AcrMfa : requested == AcrMfa && acr == AcrMfa;
}
