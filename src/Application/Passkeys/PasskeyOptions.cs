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
}
