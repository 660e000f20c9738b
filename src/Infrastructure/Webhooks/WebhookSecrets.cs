using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Webhooks.Common;
using AuthService.Infrastructure.Cryptography;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Webhooks;

/// <summary>
/// Standard Webhooks secrets ("Signature scheme": <c>whsec_</c> + base64 of 24 to 64 random bytes; 32 here), encrypted
/// with AES-256-GCM under the key-encryption key like client and upstream secrets, the subscription's id as associated data.
/// </summary>
internal sealed class WebhookSecrets(KeyEncryptionKey kek, IOptions<WebhookOptions> options) : IWebhookSecrets
{
    public const string Prefix = "whsec_";
    private const string Purpose = "webhook_secret";
    private const int SecretBytes = 32;

    public TimeSpan PreviousSecretGrace => options.Value.PreviousSecretGrace;

    public string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    public byte[] Protect(Guid subscriptionId, string secret) => kek.Protect(Encoding.UTF8.GetBytes(secret), subscriptionId.ToString(), Purpose);

    public string Unprotect(Guid subscriptionId, byte[] protectedSecret) => Encoding.UTF8.GetString(kek.Unprotect(protectedSecret, subscriptionId.ToString(), Purpose));
}
