using System.Text;
using AuthService.Application.Common.Interfaces;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>AES-256-GCM under the key-encryption key, like signing keys; the client id is associated data.</summary>
internal sealed class ClientSecretProtector(KeyEncryptionKey kek) : IClientSecretProtector
{
    private const string Purpose = "client_secret_jwt";

    public byte[] Protect(string clientId, string secret) => kek.Protect(Encoding.UTF8.GetBytes(secret), clientId, Purpose);

    public byte[] Unprotect(string clientId, byte[] protectedValue) => kek.Unprotect(protectedValue, clientId, Purpose);
}
