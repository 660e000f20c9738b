namespace AuthService.Application.Common.Security;

/// <summary>How the client presented itself at a back-channel endpoint (OAuth 2.1 §2.4).</summary>
public enum PresentedAuthMethod
{
    /// <summary>Only <c>client_id</c> in the body: a public client.</summary>
    None = 0,
    ClientSecretBasic = 1,
    ClientSecretPost = 2,
}

/// <summary>
/// The credentials read from one request. <see cref="ToString"/> is overridden so the secret can never
/// reach a log through string formatting.
/// </summary>
public sealed record ClientCredentials(string ClientId, string? Secret, PresentedAuthMethod Method)
{
    public override string ToString() => $"ClientCredentials {{ ClientId = {ClientId}, Method = {Method} }}";
}
