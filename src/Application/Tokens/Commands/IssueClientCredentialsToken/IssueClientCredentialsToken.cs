using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Resources;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Clients;
using MediatR;

namespace AuthService.Application.Tokens.Commands.IssueClientCredentialsToken;

/// <summary><c>grant_type=client_credentials</c> (RFC 6749 §4.4; OAuth 2.1 §4.2).</summary>
public sealed record IssueClientCredentialsToken(ClientCredentials Credentials, string? Scope, string? RemoteAddress, DPoPPresentation? DPoP = null)
    : IRequest<ProtocolResult<TokenResponse>>
{
    /// <summary>The <c>resource</c> values of the token request (RFC 8707 §2), space-joined; null when none.</summary>
    public string? Resource { get; init; }
}

/// <summary>
/// Authenticates the client, checks the grant and the scope, and signs an RFC 9068 access token.
/// Nothing is written: the token is self-contained and the client lookup is cached.
/// </summary>
public sealed class IssueClientCredentialsTokenHandler(
    ClientAuthenticator authenticator,
    SenderConstraint senderConstraint,
    IAccessTokenIssuer tokens,
    IIssuerProvider issuer,
    TimeProvider clock,
    ResourceIndicators resources) : IRequestHandler<IssueClientCredentialsToken, ProtocolResult<TokenResponse>>
{
    public async Task<ProtocolResult<TokenResponse>> Handle(IssueClientCredentialsToken request, CancellationToken cancellationToken)
    {
        // The client's grant rule: registered, and for confidential clients only (OAuth 2.1 §4.2).
        var authenticated = await authenticator.AuthenticateForTokenAsync(request.Credentials, request.RemoteAddress, GrantTypes.ClientCredentials, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var client = authenticated.Value;

        var scopes = GrantedScopes(request.Scope, client);
        if (!scopes.IsSuccess)
        {
            return scopes.Error;
        }

        var audience = await AudienceAsync(request.Resource, client, scopes.Value, cancellationToken);
        if (!audience.IsSuccess)
        {
            return audience.Error;
        }

        var jkt = await senderConstraint.ProofKeyAsync(client, request.Credentials, request.DPoP, cancellationToken);
        if (!jkt.IsSuccess)
        {
            return jkt.Error;
        }

        var target = audience.Value;
        var token = tokens.Issue(new AccessTokenDescriptor(
            Subject: client.ClientId,
            ClientId: client.ClientId,
            Audience: target.Audiences[0],
            Scopes: target.Scopes,
            IssuedAt: clock.GetUtcNow(),
            Lifetime: target.Lifetime)
        {
            Audiences = target.Audiences,
            Algorithm = target.Algorithm,
            Confirmation = SenderConstraint.Confirmation(jkt.Value, request.Credentials.Confirmation),
        });

        var scope = target.Scopes.Count == 0 ? null : ScopeSet.Format(target.Scopes);
        return new TokenResponse(token.Token, SenderConstraint.TokenType(jkt.Value), (int)target.Lifetime.TotalSeconds, scope);
    }

    /// <summary>RFC 8707 §2: each named resource registered, enabled and available to the client; the scope narrowed to theirs.</summary>
    private async Task<ProtocolResult<TokenAudience>> AudienceAsync(
        string? resource, ClientSnapshot client, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var requested = ResourceIndicators.Parse(resource);
        if (!requested.IsSuccess)
        {
            return requested.Error;
        }

        var targets = await resources.ResolveAsync(requested.Value, client, cancellationToken);
        return targets.IsSuccess ? ResourceIndicators.Target(targets.Value, scopes, client, issuer.Issuer) : targets.Error;
    }

    /// <summary>
    /// Every requested scope must be allowed for the client (else <c>invalid_scope</c>); none requested
    /// means the client's allowed scopes (RFC 6749 §3.3). Identity scopes describe a user, and there
    /// is none in this grant, so they are refused when asked for and left out of the default.
    /// </summary>
    private static ProtocolResult<IReadOnlyList<string>> GrantedScopes(string? requested, ClientSnapshot client)
    {
        var parsed = ScopeSet.Parse(requested);
        if (!parsed.IsSuccess)
        {
            return parsed;
        }

        if (parsed.Value.Count == 0)
        {
            return ProtocolResult<IReadOnlyList<string>>.Success([.. client.AllowedScopes.Where(s => !ScopeRules.IsIdentityScope(s))]);
        }

        foreach (var scope in parsed.Value)
        {
            if (ScopeRules.IsIdentityScope(scope))
            {
                return OAuthError.IdentityScopeWithoutUser;
            }

            if (!client.AllowedScopeSet.Contains(scope))
            {
                return OAuthError.ScopeNotAllowed;
            }
        }

        return parsed;
    }
}
