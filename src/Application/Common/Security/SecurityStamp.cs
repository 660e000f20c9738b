using System.Security.Cryptography;

namespace AuthService.Application.Common.Security;

/// <summary>A fresh random value for <see cref="Domain.Users.User.SecurityStamp"/> (128 bits, hex).</summary>
public static class SecurityStamp
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
