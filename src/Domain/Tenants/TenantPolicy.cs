using System.Globalization;
using System.Text;
using AuthService.Domain.Common;
using AuthService.Domain.Users;

namespace AuthService.Domain.Tenants;

/// <summary>
/// A tenant's sign-in policy (docs/adr/0038): whether its members must use a second factor, which ways in they may use
/// (empty = all), and which e-mail domains may join (empty = any). Domains are exact (a subdomain is another domain),
/// lower-case, an internationalized domain in its ASCII (A-label, "xn--") form. The e-mail domains are enforced where a
/// person joins (an invitation created, accepted, or a member added); the sign-in rules where the tenant is chosen.
/// </summary>
public sealed record TenantPolicy
{
    public const string Password = "password";
    public const string Passkey = "passkey";
    public const string Federation = "federation";
    public const int MaxDomains = 64;
    public const int MaxDomainLength = 253;

    public static IReadOnlyList<string> SignInMethods { get; } = [Password, Passkey, Federation];

    public static readonly TenantPolicy Default = new(false, [], []);

    private TenantPolicy(bool requireMfa, IReadOnlyList<string> allowedSignInMethods, IReadOnlyList<string> allowedEmailDomains)
    {
        RequireMfa = requireMfa;
        AllowedSignInMethods = allowedSignInMethods;
        AllowedEmailDomains = allowedEmailDomains;
    }

    public bool RequireMfa { get; }

    /// <summary>A subset of <see cref="SignInMethods"/>, in that order; empty means every method.</summary>
    public IReadOnlyList<string> AllowedSignInMethods { get; }

    /// <summary>Lower-case domains, sorted, without repeats; empty means any.</summary>
    public IReadOnlyList<string> AllowedEmailDomains { get; }

    /// <summary>
    /// Whether <paramref name="email"/> is at one of <see cref="AllowedEmailDomains"/> (always when there are none). The
    /// address's domain is compared exactly, case-insensitively, in the form the policy stores: NFKC (as
    /// <see cref="User.Normalize"/> compares addresses), lower case, and an internationalized domain converted to its A-label
    /// (RFC 5890 §2.3.2.1, through UTS #46 as <see cref="IdnMapping"/> does), so "Grace@Bücher.Example" matches
    /// <c>xn--bcher-kva.example</c>. A domain that does not convert is in no list.
    /// </summary>
    public bool AllowsEmail(string? email)
    {
        if (AllowedEmailDomains.Count == 0)
        {
            return true;
        }

        var at = email?.LastIndexOf('@') ?? -1;
        if (at < 0 || at == email!.Length - 1)
        {
            return false;
        }

        string domain;
        try
        {
            domain = new IdnMapping().GetAscii(email[(at + 1)..].Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        return AllowedEmailDomains.Contains(domain, StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether <paramref name="user"/> may join under this policy: with allowed domains, only with a <b>verified</b> address
    /// at one of them (an unverified address proves nothing about the person's organisation, ASVS 5.0 6.4).
    /// </summary>
    public bool Admits(User user) =>
        AllowedEmailDomains.Count == 0 || (user.EmailVerified && AllowsEmail(user.Email));

    public static TenantPolicy Create(bool requireMfa, IEnumerable<string>? allowedSignInMethods, IEnumerable<string>? allowedEmailDomains)
    {
        var methods = allowedSignInMethods?.ToList() ?? [];
        Guard.Against(methods.Any(m => !SignInMethods.Contains(m, StringComparer.Ordinal)), "allowed_sign_in_methods",
            $"A sign-in method is one of: {string.Join(", ", SignInMethods)}.");
        var domains = (allowedEmailDomains ?? []).Select(d => d?.Trim().ToLowerInvariant() ?? "").ToList();
        Guard.Against(domains.Count > MaxDomains, "allowed_email_domains", $"At most {MaxDomains} domains.");
        Guard.Against(domains.Any(d => !IsDomain(d)), "allowed_email_domains",
            "A domain is a host name such as example.com: letters, digits, hyphens and dots, no '@', no wildcard.");
        return new TenantPolicy(requireMfa,
            [.. SignInMethods.Where(m => methods.Contains(m, StringComparer.Ordinal))],
            [.. domains.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    /// <summary>A policy read back from the store, already validated when it was written.</summary>
    /// <summary>
    /// Whether a session that authenticated with <paramref name="amr"/> (RFC 8176 §2 values) signed in a way this tenant
    /// allows: any way when the list is empty; else one of the session's methods must be allowed (<see cref="SignInMethodsOf"/>).
    /// </summary>
    public bool AllowsSession(IReadOnlyList<string> amr) =>
        AllowedSignInMethods.Count == 0 || SignInMethodsOf(amr).Any(m => AllowedSignInMethods.Contains(m, StringComparer.Ordinal));

    /// <summary>
    /// The policy where the tenant is chosen: first how the session signed in (signing in again another way may bring the
    /// second factor too), then <see cref="RequireMfa"/>, met by a session whose methods reach the mfa level (RFC 8176 §2
    /// <c>mfa</c>), as a client's <c>require_mfa</c> is (ADR 0032).
    /// </summary>
    public TenantAdmission Admit(IReadOnlyList<string> amr) =>
        !AllowsSession(amr) ? TenantAdmission.SignInAnotherWay
        : RequireMfa && Sessions.AuthenticationMethods.AcrOf(amr) != Sessions.AuthenticationMethods.AcrMfa ? TenantAdmission.SecondFactorNeeded
        : TenantAdmission.Admitted;

    /// <summary>
    /// The policy's sign-in methods a session's <c>amr</c> shows: <c>fed</c> is <see cref="Federation"/> and nothing else
    /// (the upstream's own <c>pwd</c> or <c>hwk</c> after it were proven there, not here: ADR 0037); otherwise <c>pwd</c> is
    /// <see cref="Password"/> and <c>hwk</c> or <c>swk</c> (a passkey, first or second factor) is <see cref="Passkey"/>.
    /// <c>email</c> (a sign-in link, ADR 0033) and <c>otp</c> are none of the three: a tenant that names its methods does
    /// not take a session that used only those.
    /// </summary>
    public static IReadOnlyList<string> SignInMethodsOf(IReadOnlyList<string> amr)
    {
        if (amr.Contains(Sessions.AuthenticationMethods.Federated, StringComparer.Ordinal))
        {
            return [Federation];
        }

        var methods = new List<string>(2);
        if (amr.Contains(Sessions.AuthenticationMethods.Password, StringComparer.Ordinal))
        {
            methods.Add(Password);
        }

        if (amr.Any(m => m is Passkeys.PasskeyMethods.HardwareKey or Passkeys.PasskeyMethods.SoftwareKey))
        {
            methods.Add(Passkey);
        }

        return methods;
    }

    internal static TenantPolicy Restore(bool requireMfa, IReadOnlyList<string> allowedSignInMethods, IReadOnlyList<string> allowedEmailDomains) =>
        new(requireMfa, allowedSignInMethods, allowedEmailDomains);

    public bool Equals(TenantPolicy? other) =>
        other is not null && RequireMfa == other.RequireMfa
        && AllowedSignInMethods.SequenceEqual(other.AllowedSignInMethods, StringComparer.Ordinal)
        && AllowedEmailDomains.SequenceEqual(other.AllowedEmailDomains, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(RequireMfa, AllowedSignInMethods.Count, AllowedEmailDomains.Count);

    // RFC 1035 §2.3.1 labels (letters, digits, inner hyphens), at least two labels: what an e-mail address's domain is.
    private static bool IsDomain(string domain) =>
        domain.Length is > 0 and <= MaxDomainLength
        && domain.Split('.') is { Length: >= 2 } labels
        && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'));
}

/// <summary>What a tenant's policy says of a session when the tenant is chosen (docs/adr/0038 "The tenant in tokens").</summary>
public enum TenantAdmission
{
    Admitted,

    /// <summary>None of the session's methods is one the tenant allows: the person signs in again another way.</summary>
    SignInAnotherWay,

    /// <summary>The tenant requires two factors and the session has one: the step-up of ADR 0032.</summary>
    SecondFactorNeeded,
}
