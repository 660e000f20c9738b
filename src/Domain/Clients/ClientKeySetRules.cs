using System.Text.Json;

namespace AuthService.Domain.Clients;

/// <summary>
/// The rules of registered client metadata that carry keys: <c>jwks</c> (a JWK Set, RFC 7517 §5, of
/// public keys only) and <c>jwks_uri</c> (RFC 7591 §2). Each returns null when the value is acceptable,
/// or why it is not.
/// </summary>
public static class ClientKeySetRules
{
    public const int MaxJwksLength = 32 * 1024;
    public const int MaxKeys = 20;
    public const int MaxUriLength = 2000;

    /// <summary>Members that only a private or symmetric JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).</summary>
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private static readonly string[] PublicKeyTypes = ["RSA", "EC", "OKP"];

    public static string? ValidateJwks(string jwks)
    {
        if (jwks.Length > MaxJwksLength)
        {
            return $"must be at most {MaxJwksLength} characters";
        }

        try
        {
            using var document = JsonDocument.Parse(jwks);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                return "must be a JWK Set: an object with a \"keys\" array (RFC 7517 §5)";
            }

            var count = keys.GetArrayLength();
            if (count is 0 or > MaxKeys)
            {
                return $"must hold 1 to {MaxKeys} keys";
            }

            var kids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in keys.EnumerateArray())
            {
                if (ValidateKey(key, kids) is { } error)
                {
                    return error;
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return "is not valid JSON";
        }
    }

    /// <summary>An absolute https URI without fragment; http only for loopback hosts (development).</summary>
    public static string? ValidateJwksUri(string uri)
    {
        if (uri.Length > MaxUriLength || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return "must be an absolute URI of at most 2000 characters";
        }

        if (!string.IsNullOrEmpty(parsed.Fragment) || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return "must not contain a fragment or user information";
        }

        return parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback)
            ? null
            : "must use https (http only for a loopback host)";
    }

    private static string? ValidateKey(JsonElement key, HashSet<string> kids)
    {
        if (key.ValueKind != JsonValueKind.Object)
        {
            return "must contain only JSON objects as keys";
        }

        if (!key.TryGetProperty("kty", out var kty) || kty.ValueKind != JsonValueKind.String || !PublicKeyTypes.Contains(kty.GetString()))
        {
            return "keys must have kty RSA, EC or OKP (symmetric keys are never registered)";
        }

        foreach (var member in PrivateMembers)
        {
            if (key.TryGetProperty(member, out _))
            {
                return $"must hold public keys only (a key has the private member \"{member}\")";
            }
        }

        if (key.TryGetProperty("kid", out var kid))
        {
            if (kid.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(kid.GetString()))
            {
                return "kid must be a non-empty string";
            }

            if (!kids.Add(kid.GetString()!))
            {
                return "kid values must be unique";
            }
        }

        return null;
    }
}
