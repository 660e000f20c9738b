namespace AuthService.WebApi.RateLimiting;

/// <summary>
/// <c>Auth:RateLimits</c>: request-rate limits per replica (docs/adr/0043). The defaults sit well above what a person or a
/// well-behaved client does and are meant never to bite them; they bound what one client or one address can take of a replica.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Auth:RateLimits";

    /// <summary>The token endpoint: a token bucket per authenticated client, and per source address for failed authentications.</summary>
    public TokenRateLimitOptions Token { get; set; } = new();

    /// <summary>The sign-in form posts (password, second factor, passkey, sign-in link, federation proof), per source address.</summary>
    public AddressRateLimitOptions SignIn { get; set; } = new() { PermitsPerMinute = 300 };

    /// <summary>Account creation (<c>/account/register</c> and an invitation's registration), per source address.</summary>
    public AddressRateLimitOptions SignUp { get; set; } = new() { PermitsPerMinute = 30 };

    /// <summary>Why the section is invalid, or null.</summary>
    public string? Problem() =>
        Token.PermitsPerSecond is < 1 or > Domain.Clients.ClientSettings.MaxTokenRateLimit
            ? $"Auth:RateLimits:Token:PermitsPerSecond must be between 1 and {Domain.Clients.ClientSettings.MaxTokenRateLimit}."
        : Token.BurstSeconds is < 1 or > 60 ? "Auth:RateLimits:Token:BurstSeconds must be between 1 and 60."
        : Token.UnauthenticatedPermitsPerMinute < 1 ? "Auth:RateLimits:Token:UnauthenticatedPermitsPerMinute must be at least 1."
        : SignIn.PermitsPerMinute < 1 ? "Auth:RateLimits:SignIn:PermitsPerMinute must be at least 1."
        : SignUp.PermitsPerMinute < 1 ? "Auth:RateLimits:SignUp:PermitsPerMinute must be at least 1."
        : null;
}

public sealed class TokenRateLimitOptions
{
    /// <summary>
    /// Token requests per second per client on one replica, unless the client has its own <c>token_rate_limit</c>. About
    /// half of what one replica on two cores issues in all (docs/benchmarks.md), so one client cannot take all of it.
    /// </summary>
    public int PermitsPerSecond { get; set; } = 10_000;

    /// <summary>How many seconds' worth of permits a client may spend at once after a quiet spell (the bucket's size).</summary>
    public int BurstSeconds { get; set; } = 2;

    /// <summary>Token requests per minute per source address whose client authentication failed (429 beyond).</summary>
    public int UnauthenticatedPermitsPerMinute { get; set; } = 300;
}

public sealed class AddressRateLimitOptions
{
    /// <summary>Requests per source address and minute (a fixed window); 429 beyond.</summary>
    public int PermitsPerMinute { get; set; }
}
