using System.Text;
using AuthService.Application.Common.Interfaces;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Reversible and bound to the client id, like the real protector, without a key-encryption key.</summary>
public sealed class FakeClientSecretProtector : IClientSecretProtector
{
    public byte[] Protect(string clientId, string secret) => Encoding.UTF8.GetBytes($"{clientId}\n{secret}");

    public byte[] Unprotect(string clientId, byte[] protectedValue)
    {
        var text = Encoding.UTF8.GetString(protectedValue);
        var prefix = clientId + "\n";
        return text.StartsWith(prefix, StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(text[prefix.Length..])
            : throw new System.Security.Cryptography.CryptographicException("The protected secret belongs to another client.");
    }
}
