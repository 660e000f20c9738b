namespace AuthService.Application.Common.DPoP;

/// <summary>
/// The <c>Auth:DPoP</c> section (RFC 9449): how far a proof's <c>iat</c> may lie behind or ahead of this
/// server's clock, and whether the token endpoint requires server-provided nonces (§8). Validated at start.
/// </summary>
public sealed class DPoPOptions
{
    public const string SectionName = "Auth:DPoP";

    /// <summary>
    /// A proof is accepted at most this long after its <c>iat</c> (RFC 9449 §4.3 item 11, §11.1). Its <c>jti</c>
    /// is remembered for as long, so within the window a replay is refused and after it the proof is stale.
    /// </summary>
    public TimeSpan ProofMaxAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How far a proof's <c>iat</c> may be in the future (client clocks run fast; RFC 9449 §11.1).</summary>
    public TimeSpan ProofClockSkew { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When true, the token endpoint refuses a proof without a current server nonce (RFC 9449 §8) with
    /// <c>use_dpop_nonce</c> and a <c>DPoP-Nonce</c> header. Off by default: see docs/adr/0022-dpop.md.
    /// </summary>
    public bool RequireNonce { get; set; }

    /// <summary>A server nonce is valid in the time step it was made in and the next one (so for one to two steps).</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
