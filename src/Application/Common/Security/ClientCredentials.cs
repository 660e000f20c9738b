namespace AuthService.Application.Common.Security;

/// <summary>How the client presented itself at a back-channel endpoint (OAuth 2.1 §2.4).</summary>
public enum PresentedAuthMethod
{
    /// <summary>Only <c>client_id</c> in the body: a public client.</summary>
    None = 0,
    ClientSecretBasic = 1,
    ClientSecretPost = 2,

    /// <summary>A JWT in <c>client_assertion</c> (RFC 7521 §4.2): private_key_jwt or client_secret_jwt (OIDC Core §9).</summary>
    ClientAssertion = 3,
}

/// <summary>
/// The credentials read from one request. <see cref="ToString"/> is overridden so the secret can never
/// reach a log through string formatting.
/// </summary>
public sealed record ClientCredentials(string ClientId, string? Secret, PresentedAuthMethod Method)
{
    /// <summary>
    /// The compact JWS of a <see cref="PresentedAuthMethod.ClientAssertion"/>; <see cref="ClientId"/> is then its
    /// unverified <c>sub</c>, used only to look the client up before the assertion is verified.
    /// </summary>
    public string? Assertion { get; init; }

    /// <summary>
    /// The certificate presented over mutual TLS with this request, or null. It authenticates a client registered
    /// for <c>tls_client_auth</c>/<c>self_signed_tls_client_auth</c> (RFC 8705 §2) and, whatever the client's
    /// method, binds the access token issued (§3).
    /// </summary>
    public ClientCertificate? Certificate { get; init; }

    /// <summary>The <c>cnf</c> for tokens issued to this request: the certificate's, or null (a bearer token).</summary>
    public Interfaces.TokenConfirmation? Confirmation => Certificate?.Confirmation;

    public override string ToString() => $"ClientCredentials {{ ClientId = {ClientId}, Method = {Method} }}";
}
