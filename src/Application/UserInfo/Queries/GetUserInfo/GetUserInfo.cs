using System.Text.Json.Serialization;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.Clients;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.UserInfo.Queries.GetUserInfo;

/// <summary>The UserInfo endpoint (OIDC Core §5.3) with the bearer token of the request (RFC 6750 §2.1).</summary>
public sealed record GetUserInfo(string? AccessToken) : IRequest<ProtocolResult<UserInfoResponse>>
{
    /// <summary>The <c>x5t#S256</c> of the client certificate presented over mutual TLS with the request, or null.</summary>
    public string? CertificateThumbprint { get; init; }

    /// <summary>Set when the token came with the DPoP scheme (RFC 9449 §7.1): the proof headers and the URL they must name.</summary>
    public DPoPPresentation? DPoP { get; init; }

    public override string ToString() => "GetUserInfo";
}

/// <summary>OIDC Core §5.3.2: <c>sub</c> always; <c>profile</c> and <c>email</c> claims by scope (§5.4); the tenant claims by the <c>tenant</c> scope (docs/adr/0038).</summary>
public sealed record UserInfoResponse(
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonPropertyName("preferred_username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PreferredUsername = null,
    [property: JsonPropertyName("email"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null,
    [property: JsonPropertyName("email_verified"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? EmailVerified = null)
{
    /// <summary>docs/adr/0038: the token's tenant (slug), while the person is still in it and it is active.</summary>
    [JsonPropertyName(TenantClaims.TenantClaim), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tenant { get; init; }

    [JsonPropertyName(TenantClaims.TenantIdClaim), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TenantId { get; init; }

    /// <summary>The person's roles in <see cref="Tenant"/> now.</summary>
    [JsonPropertyName(TenantClaims.TenantRolesClaim), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? TenantRoles { get; init; }

    /// <summary>The slugs of the person's active tenants; left out above <see cref="TenantClaimsReader.MaxTenantsClaim"/>.</summary>
    [JsonPropertyName(TenantClaims.TenantsClaim), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Tenants { get; init; }
}

/// <summary>
/// Answers for a valid, unrevoked access token of this server, issued for a user with the <c>openid</c>
/// scope and meant for this server (its audience is the issuer; ASVS 10.3.1). A missing, malformed,
/// expired or revoked token, or one whose user or client is gone or disabled, is <c>invalid_token</c> (401); a
/// token without <c>openid</c> is <c>insufficient_scope</c> (403; RFC 6750 §3.1).
/// </summary>
public sealed class GetUserInfoHandler(
    IAccessTokenValidator validator,
    IRevokedAccessTokenRepository revocations,
    IUserRepository users,
    IClientCatalog clients,
    TenantClaimsReader tenantClaims,
    IIssuerProvider issuer,
    IDPoPProofValidator proofs) : IRequestHandler<GetUserInfo, ProtocolResult<UserInfoResponse>>
{
    public async Task<ProtocolResult<UserInfoResponse>> Handle(GetUserInfo request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.AccessToken))
        {
            return OAuthError.InvalidAccessToken;
        }

        var token = await validator.ValidateAsync(request.AccessToken, cancellationToken);
        if (token is null || !token.Audiences.Contains(issuer.Issuer, StringComparer.Ordinal) || !Guid.TryParse(token.Subject, out var userId)
            || !MutualTlsBinding.Accepts(token, request.CertificateThumbprint)
            || await revocations.IsRevokedAsync(token.JwtId, token.Family, cancellationToken))
        {
            return OAuthError.InvalidAccessToken;
        }

        var possession = await CheckPossessionAsync(request, token, cancellationToken);
        if (possession is not null)
        {
            return possession;
        }

        var scopes = ScopeSet.Parse(token.Scope);
        if (!scopes.IsSuccess || !scopes.Value.Contains("openid", StringComparer.Ordinal))
        {
            return OAuthError.OpenIdScopeMissing;
        }

        // A disabled or deleted client's tokens stop at once, like a disabled or deleted user's.
        var user = await users.FindByIdAsync(userId, cancellationToken);
        if (user is null || user.Disabled || await clients.FindAsync(token.ClientId, cancellationToken) is not { } client || !client.Vouches(token.IssuedAt))
        {
            return OAuthError.InvalidAccessToken;
        }

        var profile = scopes.Value.Contains("profile", StringComparer.Ordinal);
        var email = scopes.Value.Contains("email", StringComparer.Ordinal) && user.Email is not null;
        var answer = new UserInfoResponse(
            Subject: user.Id.ToString(),
            Name: profile ? user.Name : null,
            PreferredUsername: profile ? user.Username : null,
            Email: email ? user.Email : null,
            EmailVerified: email ? user.EmailVerified : null);
        if (!scopes.Value.Contains(ScopeRules.Tenant, StringComparer.Ordinal))
        {
            return answer;
        }

        // docs/adr/0038: read now, so the roles are the current ones; a membership removed or a tenant suspended since the
        // token was issued gives no tenant claims (the token still answers for the person), while tenants lists what is left.
        var tenant = await tenantClaims.ForUserInfoAsync(token.TenantId, user.Id, cancellationToken);
        return answer with
        {
            Tenant = tenant.Tenant?.Slug,
            TenantId = tenant.Tenant?.TenantId.ToString("D"),
            TenantRoles = tenant.Tenant?.Roles,
            Tenants = tenant.Tenants,
        };
    }

    /// <summary>
    /// RFC 9449 §7.1 (CVE-2024-49755 is what skipping it costs): a token with <c>cnf.jkt</c> needs the DPoP scheme and a
    /// proof for this request (htm, htu, <c>ath</c>) by that very key; a token without one is refused under the DPoP scheme.
    /// </summary>
    private async Task<OAuthError?> CheckPossessionAsync(GetUserInfo request, ValidatedAccessToken token, CancellationToken cancellationToken)
    {
        var boundTo = token.Confirmation?.Jkt;
        if (request.DPoP is null)
        {
            return boundTo is null ? null : OAuthError.DPoPBoundTokenAsBearer;
        }

        if (boundTo is null)
        {
            return OAuthError.BearerTokenAsDPoP;
        }

        var proof = await proofs.ValidateAsync(request.DPoP, request.AccessToken, requireNonce: false, cancellationToken);
        if (!proof.IsSuccess)
        {
            return proof.Error;
        }

        return string.Equals(proof.Value.Jkt, boundTo, StringComparison.Ordinal) ? null : OAuthError.InvalidDPoPProof;
    }
}
