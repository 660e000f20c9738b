using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Clients;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Common.Security;

/// <summary>
/// Authenticates a client at a back-channel endpoint (OAuth 2.1 §2.4; RFC 6749 §2.3). Called
/// explicitly as the first step of each token, revocation and introspection handler.
/// </summary>
public sealed partial class ClientAuthenticator(
    IClientCatalog clients,
    IClientAuthenticationThrottle throttle,
    IClientAssertionValidator assertions,
    IClientCertificateAuthenticator certificates,
    ITokenRateLimiter rateLimiter,
    TimeProvider clock,
    ILogger<ClientAuthenticator> logger)
{
    public async Task<ProtocolResult<ClientSnapshot>> AuthenticateAsync(
        ClientCredentials credentials, string? remoteAddress, CancellationToken cancellationToken)
    {
        if (throttle.RetryAfter(credentials.ClientId, remoteAddress) is { } retryAfter)
        {
            LogThrottled(logger, credentials.ClientId, remoteAddress);
            return OAuthError.ClientAuthenticationThrottled(retryAfter);
        }

        var client = await clients.FindAsync(credentials.ClientId, cancellationToken);
        var failure = client is null ? "unknown or disabled client"
            : client.Enabled && TokenEndpointAuthMethods.UsesMutualTls(client.TokenEndpointAuthMethod) ? await CheckCertificateAsync(client, credentials, cancellationToken)
            : await CheckAsync(client, credentials, cancellationToken);
        if (failure is null)
        {
            return client!;
        }

        throttle.RecordFailure(credentials.ClientId, remoteAddress);
        LogFailed(logger, credentials.ClientId, credentials.Method, remoteAddress, failure);
        return OAuthError.InvalidClient;
    }

    /// <summary>Authenticates the client, then checks that it registered <paramref name="grantType"/> (else <c>unauthorized_client</c>).</summary>
    public async Task<ProtocolResult<ClientSnapshot>> AuthenticateForGrantAsync(
        ClientCredentials credentials, string? remoteAddress, string grantType, CancellationToken cancellationToken)
    {
        var authenticated = await AuthenticateAsync(credentials, remoteAddress, cancellationToken);
        return authenticated.IsSuccess && !authenticated.Value.AllowsGrant(grantType) ? OAuthError.UnauthorizedClient : authenticated;
    }

    /// <summary>
    /// The token endpoint's first step: authenticates the client, spends one permit of its token rate budget
    /// (<see cref="TokenRatePartition"/>, docs/adr/0043), then checks that it registered <paramref name="grantType"/>.
    /// A failed authentication spends its source address's budget, never the budget of the client it names; beyond
    /// either budget the answer is 429 with Retry-After.
    /// </summary>
    public async Task<ProtocolResult<ClientSnapshot>> AuthenticateForTokenAsync(
        ClientCredentials credentials, string? remoteAddress, string grantType, CancellationToken cancellationToken)
    {
        var authenticated = await AuthenticateAsync(credentials, remoteAddress, cancellationToken);
        var partition = authenticated.IsSuccess
            ? TokenRatePartition.ForClient(authenticated.Value, remoteAddress)
            : TokenRatePartition.ForUnauthenticated(remoteAddress);
        if (rateLimiter.TryAcquire(partition) is { } retryAfter)
        {
            LogRateLimited(logger, partition.ClientId, partition.RemoteAddress);
            return OAuthError.TokenRateLimited(retryAfter);
        }

        return authenticated.IsSuccess && !authenticated.Value.AllowsGrant(grantType) ? OAuthError.UnauthorizedClient : authenticated;
    }

    /// <summary>
    /// A client registered for a JWT assertion method authenticates with an assertion, verified for that method
    /// only (a private_key_jwt client cannot present an HMAC assertion, nor the reverse); every other client with
    /// the secret or public-client rules.
    /// </summary>
    private async ValueTask<string?> CheckAsync(ClientSnapshot client, ClientCredentials credentials, CancellationToken cancellationToken)
    {
        var usesAssertion = TokenEndpointAuthMethods.UsesAssertion(client.TokenEndpointAuthMethod);
        var presentsAssertion = credentials.Method == PresentedAuthMethod.ClientAssertion;
        if (!client.Enabled || usesAssertion != presentsAssertion)
        {
            return Check(client, credentials);
        }

        return usesAssertion ? await assertions.ValidateAsync(client, credentials.Assertion ?? string.Empty, cancellationToken) : Check(client, credentials);
    }

    /// <summary>
    /// RFC 8705 §2: the client names itself with <c>client_id</c> in the body and proves itself with its certificate
    /// alone; a secret sent as well is another method, which the registration does not allow.
    /// </summary>
    private async ValueTask<string?> CheckCertificateAsync(ClientSnapshot client, ClientCredentials credentials, CancellationToken cancellationToken) =>
        credentials.Method != PresentedAuthMethod.None
            ? $"method {credentials.Method} does not match the registered {client.TokenEndpointAuthMethod}"
            : await certificates.CheckAsync(client, credentials.Certificate, cancellationToken);

    /// <summary>Why the credentials do not authenticate <paramref name="client"/>, or null when they do.</summary>
    private string? Check(ClientSnapshot client, ClientCredentials credentials)
    {
        if (!client.Enabled)
        {
            return "unknown or disabled client";
        }

        // A client authenticates with the method it registered (RFC 7591 §2); a confidential
        // client can never fall back to presenting only its client_id (OAuth 2.1 §3.2.1).
        PresentedAuthMethod? expected = client.TokenEndpointAuthMethod switch
        {
            TokenEndpointAuthMethods.ClientSecretBasic => PresentedAuthMethod.ClientSecretBasic,
            TokenEndpointAuthMethods.ClientSecretPost => PresentedAuthMethod.ClientSecretPost,
            TokenEndpointAuthMethods.None => PresentedAuthMethod.None,
            _ => null,
        };
        if (expected is null || credentials.Method != expected)
        {
            return $"method {credentials.Method} does not match the registered {client.TokenEndpointAuthMethod}";
        }

        if (client.Type == ClientType.Public)
        {
            return null;
        }

        return credentials.Secret is { Length: > 0 } secret && client.HasValidSecret(secret, clock.GetUtcNow())
            ? null
            : "wrong or expired secret";
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Security event client_authentication_failed: client {ClientId} via {Method} from {RemoteAddress}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string clientId, PresentedAuthMethod method, string? remoteAddress, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "Security event client_authentication_throttled: client {ClientId} from {RemoteAddress}")]
    private static partial void LogThrottled(ILogger logger, string clientId, string? remoteAddress);

    // Debug: a flood of refused requests must not become a flood of log entries; the 429s themselves are the signal.
    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug,
        Message = "Token request over the rate limit: client {ClientId} from {RemoteAddress}")]
    private static partial void LogRateLimited(ILogger logger, string? clientId, string? remoteAddress);
}
