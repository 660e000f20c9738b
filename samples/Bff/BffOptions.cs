namespace Bff;

/// <summary>The BFF's client registration at AuthService (section <c>Oidc</c>).</summary>
public sealed class BffOptions
{
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>Space-separated scopes; <c>offline_access</c> brings the refresh token the BFF renews access tokens with.</summary>
    public string Scope { get; set; } = "openid profile email offline_access";

    /// <summary>RFC 8707: the API the access token is for (its <c>aud</c>); empty for the client's default audience.</summary>
    public string? Resource { get; set; }

    /// <summary>Renew the access token when it expires within this time, before the API would refuse it.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(1);
}
