using AuthService.Application.Audit;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Resources;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.AccessTokens;
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
/// Delegation by token exchange (RFC 8693): a confidential client registered for the grant presents a subject token
/// (an unrevoked access token of this server) and an actor token (the same), and receives an access token for the
/// subject with the actor in <c>act</c> (§4.1), the subject token's own actor nested under it. The subject token's
/// <c>may_act</c> (§4.4), when present, must name the actor. Without an actor token the exchange would be impersonation,
/// which this server does not grant. The scope is at most the subject token's and the client's (§2.1, §5: no escalation);
/// <c>resource</c> and <c>audience</c> name registered resources (RFC 8707). Nothing is stored but the audit entry.
/// </summary>
public sealed class ExchangeTokenHandler(
    ClientAuthenticator authenticator,
    SenderConstraint senderConstraint,
    IAccessTokenValidator validator,
    IRevokedAccessTokenRepository revocations,
    AccessTokenOwners owners,
    IAccessTokenIssuer tokens,
    IIssuerProvider issuer,
    ResourceIndicators resources,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<ExchangeToken, ProtocolResult<TokenResponse>>
{
    /// <summary>RFC 8693 §3: the one token type this server accepts and issues.</summary>
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    public async Task<ProtocolResult<TokenResponse>> Handle(ExchangeToken request, CancellationToken cancellationToken)
    {
        // The grant must be registered, and only confidential clients may register it (unauthorized_client otherwise).
        var authenticated = await authenticator.AuthenticateForGrantAsync(request.Credentials, request.RemoteAddress, GrantTypes.TokenExchange, cancellationToken);
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

        var subject = await ValidateAsync(request.SubjectToken!, cancellationToken);
        if (subject is null)
        {
            return OAuthError.InvalidSubjectToken;
        }

        // Impersonation (no actor, §1.1) is not granted by this server: the client must say who acts.
        if (request.ActorToken is null)
        {
            return OAuthError.ImpersonationNotAllowed;
        }

        var actor = await ValidateAsync(request.ActorToken, cancellationToken);
        if (actor is null)
        {
            return OAuthError.InvalidActorToken;
        }

        // RFC 8693 §4.4: a subject token's may_act names the one party allowed to act for its subject.
        if (subject.MayAct is { } mayAct && !string.Equals(mayAct.Subject, actor.Subject, StringComparison.Ordinal))
        {
            return OAuthError.ActorNotAllowed;
        }

        // RFC 8693 §4.1: the new actor is outermost and the subject token's own actor chain nests under it.
        var act = new TokenActor(actor.Subject, subject.Actor);
        if (act.Depth > TokenActor.MaxDepth || HasUnusableActor(act))
        {
            return OAuthError.ActorChainTooLong;
        }

        var scopes = GrantedScopes(requested.Value, subject, client);
        if (!scopes.IsSuccess)
        {
            return scopes.Error;
        }

        var target = await TargetAsync(request, client, scopes.Value, cancellationToken);
        if (!target.IsSuccess)
        {
            return target.Error;
        }

        // The new token is bound like any other token of this client: to its DPoP key or certificate (RFC 9449 §5, RFC 8705 §3).
        var jkt = await senderConstraint.ProofKeyAsync(client, request.Credentials, request.DPoP, cancellationToken);
        if (!jkt.IsSuccess)
        {
            return jkt.Error;
        }

        var audience = target.Value;
        var now = clock.GetUtcNow();
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
            Actor = act,
            Confirmation = SenderConstraint.Confirmation(jkt.Value, request.Credentials.Confirmation),
        });

        audit.Record(new AuditRecord("token.exchanged", "token", issued.JwtId, client.ClientId, new Dictionary<string, string?>
        {
            ["subject"] = subject.Subject,
            ["subject_jti"] = subject.JwtId,
            ["actor"] = actor.Subject,
            ["audience"] = string.Join(' ', audience.Audiences),
        }, AuditActor.Client(client.ClientId)));
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();

        var scope = audience.Scopes.Count == 0 ? null : ScopeSet.Format(audience.Scopes);
        return new TokenResponse(issued.Token, SenderConstraint.TokenType(jkt.Value), (int)lifetime.TotalSeconds, scope)
        {
            IssuedTokenType = AccessTokenType,
        };
    }

    /// <summary>RFC 8693 §2.1: the required parameters, their pairing, and the token types this server supports.</summary>
    private static OAuthError? CheckParameters(ExchangeToken request)
    {
        if (request.SubjectToken is null || request.SubjectTokenType is null)
        {
            return OAuthError.MissingSubjectToken;
        }

        if (!string.Equals(request.SubjectTokenType, AccessTokenType, StringComparison.Ordinal))
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
    /// An access token of this server, signed, unexpired, not revoked, whose client and subject are still enabled. A sender-constrained token (RFC 9449, RFC 8705)
    /// is refused: the exchanging client cannot prove possession of its key, so accepting it would turn it into a bearer token.
    /// </summary>
    private async Task<ValidatedAccessToken?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var validated = await validator.ValidateAsync(token, cancellationToken);
        return validated is null || validated.Confirmation is not null || await revocations.IsRevokedAsync(validated.JwtId, cancellationToken)
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
    private static ProtocolResult<IReadOnlyList<string>> GrantedScopes(IReadOnlyList<string> requested, ValidatedAccessToken subject, ClientSnapshot client)
    {
        var held = ScopeSet.Parse(subject.Scope);
        IReadOnlyList<string> subjectScopes = held.IsSuccess ? held.Value : [];
        if (requested.Any(scope => !subjectScopes.Contains(scope, StringComparer.Ordinal)))
        {
            return OAuthError.ScopeExceedsGrant;
        }

        if (requested.Any(scope => !client.AllowedScopeSet.Contains(scope)))
        {
            return OAuthError.ScopeNotAllowed;
        }

        return requested.Count > 0
            ? ProtocolResult<IReadOnlyList<string>>.Success(requested)
            : ProtocolResult<IReadOnlyList<string>>.Success([.. subjectScopes.Where(client.AllowedScopeSet.Contains)]);
    }

    /// <summary>
    /// RFC 8693 §2.1: <c>resource</c> and <c>audience</c> together name the target; both must be registered protected
    /// resources available to the client (RFC 8707 §2, else <c>invalid_target</c>, RFC 8693 §2.2.2), and the scope is
    /// narrowed to theirs. Neither names the client's default audience.
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

        var targets = await resources.ResolveAsync(parsed.Value, client, cancellationToken);
        return targets.IsSuccess ? ResourceIndicators.Target(targets.Value, scopes, client, issuer.Issuer) : targets.Error;
    }

    /// <summary>The exchanged token never outlives its subject token.</summary>
    private static TimeSpan Shorter(TimeSpan lifetime, TimeSpan remaining) => remaining < lifetime ? remaining : lifetime;
}
