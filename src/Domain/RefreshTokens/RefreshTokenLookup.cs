using AuthService.Domain.Users;

namespace AuthService.Domain.RefreshTokens;

/// <summary>What a refresh reads (docs/adr/0040): the presented token, its family, and the person the family belongs to, or null when that person is gone.</summary>
public sealed record RefreshTokenLookup(RefreshTokenFamily Family, RefreshToken Token, User? User);
