namespace AuthService.Application.Email;

/// <summary>The <c>Auth:Email</c> section as the use cases see it: how long each kind of link lives, and how often one may be asked for.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Auth:Email";

    /// <summary>An e-mail verification link.</summary>
    public TimeSpan VerificationLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A password-reset link: short, as it stands in for the password (ASVS 6.4.1).</summary>
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A sign-in link (magic link): it stands in for the password, so it lives only minutes.</summary>
    public TimeSpan MagicLinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A tenant invitation's link (docs/adr/0038): 7 days by default, between an hour and 30 days.</summary>
    public TimeSpan TenantInvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The operator's switch for sign-in links: when false the forms (account, authorization and device sign-in pages) are absent and their endpoints answer 404.</summary>
    public bool MagicLinks { get; set; } = true;

    /// <summary>Messages one address may be sent (resets and verifications) per <see cref="RequestWindow"/>.</summary>
    public int RequestsPerAddress { get; set; } = 3;

    /// <summary>Requests one source (IP address) may make per <see cref="RequestWindow"/>.</summary>
    public int RequestsPerSource { get; set; } = 10;

    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(15);

    public bool IsValid =>
        VerificationLifetime >= TimeSpan.FromMinutes(5) && VerificationLifetime <= TimeSpan.FromDays(7)
        && PasswordResetLifetime >= TimeSpan.FromMinutes(5) && PasswordResetLifetime <= TimeSpan.FromHours(24)
        && MagicLinkLifetime >= TimeSpan.FromMinutes(1) && MagicLinkLifetime <= TimeSpan.FromHours(1)
        && TenantInvitationLifetime >= TimeSpan.FromHours(1) && TenantInvitationLifetime <= Domain.Tenants.TenantInvitation.MaxLifetime
        && RequestsPerAddress >= 1 && RequestsPerSource >= 1 && RequestWindow >= TimeSpan.FromSeconds(1);
}
