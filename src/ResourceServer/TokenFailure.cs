namespace AuthService.ResourceServer;

/// <summary>
/// Why a request was not authenticated, as the challenge will say it: the authentication scheme the client used
/// (<c>Bearer</c>, RFC 6750 §3; or <c>DPoP</c>, RFC 9449 §7.1), the error code, and a fixed description that
/// never repeats the token or any part of it.
/// </summary>
internal sealed record TokenFailure(string Scheme, string Error, string Description)
{
    public const string BearerScheme = "Bearer";
    public const string DpopScheme = "DPoP";

    /// <summary>RFC 6750 §3.1: a malformed request (400).</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>RFC 6750 §3.1: expired, revoked, malformed or otherwise invalid token (401).</summary>
    public const string InvalidToken = "invalid_token";

    /// <summary>RFC 9449 §7.1: the DPoP proof is invalid (401).</summary>
    public const string InvalidDpopProof = "invalid_dpop_proof";

    /// <summary>RFC 9449 §9: a server nonce is required (401, with a <c>DPoP-Nonce</c> header).</summary>
    public const string UseDpopNonce = "use_dpop_nonce";

    /// <summary>Not an RFC error: the authority could not be reached to check the token, so the API answers 503.</summary>
    public const string AuthorityUnavailable = "temporarily_unavailable";

    public static TokenFailure Token(string scheme, string description) => new(scheme, InvalidToken, description);

    public static TokenFailure Proof(string description) => new(DpopScheme, InvalidDpopProof, description);

    public static TokenFailure Unavailable(string scheme) =>
        new(scheme, AuthorityUnavailable, "The authorization server could not be reached to validate the token.");
}
