using System.ComponentModel.DataAnnotations;

namespace ServiceClient;

/// <summary>How this service gets its tokens. Exactly one of <see cref="ClientSecret"/> and <see cref="PrivateKeyFile"/>.</summary>
public sealed class TokenClientOptions : IValidatableObject
{
    /// <summary>AuthService's issuer URL; the token endpoint is read from its metadata (RFC 8414).</summary>
    [Required]
    public string Authority { get; set; } = "";

    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>For <c>client_secret_basic</c> (RFC 6749 §2.3.1).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A PEM file with the RSA private key for <c>private_key_jwt</c> (RFC 7523, OpenID Connect Core §9).</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The <c>kid</c> of the registered public key the assertion names.</summary>
    public string? KeyId { get; set; }

    /// <summary>Space-separated scopes to ask for; empty asks for the client's registered scopes.</summary>
    public string? Scope { get; set; }

    /// <summary>RFC 8707 resource indicator: the API the token is for (optional when the client has a fixed audience).</summary>
    public string? Resource { get; set; }

    /// <summary>Get a new token this long before the cached one expires, so no call goes out with a token about to lapse.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(ClientSecret) == string.IsNullOrEmpty(PrivateKeyFile))
        {
            yield return new ValidationResult("Set either TokenClient:ClientSecret or TokenClient:PrivateKeyFile.");
        }
    }
}

/// <summary>What the worker calls and how often.</summary>
public sealed class WorkerOptions
{
    public Uri Api { get; set; } = new("http://127.0.0.1:5101/me");

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);
}
