namespace AuthService.Application.Authorization.Requests;

/// <summary>
/// Pushed authorization requests (RFC 9126) and verified requests, from the <c>Auth</c> section:
/// <c>Auth:RequirePushedAuthorizationRequests</c>, <c>Auth:PushedAuthorizationRequestLifetime</c>,
/// <c>Auth:VerifiedRequestLifetime</c>. Validated at start.
/// </summary>
public sealed class PushedAuthorizationOptions
{
    public const string SectionName = "Auth";

    /// <summary>RFC 9126 §5: every client must push its authorization requests (besides the per-client switch).</summary>
    public bool RequirePushedAuthorizationRequests { get; set; }

    /// <summary>The <c>expires_in</c> of a <c>request_uri</c> (RFC 9126 §2.2: short; 5 s to 10 min).</summary>
    public TimeSpan PushedAuthorizationRequestLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a pushed or signed request, once used at the authorization endpoint, may still take through the
    /// sign-in and consent pages (1 to 60 min).
    /// </summary>
    public TimeSpan VerifiedRequestLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public bool IsValid() =>
        PushedAuthorizationRequestLifetime >= TimeSpan.FromSeconds(5) && PushedAuthorizationRequestLifetime <= TimeSpan.FromMinutes(10)
        && VerifiedRequestLifetime >= TimeSpan.FromMinutes(1) && VerifiedRequestLifetime <= TimeSpan.FromMinutes(60);
}
