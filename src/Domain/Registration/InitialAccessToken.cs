using AuthService.Domain.Common;

namespace AuthService.Domain.Registration;

/// <summary>
/// An initial access token (RFC 7591 §3, §1.2): issued by an operator, presented as a bearer token at the
/// registration endpoint. Stored only as a hash; valid until it expires, is revoked or has been used
/// <see cref="MaxUses"/> times (unlimited when null).
/// </summary>
public sealed class InitialAccessToken : AggregateRoot
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    private InitialAccessToken()
    {
        TokenHash = null!;
    }

    public Guid Id { get; private set; }

    /// <summary>SHA-256 (base64url) of the token: the token itself is shown once, when issued.</summary>
    public string TokenHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public int? MaxUses { get; private set; }

    public int Uses { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public static InitialAccessToken Issue(string tokenHash, DateTimeOffset expiresAt, int? maxUses, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(string.IsNullOrEmpty(tokenHash), "token", "The token hash is required.");
        Guard.Against(expiresAt <= now || expiresAt - now > MaxLifetime, "expires_in", $"An initial access token expires within 1 second to {MaxLifetime.TotalDays} days.");
        Guard.Against(maxUses is < 1, "max_uses", "max_uses must be at least 1 when given.");
        return new InitialAccessToken { Id = Guid.NewGuid(), TokenHash = tokenHash, CreatedAt = now, ExpiresAt = expiresAt.ToUniversalTime(), MaxUses = maxUses };
    }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt && (MaxUses is null || Uses < MaxUses);

    /// <summary>Counts one registration. False, changing nothing, when the token is revoked, expired or used up.</summary>
    public bool Use(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!IsUsableAt(now))
        {
            return false;
        }

        Uses++;
        return true;
    }

    /// <summary>Stops the token at once. False, changing nothing, when it was already revoked.</summary>
    public bool Revoke(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (RevokedAt is not null)
        {
            return false;
        }

        RevokedAt = now;
        return true;
    }
}
