using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients;

namespace AuthService.Application.Clients.Common;

/// <summary>
/// What is stored of a new client secret: always its hash; for <c>client_secret_jwt</c> also the secret
/// encrypted, because that method's HMAC needs the secret itself (docs/adr/0005).
/// </summary>
public sealed record NewClientSecret(SecretHash Hash, byte[]? Protected)
{
    public static NewClientSecret For(string clientId, string tokenEndpointAuthMethod, string secret, IClientSecretProtector protector) =>
        new(SecretHash.Compute(secret),
            tokenEndpointAuthMethod == TokenEndpointAuthMethods.ClientSecretJwt ? protector.Protect(clientId, secret) : null);

    /// <summary>Never prints the protected value.</summary>
    public override string ToString() => "NewClientSecret(***)";
}
