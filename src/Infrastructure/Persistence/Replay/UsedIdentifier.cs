namespace AuthService.Infrastructure.Persistence.Replay;

/// <summary>
/// A row of the replay cache: the SHA-256 of scope and identifier, and when it may be forgotten
/// (Unix seconds, the same column type on both providers so one INSERT serves both).
/// </summary>
internal sealed class UsedIdentifier
{
    public const int KeyLength = 43;

    public string Key { get; set; } = null!;

    public long ExpiresAt { get; set; }
}
