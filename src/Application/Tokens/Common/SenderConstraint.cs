using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tokens.Common;

/// <summary>
/// The sender-constraint step of every grant that issues an access token. A client registered with
/// <c>tls_client_certificate_bound_access_tokens</c> must present a certificate (RFC 8705 §3.4), checked first so a
/// refused request spends no DPoP proof. Then DPoP (RFC 9449 §5): no proof means a bearer token, unless the client
/// registered <c>dpop_bound_access_tokens</c> (§5.2); a valid proof binds the access token to its key (<c>cnf.jkt</c>,
/// §6.1) and makes the token type <c>DPoP</c>; an invalid one refuses the request. A client held to the FAPI 2.0
/// Security Profile without a client certificate must send a proof (§5.3.2.1).
/// </summary>
public sealed class SenderConstraint(IDPoPProofValidator proofs, IOptions<DPoPOptions> options)
{
    public const string BearerTokenType = "Bearer";

    /// <summary>
    /// The key thumbprint the tokens are to be bound to: null for a bearer token request, or for a request whose
    /// token is bound to the client certificate of <paramref name="credentials"/> only. A client held to the FAPI 2.0
    /// Security Profile gets sender-constrained access tokens only (§5.3.2.1): without a proof it must have presented
    /// its certificate over mutual TLS (RFC 8705 §3).
    /// </summary>
    public async ValueTask<ProtocolResult<string?>> ProofKeyAsync(
        ClientSnapshot client, ClientCredentials credentials, DPoPPresentation? presentation, CancellationToken cancellationToken)
    {
        if (client.TlsClientCertificateBoundAccessTokens && credentials.Certificate is null)
        {
            return OAuthError.ClientCertificateRequired;
        }

        if (presentation is null || presentation.IsAbsent)
        {
            if (client.DPoPBoundAccessTokens)
            {
                return OAuthError.DPoPProofRequired;
            }

            return ClientProfiles.RequiresSenderConstrainedTokens(client.Profile) && credentials.Confirmation is null
                ? OAuthError.SenderConstraintRequired
                : ProtocolResult<string?>.Success(null);
        }

        var proof = await proofs.ValidateAsync(presentation, accessToken: null, options.Value.RequireNonce, cancellationToken);
        return proof.IsSuccess ? proof.Value.Jkt : proof.Error;
    }

    /// <summary>
    /// The <c>cnf</c> of the access token: the DPoP key's thumbprint (RFC 9449 §6.1) and/or the client certificate's
    /// (RFC 8705 §3.1, <paramref name="certificate"/>), or null for a bearer token. A token carrying both is usable
    /// only by whoever holds both.
    /// </summary>
    public static TokenConfirmation? Confirmation(string? jkt, TokenConfirmation? certificate = null) =>
        jkt is null && certificate?.X5tS256 is null ? null : new TokenConfirmation(Jkt: jkt, X5tS256: certificate?.X5tS256);

    /// <summary>RFC 9449 §5: <c>token_type</c> is <c>DPoP</c> for a DPoP-bound access token.</summary>
    public static string TokenType(string? jkt) => jkt is null ? BearerTokenType : DPoPPresentation.TokenType;

    /// <summary>
    /// RFC 9449 §5: a public client's refresh tokens are bound to the proof key (it has no other way to prove it is the
    /// holder); a confidential client's are sender-constrained by its client authentication and stay unbound.
    /// </summary>
    public static string? RefreshTokenBinding(ClientSnapshot client, string? jkt) => client.Type == ClientType.Public ? jkt : null;
}
