namespace AuthService.Infrastructure.Security.Outbound;

/// <summary>The <c>Auth:OutboundFetch</c> section: how the <see cref="HardenedFetcher"/> reaches client-supplied URLs.</summary>
public sealed class OutboundFetchOptions
{
    public const string SectionName = "Auth:OutboundFetch";

    /// <summary>
    /// Allow fetches from loopback addresses (http or https), for development and tests. Off by default;
    /// <c>Auth:ClientJwksUriAllowLoopback</c> and the Development environment allow it too. Private, link-local,
    /// multicast, unique-local, CGNAT and cloud-metadata addresses are refused whatever this says.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// A PEM bundle of extra trust anchors accepted for the server certificates of outbound https fetches, in
    /// addition to the system store (private PKI, tests). Checked at start: a missing file or one without a PEM certificate fails start-up.
    /// </summary>
    public string? TrustedCertificatesFile { get; set; }
}
