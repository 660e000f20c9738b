namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Counts failed client authentications per client id and source address (OAuth 2.1 §2.4.1: endpoints
/// using client secrets MUST be protected against brute force).
/// </summary>
public interface IClientAuthenticationThrottle
{
    /// <summary>How long the caller must wait before trying again, or null when it may try now.</summary>
    TimeSpan? RetryAfter(string clientId, string? remoteAddress);

    void RecordFailure(string clientId, string? remoteAddress);
}
