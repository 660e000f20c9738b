using AuthService.Domain.Clients;
using AuthService.Infrastructure.Security.Outbound;
using Microsoft.Extensions.Logging;

namespace AuthService.Infrastructure.Security.ClientKeys;

/// <summary>
/// Fetches a client's JWK Set from its <c>jwks_uri</c> (RFC 7591 §2) through the <see cref="HardenedFetcher"/>
/// (https only, no private addresses, no redirects, size and time limits), and accepts the body only as a JWK Set
/// of public keys.
/// </summary>
public sealed partial class JwksUriFetcher(HardenedFetcher fetcher, TimeSpan timeout, ILogger<JwksUriFetcher> logger)
{
    /// <summary>A JWK Set larger than this is refused unread (the registered <c>jwks</c> limit is smaller still).</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>The JWK Set's JSON text, or null when it cannot be fetched or is not an acceptable key set (logged, without the body).</summary>
    public async Task<string?> FetchAsync(string clientId, string jwksUri, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(jwksUri, UriKind.Absolute, out var uri))
        {
            LogRefused(logger, clientId, "the jwks_uri is not an absolute URL");
            return null;
        }

        var response = await fetcher.GetAsync(uri, "application/jwk-set+json, application/json", MaxResponseBytes, timeout, cancellationToken);
        if (response.Body is not { } body)
        {
            LogRefused(logger, clientId, response.Failure!);
            return null;
        }

        if (ClientKeySetRules.ValidateJwks(body) is { } error)
        {
            LogRefused(logger, clientId, $"the JWK Set {error}");
            return null;
        }

        return body;
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning,
        Message = "Security event client_jwks_uri_refused: the keys of client {ClientId} could not be used: {Reason}")]
    private static partial void LogRefused(ILogger logger, string clientId, string reason);
}
