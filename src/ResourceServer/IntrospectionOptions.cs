namespace AuthService.ResourceServer;

/// <summary>
/// Token introspection (RFC 7662) for revocation-sensitive endpoints (<c>RequireActiveToken()</c>): the token is
/// also posted to the authority's <c>introspection_endpoint</c> with this API's own client credentials
/// (<c>client_secret_basic</c>), and refused when the answer is <c>"active": false</c>.
/// </summary>
public sealed class IntrospectionOptions
{
    /// <summary>This API's client id at the authority. With AuthService, a client whose id equals the tokens' audience (docs/adr/0009).</summary>
    public string? ClientId { get; set; }

    /// <summary>This API's client secret. Keep it in a secret store or the environment, not in appsettings.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How long an answer is reused for the same token (never past the token's <c>exp</c>). Default 5 s; 0 to ask every time.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    internal bool IsConfigured => !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret);

    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrEmpty(ClientId) != string.IsNullOrEmpty(ClientSecret))
        {
            yield return "Introspection:ClientId and Introspection:ClientSecret go together.";
        }

        if (CacheDuration < TimeSpan.Zero || CacheDuration > TimeSpan.FromMinutes(5))
        {
            yield return "Introspection:CacheDuration must be between 0 and 5 minutes.";
        }
    }
}
