namespace AuthService.Application.Common.DPoP;

/// <summary>
/// What a request offers as proof of possession (RFC 9449 §4.1): every <c>DPoP</c> header value received,
/// and the method and URL the proof must name. <see cref="TargetUri"/> is built from the configured issuer and
/// the endpoint's path, never from the request's Host header (RFC 9449 §4.3 item 9; RFC 9700 §4.13).
/// </summary>
public sealed record DPoPPresentation(IReadOnlyList<string> Proofs, string Method, string TargetUri)
{
    public const string HeaderName = "DPoP";
    public const string NonceHeaderName = "DPoP-Nonce";

    /// <summary>The token type of a DPoP-bound access token (RFC 9449 §5, §7.1) and the Authorization scheme that carries it.</summary>
    public const string TokenType = "DPoP";

    /// <summary>No <c>DPoP</c> header at all: the request asks for (or presents) a bearer token.</summary>
    public bool IsAbsent => Proofs.Count == 0;

    public override string ToString() => $"DPoPPresentation {{ Proofs = {Proofs.Count}, Method = {Method}, TargetUri = {TargetUri} }}";
}

/// <summary>A proof that passed every check of RFC 9449 §4.3: the RFC 7638 SHA-256 thumbprint of its key.</summary>
public sealed record DPoPProof(string Jkt);
