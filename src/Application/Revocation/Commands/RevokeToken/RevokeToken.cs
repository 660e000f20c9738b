using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.AccessTokens;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Revocation.Commands.RevokeToken;

/// <summary>Token revocation (RFC 7009 §2.1). <c>token_type_hint</c> is accepted and, with one token format, not needed.</summary>
public sealed record RevokeToken(ClientCredentials Credentials, string Token, string? RemoteAddress) : IRequest<ProtocolResult<Unit>>;

/// <summary>
/// Puts an access token on the denylist that introspection honours, until it expires. A token that is
/// unknown, malformed or already expired needs nothing and is answered with success (RFC 7009 §2.2);
/// a token issued to another client is refused and stays active (§2.1). The answer is sent only
/// after the entry is stored (GHSA-7mqr-2v3q-v2wm: never report a revocation that did not happen).
/// </summary>
public sealed partial class RevokeTokenHandler(
    ClientAuthenticator authenticator,
    IAccessTokenValidator validator,
    IRefreshTokenFamilyRepository families,
    GrantRevocation grants,
    ILogger<RevokeTokenHandler> logger) : IRequestHandler<RevokeToken, ProtocolResult<Unit>>
{
    private static readonly OAuthError NotYourToken = OAuthError.TokenOfAnotherClient;

    public async Task<ProtocolResult<Unit>> Handle(RevokeToken request, CancellationToken cancellationToken)
    {
        var authenticated = await authenticator.AuthenticateAsync(request.Credentials, request.RemoteAddress, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var token = await validator.ValidateAsync(request.Token, cancellationToken);
        if (token is null)
        {
            return request.Token.Length == OpaqueToken.HashLength
                ? await RevokeRefreshTokenAsync(authenticated.Value.ClientId, request.Token, cancellationToken)
                : Unit.Value;
        }

        if (token.ClientId != authenticated.Value.ClientId)
        {
            LogForeignToken(logger, authenticated.Value.ClientId, token.ClientId);
            return NotYourToken;
        }

        // A concurrent request that revoked the same token first leaves the same outcome.
        await grants.DenyAccessTokenAsync(token.JwtId, token.ExpiresAt, token.ClientId, cancellationToken);
        return Unit.Value;
    }

    /// <summary>RFC 7009 §2.1: revoking a refresh token revokes its whole family, with the family's latest access token.</summary>
    private async Task<ProtocolResult<Unit>> RevokeRefreshTokenAsync(string clientId, string token, CancellationToken cancellationToken)
    {
        if (await families.FindByTokenHashAsync(OpaqueToken.HashOf(token), cancellationToken) is not var (family, _))
        {
            return Unit.Value;
        }

        if (family.ClientId != clientId)
        {
            LogForeignToken(logger, clientId, family.ClientId);
            return NotYourToken;
        }

        await grants.RevokeFamilyAsync(family.Id, "revoked_by_client", cancellationToken);
        return Unit.Value;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Security event revocation_refused: client {ClientId} tried to revoke a token of client {TokenClientId}")]
    private static partial void LogForeignToken(ILogger logger, string clientId, string tokenClientId);
}
