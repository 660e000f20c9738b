using System.Text.Json.Serialization;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Resources;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Introspection.Queries.IntrospectToken;

/// <summary>Token introspection (RFC 7662 §2.1). <c>token_type_hint</c> is accepted and, with one token format, not needed.</summary>
public sealed record IntrospectToken(ClientCredentials Credentials, string Token, string? RemoteAddress)
    : IRequest<ProtocolResult<IntrospectionResponse>>;

/// <summary>RFC 7662 §2.2. An inactive answer is exactly <c>{"active":false}</c>.</summary>
public sealed record IntrospectionResponse(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("scope")] string? Scope = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null,
    [property: JsonPropertyName("token_type")] string? TokenType = null,
    [property: JsonPropertyName("exp")] long? Exp = null,
    [property: JsonPropertyName("iat")] long? Iat = null,
    [property: JsonPropertyName("nbf")] long? Nbf = null,
    [property: JsonPropertyName("sub")] string? Sub = null,
    [property: JsonPropertyName("aud")] IReadOnlyList<string>? Aud = null,
    [property: JsonPropertyName("iss")] string? Iss = null,
    [property: JsonPropertyName("jti")] string? Jti = null,
    [property: JsonPropertyName("cnf")] TokenConfirmation? Cnf = null)
{
    public static readonly IntrospectionResponse Inactive = new(false);
}

/// <summary>
/// Answers whether a token is active, to an authenticated confidential client that may know: the
/// client the token was issued to, or a resource server whose <c>client_id</c> is one of the token's
/// audiences (RFC 7662 §2.1 "MUST require some form of authorization", §4 token scanning), or, for an audience
/// that is a registered protected resource (RFC 8707), one of that resource's introspection clients instead. Everyone
/// else learns only <c>active: false</c>.
/// </summary>
public sealed class IntrospectTokenHandler(
    ClientAuthenticator authenticator,
    IAccessTokenValidator validator,
    IRevokedAccessTokenRepository revocations,
    IRefreshTokenFamilyRepository families,
    AccessTokenOwners owners,
    IIssuerProvider issuer,
    TimeProvider clock,
    IProtectedResourceCatalog resources) : IRequestHandler<IntrospectToken, ProtocolResult<IntrospectionResponse>>
{
    public async Task<ProtocolResult<IntrospectionResponse>> Handle(IntrospectToken request, CancellationToken cancellationToken)
    {
        var authenticated = await authenticator.AuthenticateAsync(request.Credentials, request.RemoteAddress, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var caller = authenticated.Value;
        if (caller.Type != ClientType.Confidential)
        {
            // A public client cannot prove who it is, so it cannot be authorized to introspect.
            return OAuthError.InvalidClient;
        }

        var token = await validator.ValidateAsync(request.Token, cancellationToken);
        if (token is null && request.Token.Length == OpaqueToken.HashLength)
        {
            return await IntrospectRefreshTokenAsync(caller, request.Token, cancellationToken);
        }

        if (token is null
            || !await MayIntrospectAsync(caller, token, cancellationToken)
            || await revocations.IsRevokedAsync(token.JwtId, token.Family, cancellationToken)
            || !await owners.AreCurrentAsync(token, cancellationToken))
        {
            return IntrospectionResponse.Inactive;
        }

        return new IntrospectionResponse(
            Active: true,
            Scope: token.Scope,
            ClientId: token.ClientId,

            // RFC 9449 §6.2: a DPoP-bound token is introspected as token_type DPoP, with its cnf.
            TokenType: token.Confirmation?.Jkt is null ? "Bearer" : "DPoP",
            Exp: token.ExpiresAt.ToUnixTimeSeconds(),
            Iat: token.IssuedAt.ToUnixTimeSeconds(),
            Nbf: token.NotBefore?.ToUnixTimeSeconds(),
            Sub: token.Subject,
            Aud: token.Audiences,
            Iss: token.Issuer,
            Jti: token.JwtId,
            Cnf: token.Confirmation);
    }

    /// <summary>
    /// The client the token was issued to, or an audience's: a registered resource names its introspection clients;
    /// any other audience (a client's default <c>audience</c>) is the client whose id it is. The registered resources come
    /// from the resource catalog (in memory, as clients do), not from a read per introspection.
    /// </summary>
    private async Task<bool> MayIntrospectAsync(ClientSnapshot caller, ValidatedAccessToken token, CancellationToken cancellationToken)
    {
        if (token.ClientId == caller.ClientId)
        {
            return true;
        }

        var registered = await resources.FindManyAsync(token.Audiences, cancellationToken);
        return token.Audiences.Any(audience => registered.FirstOrDefault(r => r.Resource == audience) is { } resource
            ? resource.MayBeIntrospectedBy(caller.ClientId)
            : audience == caller.ClientId);
    }

    /// <summary>
    /// A refresh token is active while it is its family's current generation and the family is neither
    /// revoked nor expired; only the client it was issued to learns about it.
    /// </summary>
    private async Task<IntrospectionResponse> IntrospectRefreshTokenAsync(ClientSnapshot caller, string token, CancellationToken cancellationToken)
    {
        var found = await families.FindByTokenHashAsync(OpaqueToken.HashOf(token), cancellationToken);
        if (found is not var (family, presented)
            || family.CheckUse(caller.ClientId, presented.Generation, clock.GetUtcNow()) != RefreshTokenUse.Current)
        {
            return IntrospectionResponse.Inactive;
        }

        var expiresAt = family.AbsoluteExpiresAt < family.IdleExpiresAt ? family.AbsoluteExpiresAt : family.IdleExpiresAt;
        return new IntrospectionResponse(
            Active: true,
            Scope: ScopeSet.Format(family.Scopes),
            ClientId: family.ClientId,
            TokenType: "refresh_token",
            Exp: expiresAt.ToUnixTimeSeconds(),
            Iat: presented.IssuedAt.ToUnixTimeSeconds(),
            Sub: family.UserId.ToString(),
            Iss: issuer.Issuer);
    }
}
