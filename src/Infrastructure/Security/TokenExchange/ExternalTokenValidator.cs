using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients;
using AuthService.Infrastructure.Cryptography;
using AuthService.Infrastructure.Security.ClientKeys;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.TokenExchange;

/// <summary>
/// Validates a JWT of a trusted external issuer (<c>Auth:TokenExchange:TrustedIssuers</c>) for token exchange (RFC 8693
/// §3): a strictly parsed compact JWS, its <c>iss</c> exactly a trusted issuer, signed with an asymmetric algorithm
/// (RFC 8725 §3.1: never <c>none</c>, never a MAC, whose key an issuer would have to share) by a key of the issuer's JWK
/// Set (fetched through the hardened fetcher and cached as client key sets are), its <c>aud</c> the configured
/// audience, <c>exp</c> in the future and <c>nbf</c>, if any, past (no clock skew), and a non-empty subject claim.
/// </summary>
internal sealed class ExternalTokenValidator(JwksUriFetcher fetcher, IOptions<TokenExchangeOptions> exchange, IOptions<AuthServerOptions> options, TimeProvider clock)
    : IExternalTokenValidator
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    private readonly JwksUriCache _keys = new(
        fetcher, TimeSpan.FromSeconds(options.Value.ClientJwksUriCacheSeconds), TimeSpan.FromSeconds(options.Value.ClientJwksUriRefetchSeconds), clock);

    public bool IsTrusted(string issuer) => Find(issuer) is not null;

    public async ValueTask<ExternalToken?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (JwtAccessTokenValidator.ParseStrict(token) is not { } jwt || Find(jwt.Issuer) is not { } trusted || !JwsAlgorithms.IsAsymmetric(jwt.Alg))
        {
            return null;
        }

        var keys = await _keys.ResolveAsync(trusted.Issuer, trusted.JwksUri, jwt.Kid, cancellationToken);
        var now = clock.GetUtcNow();
        var result = await Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = trusted.Issuer,
            ValidAudience = trusted.Audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = JwsAlgorithms.Asymmetric,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && now < new DateTimeOffset(exp, TimeSpan.Zero) && (notBefore is not { } nbf || new DateTimeOffset(nbf, TimeSpan.Zero) <= now),
        });
        if (!result.IsValid || !jwt.TryGetPayloadValue<string>(trusted.SubjectClaim ?? JwtRegisteredClaimNames.Sub, out var subject)
            || string.IsNullOrEmpty(subject) || subject.Length > 255 || subject.Any(char.IsControl))
        {
            return null;
        }

        jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jwtId);
        return new ExternalToken(trusted.Issuer, subject, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), jwtId);
    }

    private TrustedIssuer? Find(string? issuer) =>
        issuer is null ? null : exchange.Value.TrustedIssuers.FirstOrDefault(t => string.Equals(t.Issuer, issuer, StringComparison.Ordinal));
}
