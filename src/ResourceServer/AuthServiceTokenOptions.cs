using AuthService.ResourceServer.Authority;
using AuthService.ResourceServer.Jose;
using Microsoft.AspNetCore.Authentication;

namespace AuthService.ResourceServer;

/// <summary>
/// Settings of the AuthService authentication scheme. They bind from configuration
/// (<c>builder.Configuration.Bind(options)</c> or a section), and are checked at start (<see cref="Validate"/>).
/// </summary>
public sealed class AuthServiceTokenOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// The authorization server's issuer identifier, e.g. <c>https://auth.example.com</c>. Metadata is discovered
    /// from it (RFC 8414 §3, then OpenID Connect Discovery), and tokens' <c>iss</c> must equal it exactly. https is
    /// required, except on a loopback host (<c>http://localhost:5000</c> in development).
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>This API's audience identifier: a token is accepted only when its <c>aud</c> contains it (RFC 9068 §4).</summary>
    public string? Audience { get; set; }

    /// <summary>Allow a plain-http authority on a host that is not loopback (development only, e.g. a container network). Off by default.</summary>
    public bool AllowInsecureAuthority { get; set; }

    /// <summary>Tolerance for <c>exp</c>, <c>nbf</c> and a DPoP proof's <c>iat</c> in the future. Default 30 s; at most 5 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The access-token signature algorithms accepted (default ES256, RS256, EdDSA: what AuthService signs with).
    /// Only asymmetric algorithms can be named: <c>none</c> and HS* are refused at start.
    /// </summary>
    public string[] AllowedAlgorithms { get; set; } = [.. JwsAlgorithms.AccessTokenDefaults];

    /// <summary>How long metadata and the JWKS are used before they are fetched again. Default 15 minutes.</summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A token naming an unknown <c>kid</c> makes the JWKS be fetched again (a key was rotated in), but at most once
    /// per this interval, so a flood of tokens with random <c>kid</c>s cannot hammer the authority. Default 30 s.
    /// </summary>
    public TimeSpan UnknownKeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of each call to the authority (metadata, JWKS, introspection). Default 5 s.</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>DPoP (RFC 9449) proof checks.</summary>
    public DpopOptions Dpop { get; } = new();

    /// <summary>Certificate-bound tokens (RFC 8705 §3).</summary>
    public ClientCertificateOptions ClientCertificate { get; } = new();

    /// <summary>Token introspection (RFC 7662) for endpoints marked with <c>RequireActiveToken()</c>.</summary>
    public IntrospectionOptions Introspection { get; } = new();

    /// <summary>Protected resource metadata (RFC 9728) and the challenges' <c>resource_metadata</c>; off until its <c>Resource</c> is set.</summary>
    public ProtectedResourceOptions ProtectedResource { get; } = new();

    /// <summary>The largest access token read, in characters. Default 8 KiB.</summary>
    public int MaxTokenLength { get; set; } = 8 * 1024;

    /// <summary>Checks the settings; throws with every problem named, so a misconfigured API does not start.</summary>
    public override void Validate()
    {
        base.Validate();
        var problems = new List<string>();
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority))
        {
            problems.Add("Authority must be an absolute URL (the authorization server's issuer).");
        }
        else if (AuthorityRules.Problem(authority, AllowInsecureAuthority, nameof(Authority)) is { } problem)
        {
            problems.Add(problem);
        }
        else if (!string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment))
        {
            problems.Add("Authority must not have a query or fragment (RFC 8414 §2).");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            problems.Add("Audience is required: this API's identifier, as it appears in the tokens' aud.");
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(5))
        {
            problems.Add("ClockSkew must be between 0 and 5 minutes.");
        }

        problems.AddRange(AlgorithmProblems(AllowedAlgorithms, nameof(AllowedAlgorithms)));
        problems.AddRange(AlgorithmProblems(Dpop.AllowedAlgorithms, "Dpop:AllowedAlgorithms"));
        if (MetadataRefreshInterval < TimeSpan.FromSeconds(1) || UnknownKeyRefreshInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add("MetadataRefreshInterval and UnknownKeyRefreshInterval must be at least 1 second.");
        }

        if (BackchannelTimeout <= TimeSpan.Zero || BackchannelTimeout > TimeSpan.FromMinutes(1))
        {
            problems.Add("BackchannelTimeout must be more than 0 and at most 1 minute.");
        }

        problems.AddRange(Dpop.Problems());
        problems.AddRange(ClientCertificate.Problems());
        problems.AddRange(Introspection.Problems());
        problems.AddRange(ProtectedResource.Problems());
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("AuthService token options: " + string.Join(" ", problems));
        }
    }

    private static IEnumerable<string> AlgorithmProblems(string[] algorithms, string name)
    {
        if (algorithms is not { Length: > 0 })
        {
            yield return $"{name} must name at least one algorithm.";
            yield break;
        }

        foreach (var algorithm in algorithms.Where(a => !JwsAlgorithms.IsVerifiable(a)))
        {
            yield return $"{name}: '{algorithm}' is not allowed; only asymmetric algorithms can be ({string.Join(", ", JwsAlgorithms.Verifiable)}).";
        }
    }
}
