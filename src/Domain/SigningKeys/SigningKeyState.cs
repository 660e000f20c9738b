namespace AuthService.Domain.SigningKeys;

/// <summary>
/// Pending (published, not signing) → Active (signs; one per algorithm) → Retired (published for
/// verification only) → Removed (gone from the JWKS). Revoked is the emergency exit from any
/// published state: gone from the JWKS at once.
/// </summary>
public enum SigningKeyState
{
    Pending = 0,
    Active = 1,
    Retired = 2,
    Removed = 3,
    Revoked = 4,
}
