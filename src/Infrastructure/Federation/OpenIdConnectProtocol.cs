using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.Application.Federation;
using AuthService.Domain.Clients;
using AuthService.Domain.Federation;
using AuthService.Infrastructure.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Federation;

/// <summary>
/// The generic OpenID Connect upstream (docs/adr/0037 "Protocols"): the authorization code flow of OIDC Core §3.1 with
/// PKCE S256 (RFC 7636), <c>nonce</c>, RFC 9207's <c>iss</c> in the answer, and the ID token validated in full
/// (OIDC Core §3.1.3.7) against the keys of the upstream's discovered <c>jwks_uri</c>. The presets' rules that are not
/// plain OpenID Connect: Microsoft's per-tenant issuer (<see cref="ExternalProviderPresets.ExpectedIssuer"/>), Apple's
/// form-posted answer and its name in the unsigned <c>user</c> field of the first answer.
/// </summary>
internal sealed partial class OpenIdConnectProtocol(
    UpstreamHttp http, OpenIdConnectDiscovery discovery, IUpstreamClientSecret secrets, TimeProvider clock, ILogger<OpenIdConnectProtocol> logger)
    : IUpstreamProtocol
{
    /// <summary>OIDC Core §3.1.3.7 leaves the skew to the client; two minutes absorbs ordinary clock drift between two servers.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>Signatures with a public key only: never <c>none</c>, never a MAC keyed with the client secret (RFC 8725 §3.1).</summary>
    public static readonly IReadOnlyList<string> IdTokenAlgorithms =
    [
        JwsAlgorithms.RS256, JwsAlgorithms.RS384, JwsAlgorithms.RS512, JwsAlgorithms.PS256, JwsAlgorithms.PS384, JwsAlgorithms.PS512,
        JwsAlgorithms.ES256, JwsAlgorithms.ES384, JwsAlgorithms.ES512,
    ];

    private const int MaxMethods = 16;

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public ExternalProtocol Protocol => ExternalProtocol.OpenIdConnect;

    public async Task<Uri> BuildAuthorizationUrlAsync(ExternalProvider provider, UpstreamChallenge challenge, CancellationToken cancellationToken)
    {
        var metadata = await discovery.GetAsync(provider, cancellationToken);
        return UpstreamRequests.AuthorizationUrl(metadata.AuthorizationEndpoint.AbsoluteUri,
        [
            new("response_type", "code"),
            new("client_id", provider.ClientId),
            new("redirect_uri", challenge.RedirectUri.AbsoluteUri),
            new("scope", string.Join(' ', provider.Scopes)),
            new("state", challenge.State),
            new("nonce", challenge.Nonce),
            new("code_challenge", UpstreamRequests.S256(challenge.CodeVerifier)),
            new("code_challenge_method", "S256"),
            new("login_hint", challenge.LoginHint),
            // Apple sends the name and e-mail scopes' answer only as a form post (OAuth 2.0 Form Post Response Mode); other
            // providers when set so. The query mode is the code flow's default and is not sent.
            new("response_mode", provider.UsesFormPost ? ExternalProvider.FormPost : null),
        ]);
    }

    public async Task<UpstreamOutcome> CompleteAsync(ExternalProvider provider, UpstreamCallback callback, CancellationToken cancellationToken)
    {
        UpstreamMetadata metadata;
        try
        {
            metadata = await discovery.GetAsync(provider, cancellationToken);
        }
        catch (UpstreamUnavailableException)
        {
            return Refuse(provider, new UpstreamOutcome.Refused("discovery_unavailable", Unavailable: true), "no usable discovery document");
        }

        // RFC 9207 §2.4: an answer naming another issuer is another provider's (mix-up); an upstream that promises the
        // parameter must send it. Error answers are checked too: they are authorization responses as well.
        var parameters = callback.Parameters;
        var hasIss = parameters.TryGetValue("iss", out var iss);
        if ((hasIss && iss != metadata.Issuer && !(metadata.Issuer.Contains("{tenantid}", StringComparison.Ordinal) && IsTenantIssuer(metadata.Issuer, iss)))
            || (!hasIss && metadata.IssParameterSupported))
        {
            return Refuse(provider, new UpstreamOutcome.Refused("issuer_mismatch"), hasIss ? "iss names another issuer" : "iss missing");
        }

        var answer = await UpstreamRequests.RedeemAnswerAsync(
            http, secrets, metadata.TokenEndpoint, provider, callback, metadata.UsesBasicAuthentication, cancellationToken);
        if (answer.Refusal is { } refused)
        {
            return Refuse(provider, refused, answer.LogDetail!);
        }

        if (answer.IdToken is not { } idToken)
        {
            return Refuse(provider, new UpstreamOutcome.Refused("id_token_missing"), "the token answer has no id_token");
        }

        var (token, failure) = await ValidateIdTokenAsync(provider, metadata, idToken, callback.Nonce, answer.AccessToken, cancellationToken);
        if (token is null)
        {
            return Refuse(provider, failure!, "the ID token failed validation");
        }

        return await IdentityAsync(provider, metadata, token, answer.AccessToken, parameters, cancellationToken);
    }

    /// <summary>
    /// OIDC Core §3.1.3.7: a strictly parsed JWS signed with an allowed algorithm by a key of the upstream's set; the
    /// issuer the discovery named (Microsoft: with the token's <c>tid</c>); the client among the audiences and, with
    /// several audiences or an <c>azp</c>, the <c>azp</c>; not expired; <c>iat</c> present; the round trip's nonce
    /// (constant time); and §3.1.3.8's <c>at_hash</c> when present.
    /// </summary>
    private async Task<(JsonWebToken? Token, UpstreamOutcome.Refused? Failure)> ValidateIdTokenAsync(
        ExternalProvider provider, UpstreamMetadata metadata, string idToken, string nonce, string? accessToken, CancellationToken cancellationToken)
    {
        if (JwtAccessTokenValidator.ParseStrict(idToken) is not { } jwt || !IdTokenAlgorithms.Contains(jwt.Alg, StringComparer.Ordinal))
        {
            return (null, new UpstreamOutcome.Refused("id_token_invalid"));
        }

        var keys = await discovery.KeysAsync(metadata, jwt.Kid, cancellationToken);
        if (keys.Count == 0)
        {
            return (null, new UpstreamOutcome.Refused("jwks_unavailable", Unavailable: true));
        }

        var now = clock.GetUtcNow();
        var result = await Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            // The issuer depends on the token's tid for Microsoft: checked below, after the signature.
            ValidateIssuer = false,
            ValidAudience = provider.ClientId,
            IssuerSigningKeys = keys,
            ValidAlgorithms = IdTokenAlgorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && now < new DateTimeOffset(exp, TimeSpan.Zero) + ClockSkew
                && (notBefore is not { } nbf || new DateTimeOffset(nbf, TimeSpan.Zero) <= now + ClockSkew),
        });
        if (!result.IsValid)
        {
            return (null, new UpstreamOutcome.Refused(result.Exception switch
            {
                SecurityTokenInvalidAudienceException => "id_token_audience",
                SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException or SecurityTokenNoExpirationException => "id_token_expired",
                _ => "id_token_signature",
            }));
        }

        jwt.TryGetPayloadValue<string>("tid", out var tenant);
        if (ExternalProviderPresets.ExpectedIssuer(metadata.Issuer, tenant) is not { } expectedIssuer || jwt.Issuer != expectedIssuer)
        {
            return (null, new UpstreamOutcome.Refused("id_token_issuer"));
        }

        var audiences = jwt.Audiences.ToList();
        var hasAzp = jwt.TryGetPayloadValue<string>("azp", out var azp);
        if ((audiences.Count > 1 || hasAzp) && azp != provider.ClientId)
        {
            return (null, new UpstreamOutcome.Refused("id_token_audience"));
        }

        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out _))
        {
            return (null, new UpstreamOutcome.Refused("id_token_invalid"));
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Nonce, out var tokenNonce)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(tokenNonce), Encoding.UTF8.GetBytes(nonce)))
        {
            return (null, new UpstreamOutcome.Refused("nonce_mismatch"));
        }

        if (jwt.TryGetPayloadValue<string>("at_hash", out var atHash) && (accessToken is null || !HashMatches(jwt.Alg, accessToken, atHash)))
        {
            return (null, new UpstreamOutcome.Refused("at_hash_mismatch"));
        }

        return (jwt, null);
    }

    /// <summary>The identity from the ID token, completed from the UserInfo endpoint when the e-mail or the name is missing.</summary>
    private async Task<UpstreamOutcome> IdentityAsync(
        ExternalProvider provider, UpstreamMetadata metadata, JsonWebToken token, string? accessToken, IReadOnlyDictionary<string, string> parameters,
        CancellationToken cancellationToken)
    {
        // ParseStrict has already required the payload to be one JSON object.
        var claims = UpstreamRequests.ParseObject(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.EncodedPayload))) ?? default;
        var subject = UpstreamRequests.IdentifierOf(claims, provider.Claims.Subject);
        if (!ExternalIdentity.IsValidSubject(subject))
        {
            return Refuse(provider, new UpstreamOutcome.Refused("subject_invalid"), $"the claim {provider.Claims.Subject} is not a valid subject");
        }

        var email = UpstreamRequests.StringOf(claims, provider.Claims.Email);
        var emailVerified = email is not null && UpstreamRequests.IsTrue(claims, provider.Claims.EmailVerified);
        var name = UpstreamRequests.StringOf(claims, provider.Claims.Name);
        if (name is null && provider.Preset == ExternalProviderPresets.Apple && parameters.TryGetValue("user", out var user))
        {
            name = AppleName(user);
        }

        if ((email is null || name is null) && metadata.UserInfoEndpoint is { } userInfoEndpoint && accessToken is not null)
        {
            var response = await http.GetAsync(userInfoEndpoint, "application/json", accessToken, cancellationToken);
            if (response.Failure is not null)
            {
                return Refuse(provider, new UpstreamOutcome.Refused("userinfo_unavailable", Unavailable: true), response.Failure);
            }

            if (!response.IsSuccess || UpstreamRequests.ParseObject(response.Body!) is not { } userInfo)
            {
                return Refuse(provider, new UpstreamOutcome.Refused("userinfo_error"), $"status {response.Status} or not a JSON object");
            }

            // OIDC Core §5.3.4: the UserInfo sub MUST equal the ID token's, else the answer is not about this person.
            if (token.Subject is not { Length: > 0 } || UpstreamRequests.StringOf(userInfo, JwtRegisteredClaimNames.Sub) != token.Subject)
            {
                return Refuse(provider, new UpstreamOutcome.Refused("userinfo_subject_mismatch"), "the UserInfo sub differs from the ID token's");
            }

            if (email is null && UpstreamRequests.StringOf(userInfo, provider.Claims.Email) is { } infoEmail)
            {
                // The address and its verification are taken from the same statement, never one from each.
                email = infoEmail;
                emailVerified = UpstreamRequests.IsTrue(userInfo, provider.Claims.EmailVerified);
            }

            name ??= UpstreamRequests.StringOf(userInfo, provider.Claims.Name);
        }

        var safeEmail = UpstreamRequests.DisplayValue(email, 320);
        return new UpstreamOutcome.Authenticated(new UpstreamIdentity(
            subject!, safeEmail, safeEmail is not null && emailVerified, UpstreamRequests.DisplayValue(name), MethodsOf(claims)));
    }

    /// <summary>
    /// Sign in with Apple sends the name once, in the first answer's form field <c>user</c>
    /// (<c>{"name":{"firstName":"…","lastName":"…"}}</c>). It is not signed, so it is only ever a display name.
    /// </summary>
    private static string? AppleName(string user)
    {
        if (user.Length > 4096 || UpstreamRequests.ParseObject(user) is not { } parsed
            || !parsed.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var full = string.Join(' ', new[] { UpstreamRequests.StringOf(name, "firstName"), UpstreamRequests.StringOf(name, "lastName") }
            .Select(part => part?.Trim()).Where(part => !string.IsNullOrEmpty(part)));
        return full.Length > 0 ? full : null;
    }

    /// <summary>RFC 8176 <c>amr</c>: the strings of the ID token's array (anything else in it is ignored).</summary>
    private static IReadOnlyList<string> MethodsOf(JsonElement claims) =>
        claims.TryGetProperty("amr", out var amr) && amr.ValueKind == JsonValueKind.Array
            ? [.. amr.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
                .Where(v => v.Length is > 0 and <= 32 && v.All(char.IsAsciiLetterOrDigit)).Distinct(StringComparer.Ordinal).Take(MaxMethods)]
            : [];

    /// <summary>OIDC Core §3.1.3.6: the left half of the hash (the one of the token's algorithm) of the access token, base64url.</summary>
    private static bool HashMatches(string alg, string accessToken, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(accessToken);
        var hash = alg[^3..] switch
        {
            "384" => SHA384.HashData(bytes),
            "512" => SHA512.HashData(bytes),
            _ => SHA256.HashData(bytes),
        };
        var computed = Base64Url.EncodeToString(hash.AsSpan(0, hash.Length / 2));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(expected));
    }

    /// <summary>Microsoft: an <c>iss</c> in the answer is the template with some tenant id (each tenant answers with its own).</summary>
    private static bool IsTenantIssuer(string template, string? iss)
    {
        var at = template.IndexOf("{tenantid}", StringComparison.Ordinal);
        var suffix = template[(at + "{tenantid}".Length)..];
        return iss is not null && iss.Length > at + suffix.Length && iss.StartsWith(template[..at], StringComparison.Ordinal) && iss.EndsWith(suffix, StringComparison.Ordinal)
               && ExternalProviderPresets.ExpectedIssuer(template, iss[at..^suffix.Length]) == iss;
    }

    private UpstreamOutcome.Refused Refuse(ExternalProvider provider, UpstreamOutcome.Refused refusal, string detail)
    {
        LogRefused(logger, provider.Name, refusal.Reason, detail);
        return refusal;
    }

    [LoggerMessage(EventId = 2152, Level = LogLevel.Warning, Message = "Upstream provider {Provider} (OpenID Connect): sign-in refused ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string provider, string reason, string detail);
}
