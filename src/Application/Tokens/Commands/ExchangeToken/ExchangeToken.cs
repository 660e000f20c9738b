using AuthService.Application.Audit;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Resources;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Tokens.Commands.ExchangeToken;

/// <summary><c>grant_type=urn:ietf:params:oauth:grant-type:token-exchange</c> (RFC 8693 §2.1).</summary>
public sealed record ExchangeToken(
    ClientCredentials Credentials,
    string? SubjectToken,
    string? SubjectTokenType,
    string? ActorToken,
    string? ActorTokenType,
    string? RequestedTokenType,
    string? Scope,
    string? RemoteAddress,
    DPoPPresentation? DPoP = null) : IRequest<ProtocolResult<TokenResponse>>
{
    /// <summary>The <c>resource</c> values (RFC 8693 §2.1, RFC 8707 §2), space-joined; null when none.</summary>
    public string? Resource { get; init; }

    /// <summary>The <c>audience</c> values (RFC 8693 §2.1), space-joined; each must be a registered resource's identifier.</summary>
    public string? Audience { get; init; }

    public override string ToString() => $"ExchangeToken {{ ClientId = {Credentials.ClientId} }}";
}

/// <summary>
/// Token exchange (RFC 8693): a confidential client registered for the grant presents a subject token and, for
/// delegation, an actor token (an access token of this server), and receives an access token for the subject. The
/// subject token is one of this server's access tokens, refresh tokens (of a live family, not consumed, and the new
/// token revoked with the family) or ID tokens, or a JWT of a trusted external issuer (the new token's <c>sub</c> then
/// <see cref="ExternalSubject"/>, never a local user). With an actor the new token carries it in <c>act</c> (§4.1), the
/// subject token's own actor nested under it; without one (impersonation, §1.1) only when the client's policy allows
/// it. The subject token's <c>may_act</c> (§4.4), when present, must name the party that acts. The client's
/// <see cref="TokenExchangePolicy"/> says whose tokens it may exchange and for which resources. The scope is at most
/// the subject token's and the client's (§2.1, §5: no escalation).
/// </summary>
public sealed class ExchangeTokenHandler(
    ClientAuthenticator authenticator,
    SenderConstraint senderConstraint,
    IAccessTokenValidator validator,
    IRevokedAccessTokenRepository revocations,
    AccessTokenOwners owners,
    IRefreshTokenFamilyRepository families,
    IIdTokenIssuer idTokens,
    IExternalTokenValidator externalTokens,
    IUserRepository users,
    IAccessTokenIssuer tokens,
    IIssuerProvider issuer,
    ResourceIndicators resources,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<ExchangeToken, ProtocolResult<TokenResponse>>
{
    /// <summary>RFC 8693 §3: the token type this server issues, and the types of subject token it accepts.</summary>
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    public const string RefreshTokenType = "urn:ietf:params:oauth:token-type:refresh_token";

    public const string IdTokenType = "urn:ietf:params:oauth:token-type:id_token";

    /// <summary>RFC 8693 §3: a JWT, here one of a trusted external issuer.</summary>
    public const string JwtType = "urn:ietf:params:oauth:token-type:jwt";

    public async Task<ProtocolResult<TokenResponse>> Handle(ExchangeToken request, CancellationToken cancellationToken)
    {
        // The grant must be registered, and only confidential clients may register it (unauthorized_client otherwise).
        var authenticated = await authenticator.AuthenticateForTokenAsync(request.Credentials, request.RemoteAddress, GrantTypes.TokenExchange, cancellationToken);
        if (!authenticated.IsSuccess)
        {
            return authenticated.Error;
        }

        var client = authenticated.Value;
        if (CheckParameters(request) is { } malformed)
        {
            return malformed;
        }

        var requested = ScopeSet.Parse(request.Scope);
        if (!requested.IsSuccess)
        {
            return requested.Error;
        }

        // The new token is bound like any other token of this client: to its DPoP key or certificate (RFC 9449 §5, RFC 8705 §3).
        var jkt = await senderConstraint.ProofKeyAsync(client, request.Credentials, request.DPoP, cancellationToken);
        if (!jkt.IsSuccess)
        {
            return jkt.Error;
        }

        // A refresh token subject ties the new token to its family, which a concurrent refresh may rotate: rerun on fresh state.
        return await ConflictRetry.RunAsync(ct => ExchangeAsync(request, client, requested.Value, jkt.Value, ct), cancellationToken);
    }

    private async Task<(ProtocolResult<TokenResponse> Answer, SaveResult Save)> ExchangeAsync(
        ExchangeToken request, ClientSnapshot client, IReadOnlyList<string> requested, string? jkt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var subject = request.SubjectTokenType switch
        {
            RefreshTokenType => await RefreshTokenSubjectAsync(request.SubjectToken!, now, cancellationToken),
            IdTokenType => await IdTokenSubjectAsync(request.SubjectToken!, now, cancellationToken),
            JwtType => await externalTokens.ValidateAsync(request.SubjectToken!, cancellationToken) is { } external
                ? new ExchangeSubject(ExternalSubject.Format(external.Issuer, external.Subject), ClientId: null, [], external.ExpiresAt, external.JwtId)
                {
                    Issuer = external.Issuer,
                }
                : null,
            _ => await AccessTokenSubjectAsync(request.SubjectToken!, cancellationToken),
        };
        if (subject is null)
        {
            return (OAuthError.InvalidSubjectToken, SaveResult.Saved);
        }

        // RFC 8693 §2.2.2: a subject token unacceptable by policy is invalid_request. A client exchanges its own tokens,
        // those of the clients its policy names, and JWTs of the trusted issuers its policy names.
        var policy = client.TokenExchange;
        if (subject.Issuer is { } issuerOfSubject ? !policy.MayExchangeTokenFrom(issuerOfSubject) : !policy.MayExchangeTokenOf(client.ClientId, subject.ClientId!))
        {
            return (OAuthError.SubjectClientNotAllowed, SaveResult.Saved);
        }

        var act = await ActorAsync(request, client, subject, cancellationToken);
        if (!act.IsSuccess)
        {
            return (act.Error, SaveResult.Saved);
        }

        var scopes = GrantedScopes(requested, subject, client);
        if (!scopes.IsSuccess)
        {
            return (scopes.Error, SaveResult.Saved);
        }

        var target = await TargetAsync(request, client, scopes.Value, cancellationToken);
        if (!target.IsSuccess)
        {
            return (target.Error, SaveResult.Saved);
        }

        var audience = target.Value;
        var lifetime = Shorter(audience.Lifetime, subject.ExpiresAt - now);
        var issued = tokens.Issue(new AccessTokenDescriptor(
            Subject: subject.Subject,
            ClientId: client.ClientId,
            Audience: audience.Audiences[0],
            Scopes: audience.Scopes,
            IssuedAt: now,
            Lifetime: lifetime)
        {
            Audiences = audience.Audiences,
            Algorithm = audience.Algorithm,
            Actor = act.Value,
            Confirmation = SenderConstraint.Confirmation(jkt, request.Credentials.Confirmation),
            Family = subject.Family?.AccessTokenKey,
        });

        // Revoking the subject's refresh token family (revocation, reuse detection, logout, password change, admin)
        // denies every access token that names it, this one too. The refresh token itself is neither rotated nor consumed.
        subject.Family?.RecordAccessToken(issued.ExpiresAt);
        audit.Record(new AuditRecord("token.exchanged", "token", issued.JwtId, client.ClientId, new Dictionary<string, string?>
        {
            ["subject"] = subject.Subject,
            ["subject_token_type"] = request.SubjectTokenType,
            ["subject_jti"] = subject.JwtId,
            ["actor"] = act.Value?.Subject,
            ["impersonation"] = request.ActorToken is null ? "true" : null,
            ["audience"] = string.Join(' ', audience.Audiences),
        }, AuditActor.Client(client.ClientId)));
        var save = await unitOfWork.SaveChangesAsync(cancellationToken);
        if (save != SaveResult.Saved)
        {
            return (OAuthError.InvalidSubjectToken, save);
        }

        var scope = audience.Scopes.Count == 0 ? null : ScopeSet.Format(audience.Scopes);
        return (new TokenResponse(issued.Token, SenderConstraint.TokenType(jkt), (int)lifetime.TotalSeconds, scope)
        {
            IssuedTokenType = AccessTokenType,
        }, save);
    }

    /// <summary>RFC 8693 §2.1: the required parameters, their pairing, and the token types this server supports.</summary>
    private static OAuthError? CheckParameters(ExchangeToken request)
    {
        if (request.SubjectToken is null || request.SubjectTokenType is null)
        {
            return OAuthError.MissingSubjectToken;
        }

        if (request.SubjectTokenType is not (AccessTokenType or RefreshTokenType or IdTokenType or JwtType))
        {
            return OAuthError.UnsupportedSubjectTokenType;
        }

        // actor_token_type is REQUIRED with actor_token and MUST NOT be included otherwise.
        if ((request.ActorToken is null) != (request.ActorTokenType is null))
        {
            return OAuthError.ActorTokenTypeMismatch;
        }

        if (request.ActorTokenType is not null && !string.Equals(request.ActorTokenType, AccessTokenType, StringComparison.Ordinal))
        {
            return OAuthError.UnsupportedActorTokenType;
        }

        return request.RequestedTokenType is not null && !string.Equals(request.RequestedTokenType, AccessTokenType, StringComparison.Ordinal)
            ? OAuthError.UnsupportedRequestedTokenType
            : null;
    }

    /// <summary>
    /// The <c>act</c> of the new token. Delegation (an actor token): the actor outermost, the subject token's own chain
    /// nested under it (§4.1). Impersonation (none): only when the client's policy allows it, and the subject token's
    /// chain, if any, stays as it is, so a delegated token never loses its history. <c>may_act</c> (§4.4) must name
    /// whoever acts: the actor token's subject, or, impersonating, the exchanging client.
    /// </summary>
    private async Task<ProtocolResult<TokenActor?>> ActorAsync(ExchangeToken request, ClientSnapshot client, ExchangeSubject subject, CancellationToken cancellationToken)
    {
        if (request.ActorToken is null)
        {
            if (!client.TokenExchange.Impersonation)
            {
                return OAuthError.ImpersonationNotAllowed;
            }

            return subject.MayAct is { } allowed && !string.Equals(allowed.Subject, client.ClientId, StringComparison.Ordinal)
                ? OAuthError.ActorNotAllowed
                : ProtocolResult<TokenActor?>.Success(subject.Actor);
        }

        var actor = await ValidateAsync(request.ActorToken, cancellationToken);
        if (actor is null)
        {
            return OAuthError.InvalidActorToken;
        }

        if (subject.MayAct is { } mayAct && !string.Equals(mayAct.Subject, actor.Subject, StringComparison.Ordinal))
        {
            return OAuthError.ActorNotAllowed;
        }

        var act = new TokenActor(actor.Subject, subject.Actor);
        return act.Depth > TokenActor.MaxDepth || HasUnusableActor(act) ? OAuthError.ActorChainTooLong : ProtocolResult<TokenActor?>.Success(act);
    }

    private async Task<ExchangeSubject?> AccessTokenSubjectAsync(string token, CancellationToken cancellationToken) =>
        await ValidateAsync(token, cancellationToken) is { } validated
            ? new ExchangeSubject(validated.Subject, validated.ClientId, ScopeSet.Parse(validated.Scope) is { IsSuccess: true } held ? held.Value : [],
                validated.ExpiresAt, validated.JwtId) { Actor = validated.Actor, MayAct = validated.MayAct }
            : null;

    /// <summary>
    /// A refresh token of this server: the current generation of a live family (an older one is refused, not treated
    /// as reuse: exchange never rotates), not bound to a DPoP key or certificate (the exchanging client cannot prove
    /// possession), whose user may still receive tokens and whose credentials have not changed since the sign-in.
    /// The new token expires with the family at the latest.
    /// </summary>
    private async Task<ExchangeSubject?> RefreshTokenSubjectAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (token.Length != OpaqueToken.HashLength || await families.FindByTokenHashAsync(OpaqueToken.HashOf(token), cancellationToken) is not var (family, presented)
            || family.CheckUse(family.ClientId, presented.Generation, now) != RefreshTokenUse.Current
            || family.BoundJkt is not null || family.BoundCertificateThumbprint is not null
            || await users.FindByIdAsync(family.UserId, cancellationToken) is not { } user
            || !user.MayReceiveTokens(now) || !user.CredentialsUnchangedSince(family.SecurityStamp)
            || !await owners.ClientVouchesAsync(family.ClientId, family.CreatedAt, cancellationToken))
        {
            return null;
        }

        var expiresAt = family.AbsoluteExpiresAt < family.IdleExpiresAt ? family.AbsoluteExpiresAt : family.IdleExpiresAt;
        return new ExchangeSubject(family.UserId.ToString(), family.ClientId, family.Scopes, expiresAt, JwtId: null) { Family = family };
    }

    /// <summary>
    /// An ID token of this server (signature, <c>iss</c>, unexpired), issued to a client still enabled, for a user who
    /// may still receive tokens. An ID token says who signed in, not what they granted (OIDC Core §2): it carries no
    /// scope, so neither does the exchanged token.
    /// </summary>
    private async Task<ExchangeSubject?> IdTokenSubjectAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await idTokens.ReadHintAsync(token, cancellationToken) is not { } idToken || idToken.ExpiresAt <= now
            || !Guid.TryParse(idToken.Subject, out var userId)
            || await users.FindByIdAsync(userId, cancellationToken) is not { } user || !user.MayReceiveTokens(now)
            || !await owners.ClientVouchesAsync(idToken.ClientId, idToken.IssuedAt, cancellationToken))
        {
            return null;
        }

        return new ExchangeSubject(idToken.Subject, idToken.ClientId, [], idToken.ExpiresAt, JwtId: null);
    }

    /// <summary>
    /// An access token of this server, signed, unexpired, not revoked, whose client and subject are still enabled. A sender-constrained token (RFC 9449, RFC 8705)
    /// is refused: the exchanging client cannot prove possession of its key, so accepting it would turn it into a bearer token.
    /// </summary>
    private async Task<ValidatedAccessToken?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var validated = await validator.ValidateAsync(token, cancellationToken);
        return validated is null || validated.Confirmation is not null || await revocations.IsRevokedAsync(validated.JwtId, validated.Family, cancellationToken)
            || !await owners.AreCurrentAsync(validated, cancellationToken, clock.GetUtcNow())
            ? null
            : validated;
    }

    private static bool HasUnusableActor(TokenActor? actor) =>
        actor is not null && (actor.Subject.Length == 0 || HasUnusableActor(actor.Prior));

    /// <summary>
    /// The requested scope (default: the subject token's) must lie within the subject token's scope (else
    /// <c>invalid_scope</c>: no escalation through exchange) and within the client's allowed scopes.
    /// </summary>
    private static ProtocolResult<IReadOnlyList<string>> GrantedScopes(IReadOnlyList<string> requested, ExchangeSubject subject, ClientSnapshot client)
    {
        if (requested.Any(scope => !subject.Scopes.Contains(scope, StringComparer.Ordinal)))
        {
            return OAuthError.ScopeExceedsGrant;
        }

        if (requested.Any(scope => !client.AllowedScopeSet.Contains(scope)))
        {
            return OAuthError.ScopeNotAllowed;
        }

        // docs/adr/0038: an exchanged token carries no tenant claims, so it does not carry the scope either (asked: refused;
        // by default: left out).
        if (requested.Contains(ScopeRules.Tenant, StringComparer.Ordinal))
        {
            return OAuthError.TenantScopeNotOffered;
        }

        return requested.Count > 0
            ? ProtocolResult<IReadOnlyList<string>>.Success(requested)
            : ProtocolResult<IReadOnlyList<string>>.Success([.. subject.Scopes.Where(s => client.AllowedScopeSet.Contains(s) && s != ScopeRules.Tenant)]);
    }

    /// <summary>
    /// RFC 8693 §2.1: <c>resource</c> and <c>audience</c> together name the target; each must be one of the client's
    /// policy audiences (else <c>invalid_target</c>, §2.2.2) and a registered protected resource available to the
    /// client (RFC 8707 §2), and the scope is narrowed to theirs. Naming none gives the client's default audience.
    /// </summary>
    private async Task<ProtocolResult<TokenAudience>> TargetAsync(
        ExchangeToken request, ClientSnapshot client, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var named = string.Join(ResourceIndicators.Separator, new[] { request.Resource, request.Audience }.OfType<string>());
        var parsed = ResourceIndicators.Parse(named);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }

        if (!parsed.Value.All(client.TokenExchange.AllowsAudience))
        {
            return OAuthError.ExchangeTargetNotAllowed;
        }

        var targets = await resources.ResolveAsync(parsed.Value, client, cancellationToken);
        return targets.IsSuccess ? ResourceIndicators.Target(targets.Value, scopes, client, issuer.Issuer) : targets.Error;
    }

    /// <summary>The exchanged token never outlives its subject token.</summary>
    private static TimeSpan Shorter(TimeSpan lifetime, TimeSpan remaining) => remaining < lifetime ? remaining : lifetime;

    /// <summary>
    /// Who the exchanged token is for: its <c>sub</c>, the client the subject token was issued to, the scope it holds,
    /// when it ends, and, for a refresh token, the family the new token is revoked with.
    /// </summary>
    private sealed record ExchangeSubject(string Subject, string? ClientId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt, string? JwtId)
    {
        /// <summary>The trusted external issuer of a JWT subject token (then <see cref="ClientId"/> is null).</summary>
        public string? Issuer { get; init; }

        public TokenActor? Actor { get; init; }

        public TokenActor? MayAct { get; init; }

        public RefreshTokenFamily? Family { get; init; }
    }
}
