using System.Security.Cryptography;
using System.Text;

namespace AuthService.Infrastructure.Webhooks;

/// <summary>
/// Standard Webhooks "Signature scheme": <c>v1,</c> + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")),
/// the key being the base64-decoded part of the secret after <c>whsec_</c>; several signatures space-separated.
/// </summary>
internal static class WebhookSignature
{
    public static string Sign(string secret, string webhookId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(WebhookSecrets.Prefix, StringComparison.Ordinal) ? secret[WebhookSecrets.Prefix.Length..] : secret);
        var signed = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{webhookId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>The <c>webhook-signature</c> header: one signature per valid secret, the current one first.</summary>
    public static string Header(IEnumerable<string> secrets, string webhookId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, webhookId, timestamp, body)));
}
