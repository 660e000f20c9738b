namespace AuthService.Domain.Clients;

/// <summary>RFC 7591 §2 <c>token_endpoint_auth_method</c> values this server supports.</summary>
public static class TokenEndpointAuthMethods
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string ClientSecretPost = "client_secret_post";

    /// <summary>A public client: it has no credentials (RFC 7591 §2, "none").</summary>
    public const string None = "none";

    public static IReadOnlyList<string> Supported { get; } = [ClientSecretBasic, ClientSecretPost, None];

    public static bool IsSupported(string method) => Supported.Contains(method, StringComparer.Ordinal);
}
