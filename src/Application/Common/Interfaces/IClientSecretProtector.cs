namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Encrypts a client secret for the one method that needs the secret itself rather than its hash:
/// <c>client_secret_jwt</c>, whose HMAC is keyed with it (OIDC Core §9). Bound to the client id, so a
/// protected value copied to another client does not decrypt (docs/adr/0005).
/// </summary>
public interface IClientSecretProtector
{
    byte[] Protect(string clientId, string secret);

    /// <summary>The secret's UTF-8 bytes, for use as a MAC key; the caller zeroes them after use.</summary>
    byte[] Unprotect(string clientId, byte[] protectedValue);
}
