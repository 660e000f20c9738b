using System.Text.Json;
using AuthService.ResourceServer.Authority;
using AuthService.ResourceServer.Jose;

namespace AuthService.ResourceServer;

/// <summary>
/// Validates a JWT access token as RFC 9068 §4 says a resource server must: the explicit type <c>at+jwt</c>
/// (RFC 8725 §3.11, so an ID token or another JWT of the same issuer is not taken for an access token), an
/// algorithm from the allow-list (never <c>none</c> or HMAC, RFC 8725 §3.1), a signature by the authority's key
/// named by <c>kid</c>, <c>iss</c> exactly the authority, <c>aud</c> containing this API, and the lifetime.
/// Sender binding (<c>cnf</c>) is checked afterwards by the handler.
/// </summary>
internal sealed class AccessTokenValidator(AuthorityDocuments authority, TimeProvider clock)
{
    /// <summary>RFC 9068 §4: <c>at+jwt</c>, or the full media type <c>application/at+jwt</c>; media types compare without case (RFC 2045 §5.1).</summary>
    private static readonly string[] AccessTokenTypes = ["at+jwt", "application/at+jwt"];

    public async Task<(ValidatedAccessToken? Token, TokenFailure? Failure)> ValidateAsync(
        string token, string scheme, AuthServiceTokenOptions options, CancellationToken cancellationToken)
    {
        using var jws = CompactJws.Read(token, options.MaxTokenLength);
        if (jws is null)
        {
            return Fail(scheme, "The access token is not a well-formed signed JWT.");
        }

        if (jws.Type is not { } type || !AccessTokenTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            return Fail(scheme, "The token is not an access token (typ must be at+jwt).");
        }

        if (jws.Algorithm is not { } algorithm || !options.AllowedAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            return Fail(scheme, "The access token's signature algorithm is not accepted.");
        }

        if (jws.KeyId is not { Length: > 0 } keyId)
        {
            return Fail(scheme, "The access token names no signing key (kid).");
        }

        var lookup = await authority.FindKeyAsync(options, keyId, cancellationToken);
        if (lookup.AuthorityUnavailable)
        {
            return (null, TokenFailure.Unavailable(scheme));
        }

        if (lookup.Key is not { } key || !key.Verify(algorithm, jws.SigningInput, jws.Signature))
        {
            return Fail(scheme, "The access token's signature is invalid.");
        }

        return CheckClaims(jws, scheme, options);
    }

    private (ValidatedAccessToken?, TokenFailure?) CheckClaims(CompactJws jws, string scheme, AuthServiceTokenOptions options)
    {
        if (jws.PayloadString("iss") != options.Authority)
        {
            return Fail(scheme, "The access token was issued by another authority.");
        }

        if (!Audiences(jws.Payload).Contains(options.Audience!, StringComparer.Ordinal))
        {
            return Fail(scheme, "The access token is not meant for this API (aud).");
        }

        var now = clock.GetUtcNow();
        if (jws.PayloadTime("exp") is not { } expires || now >= expires + options.ClockSkew)
        {
            return Fail(scheme, "The access token has expired.");
        }

        if (jws.Payload.TryGetProperty("nbf", out _) && (jws.PayloadTime("nbf") is not { } notBefore || notBefore > now + options.ClockSkew))
        {
            return Fail(scheme, "The access token is not valid yet.");
        }

        // RFC 9068 §2.2: sub, client_id, iat and jti are required claims of an access token.
        if (jws.PayloadString("sub") is not { Length: > 0 } subject || jws.PayloadString("client_id") is not { Length: > 0 } clientId
            || jws.PayloadTime("iat") is null || jws.PayloadString("jti") is not { Length: > 0 } jwtId)
        {
            return Fail(scheme, "The access token lacks a required claim (sub, client_id, iat, jti).");
        }

        if (jws.Payload.TryGetProperty("scope", out var scopeValue) && scopeValue.ValueKind != JsonValueKind.String)
        {
            return Fail(scheme, "The access token's scope is malformed.");
        }

        if (ReadConfirmation(jws.Payload) is not { } confirmation)
        {
            return Fail(scheme, "The access token's confirmation (cnf) is malformed or of an unsupported kind.");
        }

        var scopes = jws.PayloadString("scope") is { } scope ? scope.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        return (new ValidatedAccessToken(subject, clientId, jwtId, options.Authority!, Audiences(jws.Payload), scopes, expires, confirmation), null);
    }

    /// <summary>
    /// The <c>cnf</c> claim (RFC 7800 §3.1): absent (an unbound bearer token), or an object with <c>jkt</c>
    /// (RFC 9449 §6.1) and/or <c>x5t#S256</c> (RFC 8705 §3.1), each a base64url SHA-256 value. Anything else,
    /// including a confirmation method this library cannot check, is refused: a binding we cannot verify must not
    /// silently become a bearer token.
    /// </summary>
    private static Confirmation? ReadConfirmation(JsonElement payload)
    {
        if (!payload.TryGetProperty("cnf", out var cnf))
        {
            return Confirmation.None;
        }

        if (cnf.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? jkt = null, x5t = null;
        foreach (var member in cnf.EnumerateObject())
        {
            switch (member.Name)
            {
                case "jkt" when member.Value.ValueKind == JsonValueKind.String && IsSha256(member.Value.GetString()):
                    jkt = member.Value.GetString();
                    break;
                case "x5t#S256" when member.Value.ValueKind == JsonValueKind.String && IsSha256(member.Value.GetString()):
                    x5t = member.Value.GetString();
                    break;
                default:
                    return null;
            }
        }

        return jkt is null && x5t is null ? null : new Confirmation(jkt, x5t);
    }

    private static bool IsSha256(string? base64Url) => base64Url is { Length: 43 } && CompactJws.Decode(base64Url) is { Length: 32 };

    private static string[] Audiences(JsonElement payload) => payload.TryGetProperty("aud", out var aud)
        ? aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => [.. aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)],
            _ => [],
        }
        : [];

    private static (ValidatedAccessToken?, TokenFailure?) Fail(string scheme, string description) => (null, TokenFailure.Token(scheme, description));
}

/// <summary>An access token whose signature and claims were checked; its sender binding is checked next.</summary>
internal sealed record ValidatedAccessToken(
    string Subject,
    string ClientId,
    string JwtId,
    string Issuer,
    IReadOnlyList<string> Audiences,
    IReadOnlyList<string> Scopes,
    DateTimeOffset ExpiresAt,
    Confirmation Confirmation);

/// <summary>The token's <c>cnf</c>: the DPoP key thumbprint (<c>jkt</c>) and/or the certificate thumbprint (<c>x5t#S256</c>).</summary>
internal sealed record Confirmation(string? JwkThumbprint, string? CertificateThumbprint)
{
    public static Confirmation None { get; } = new(null, null);

    public bool IsBound => JwkThumbprint is not null || CertificateThumbprint is not null;
}
