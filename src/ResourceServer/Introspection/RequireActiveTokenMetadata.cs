namespace AuthService.ResourceServer.Introspection;

/// <summary>
/// Endpoint metadata: tokens presented to this endpoint are also introspected at the authority (RFC 7662), so a
/// revoked token is refused at once instead of when it expires. Added by <c>RequireActiveToken()</c>.
/// </summary>
public sealed class RequireActiveTokenMetadata
{
    public static RequireActiveTokenMetadata Instance { get; } = new();
}
