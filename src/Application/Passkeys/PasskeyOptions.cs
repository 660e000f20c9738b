namespace AuthService.Application.Passkeys;

/// <summary>
/// The <c>Auth:Passkeys</c> section. By default the relying party is the issuer: RP id = the issuer's host (WebAuthn L3
/// §5.1.2: a registrable domain suffix of the origin's effective domain), the one accepted origin = the issuer's origin.
/// Set <see cref="RelyingPartyId"/> to a parent domain, or <see cref="Origins"/> to more origins, only when the pages are
/// served there too.
/// </summary>
public sealed class PasskeyOptions
{
    public const string SectionName = "Auth:Passkeys";

    public string? RelyingPartyId { get; set; }

    public string RelyingPartyName { get; set; } = "AuthService";

    /// <summary>Origins (scheme://host[:port]) whose clientDataJSON.origin is accepted (§7.1 step 9, §7.2 step 13).</summary>
    public List<string> Origins { get; set; } = [];

    /// <summary>
    /// Passkey ceremonies (registration and sign-in options) one source address may start per <see cref="CeremonyWindow"/>;
    /// beyond it the page answers 429 with Retry-After and writes no row. Generous for people (a few per sign-in), far
    /// below what would fill <c>passkey_ceremonies</c>.
    /// </summary>
    public int CeremoniesPerAddress { get; set; } = 30;

    /// <summary>The window of <see cref="CeremoniesPerAddress"/>; by default the ceremony's own lifetime.</summary>
    public TimeSpan CeremonyWindow { get; set; } = Domain.Passkeys.PasskeyCeremony.Lifetime;
}
