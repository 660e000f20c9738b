using AuthService.Domain.Registration;

namespace AuthService.Application.Registration.Common;

/// <summary>An initial access token as the admin API shows it: never its value (shown once, at issue) or hash.</summary>
public record InitialAccessTokenResponse(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, int? MaxUses, int Uses, DateTimeOffset? RevokedAt, bool Active)
{
    public static InitialAccessTokenResponse From(InitialAccessToken token, DateTimeOffset now) =>
        new(token.Id, token.CreatedAt.ToUniversalTime(), token.ExpiresAt.ToUniversalTime(), token.MaxUses, token.Uses, token.RevokedAt?.ToUniversalTime(), token.IsUsableAt(now));
}

/// <summary>The answer to issuing a token: its metadata and, this once, the token itself.</summary>
public sealed record IssuedInitialAccessTokenResponse : InitialAccessTokenResponse
{
    public IssuedInitialAccessTokenResponse(InitialAccessTokenResponse token, string value)
        : base(token) => Token = value;

    public string Token { get; }

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"IssuedInitialAccessTokenResponse {{ Id = {Id}, Token = *** }}";
}
