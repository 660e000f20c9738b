namespace AuthService.Application.SelfRegistration;

/// <summary>The <c>Auth:SelfRegistration</c> section: whether people may create their own account at <c>/account/register</c>.</summary>
public sealed class SelfRegistrationOptions
{
    public const string SectionName = "Auth:SelfRegistration";

    /// <summary>Off by default: a deployment opens sign-up deliberately.</summary>
    public bool Enabled { get; set; }

    /// <summary>When not empty, only addresses at one of these domains (exact match, case-insensitive) may register.</summary>
    public string[] AllowedEmailDomains { get; set; } = [];

    /// <summary>Whether <paramref name="normalizedEmail"/> (see <c>User.Normalize</c>) is at an allowed domain.</summary>
    public bool AllowsDomainOf(string normalizedEmail)
    {
        if (AllowedEmailDomains.Length == 0)
        {
            return true;
        }

        var domain = normalizedEmail[(normalizedEmail.LastIndexOf('@') + 1)..];
        return AllowedEmailDomains.Any(allowed => string.Equals(Domain.Users.User.Normalize(allowed.Trim()), domain, StringComparison.Ordinal));
    }
}
