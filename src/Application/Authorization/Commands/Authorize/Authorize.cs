using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.SignIn;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.Consents;
using AuthService.Domain.Sessions;
using AuthService.Application.Common.Persistence;
using MediatR;
using Microsoft.Extensions.Options;

using AuthService.Application.Authorization.Requests;

namespace AuthService.Application.Authorization.Commands.Authorize;

/// <summary>The authorization endpoint (RFC 6749 §4.1.1; OIDC Core §3.1.2): GET or form POST, same parameters.</summary>
public sealed record Authorize(IReadOnlyDictionary<string, string> Parameters, string? SessionHandle) : IRequest<InteractionOutcome>;

/// <summary>
/// Validates the request, then decides: sign-in page (no session, <c>prompt=login</c>, <c>max_age</c>
/// exceeded), the tenant picker and the tenant's policy (<see cref="TenantGateAsync"/>), consent page (scopes not yet granted, <c>prompt=consent</c>), or a code. With
/// <c>prompt=none</c> the two pages become <c>login_required</c> and <c>consent_required</c>
/// (OIDC Core §3.1.2.6). Issuing a code writes it before the browser is sent anywhere.
/// </summary>
public sealed class AuthorizeHandler(
    AuthorizationRequestResolver requests,
    BrowserSessions sessions,
    IConsentRepository consents,
    IAuthorizationCodeRepository codes,
    IUserSessionRepository userSessions,
    SecondFactorStep secondFactor,
    TenantSelector tenantSelector,
    IUnitOfWork unitOfWork,
    IIssuerProvider issuer,
    IOptions<SignInOptions> options,
    TimeProvider clock) : IRequestHandler<Authorize, InteractionOutcome>
{
    public async Task<InteractionOutcome> Handle(Authorize request, CancellationToken cancellationToken)
    {
        var validation = await requests.ResolveAsync(request.Parameters, cancellationToken);
        if (validation is not AuthorizationValidation.Valid { Request: var authorization })
        {
            return AuthorizationResponses.From(validation, issuer.Issuer);
        }

        var target = AuthorizationResponses.TargetOf(authorization);
        if (authorization.AcrRequirement == AcrRequirement.Unsatisfiable)
        {
            // OIDC Core §5.5.1.1: an Essential acr no sign-in here can reach is a failed authentication, whoever signs in.
            return AuthorizationResponses.Error(target, OAuthError.UnmetAuthenticationRequirements, issuer.Issuer);
        }

        var now = clock.GetUtcNow();
        var active = await sessions.FindActiveAsync(request.SessionHandle, cancellationToken);
        if (active is null || NeedsSignIn(authorization, active, now))
        {
            return authorization.Prompt.Contains(Prompts.None)
                ? AuthorizationResponses.Error(target, OAuthError.LoginRequired, issuer.Issuer)
                : new InteractionOutcome.ShowLogin(authorization, authorization.LoginHint, Failed: false, RetryAfter: null);
        }

        if (authorization.AcrRequirement == AcrRequirement.MultipleFactors && active.Session.Acr != AuthenticationMethods.AcrMfa)
        {
            return await StepUpAsync(authorization, active, target, now, cancellationToken);
        }

        var tenant = await tenantSelector.SelectAsync(authorization, active.User.Id, cancellationToken);
        if (await TenantGateAsync(authorization, active, tenant, target, now, cancellationToken) is { } stop)
        {
            return stop;
        }

        var consent = await consents.FindAsync(active.User.Id, authorization.Client.ClientId, cancellationToken);
        var needsConsent = authorization.Prompt.Contains(Prompts.Consent)
            || (authorization.Client.RequireConsent && consent?.Covers(authorization.Scopes) != true);
        if (needsConsent)
        {
            return authorization.Prompt.Contains(Prompts.None)
                ? AuthorizationResponses.Error(target, OAuthError.ConsentRequired, issuer.Issuer)
                : new InteractionOutcome.ShowConsent(authorization, active.User.Name ?? active.User.Username);
        }

        // RFC 9126 §4: a pushed request ends with its response; used up in the same save as the code.
        if (!await requests.UseUpPushedRequestAsync(authorization, cancellationToken))
        {
            return new InteractionOutcome.ErrorPage(OAuthError.RequestUriInvalid);
        }

        var code = OpaqueToken.New();
        codes.Add(AuthorizationCode.Issue(OpaqueToken.HashOf(code), new AuthorizationCodeGrant(
            authorization.Client.ClientId,
            active.User.Id,
            active.Session.Id,
            authorization.RedirectUri,
            authorization.RedirectUriWasSent,
            authorization.Scopes,
            authorization.CodeChallenge,
            authorization.Nonce,
            active.Session.AuthenticatedAt,
            active.User.SecurityStamp)
        {
            DPoPJkt = authorization.DPoPJkt,
            Resources = [.. authorization.Resources.Select(r => r.Resource)],
            AuthenticationMethods = active.Session.AuthenticationMethods,
            TenantId = (tenant as TenantSelection.Chosen)?.Membership.TenantId,
        }, now, ClientProfiles.CodeLifetime(authorization.Client.Profile, options.Value.AuthorizationCodeLifetime)));
        var saved = await unitOfWork.SaveChangesAsync(cancellationToken);
        if (saved == SaveResult.ConcurrencyConflict && authorization.PushedRequest is not null)
        {
            // Another replica or tab used the pushed request up first: nothing of this one was stored.
            return new InteractionOutcome.ErrorPage(OAuthError.RequestUriInvalid);
        }

        saved.ThrowIfConflict();

        // Extending the session's idle window and remembering the client (whom logout notifies, Back-Channel
        // Logout 1.0 §2.7) is a separate write: two tabs authorizing at once may both try it, and the loser's code
        // must not be lost for it. A lost race reruns on fresh state, so the client is not forgotten; a session
        // ended concurrently stays ended and remembers nothing more (its codes are withdrawn by the logout).
        var clientId = authorization.Client.ClientId;
        (await ConflictRetry.RunAsync(async ct =>
        {
            var session = await userSessions.FindAsync(active.Session.Id, ct);
            var changed = session is not null && (session.AddClient(clientId) | session.Touch(clock.GetUtcNow()));
            return changed ? await unitOfWork.SaveChangesAsync(ct) : SaveResult.Saved;
        }, cancellationToken)).ThrowIfConflict();

        return AuthorizationResponses.Code(target, code, issuer.Issuer);
    }

    /// <summary>
    /// Step-up (OIDC Core §3.1.2.1 <c>acr_values</c>, §5.5.1.1 an Essential <c>acr</c>, or the client's policy,
    /// <see cref="AcrPolicy"/>): the session has the password alone and the request needs two factors. A person with a second factor is asked for it only (not the password again); the session is then raised
    /// in place (<see cref="SecondFactorSignIn"/>). A person without one cannot meet the request: the error
    /// <c>unmet_authentication_requirements</c> (OpenID Connect Core Unmet Authentication Requirements 1.0 §2) goes back
    /// to the client as every authorization error does (RFC 9207 <c>iss</c>, the response mode). With <c>prompt=none</c>
    /// the page is <c>interaction_required</c> (OIDC Core §3.1.2.6).
    /// </summary>
    private async Task<InteractionOutcome> StepUpAsync(
        AuthorizationRequest authorization, ActiveSession active, RedirectTarget target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await secondFactor.IsRequiredForAsync(active.User.Id, cancellationToken))
        {
            return AuthorizationResponses.Error(target, OAuthError.UnmetAuthenticationRequirements, issuer.Issuer);
        }

        if (authorization.Prompt.Contains(Prompts.None))
        {
            return AuthorizationResponses.Error(target, OAuthError.SecondFactorRequired, issuer.Issuer);
        }

        var handle = secondFactor.BeginStepUp(active.User, authorization.Client.ClientId, now, active.Session);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new InteractionOutcome.ShowSecondFactor(authorization, handle, Failed: false, RetryAfter: null);
    }

    /// <summary>
    /// The tenant of the tokens (docs/adr/0038), after the sign-in and any step-up the request itself needs, before consent:
    /// a tenant named but not available is <c>access_denied</c>; several and none named, the picker (with <c>prompt=none</c>
    /// <c>interaction_required</c>, OIDC Core §3.1.2.6). The chosen tenant's policy holds where it is chosen: a session that
    /// signed in a way the tenant does not allow signs in again (with <c>prompt=none</c> <c>login_required</c>), and
    /// <c>require_mfa</c> steps the session up exactly as a client's <c>require_mfa</c> does. Null: go on.
    /// </summary>
    private async Task<InteractionOutcome?> TenantGateAsync(
        AuthorizationRequest authorization, ActiveSession active, TenantSelection tenant, RedirectTarget target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var silent = authorization.Prompt.Contains(Prompts.None);
        switch (tenant)
        {
            case TenantSelection.Refused:
                return AuthorizationResponses.Error(target, OAuthError.TenantNotAvailable, issuer.Issuer);
            case TenantSelection.Pick pick:
                return silent
                    ? AuthorizationResponses.Error(target, OAuthError.TenantChoiceRequired, issuer.Issuer)
                    : new InteractionOutcome.ShowTenantPicker(authorization, [.. pick.Options.Select(o => new TenantOption(o.Slug, o.DisplayName))]);
            case TenantSelection.Chosen { Membership: var membership }:
                switch (membership.Policy.Admit(active.Session.AuthenticationMethods))
                {
                    case Domain.Tenants.TenantAdmission.SignInAnotherWay:
                        return silent
                            ? AuthorizationResponses.Error(target, OAuthError.TenantSignInMethodRequired, issuer.Issuer)
                            : new InteractionOutcome.ShowLogin(authorization, authorization.LoginHint, Failed: false, RetryAfter: null)
                            {
                                TenantNotice = new TenantSignInNotice(membership.DisplayName, membership.Policy.AllowedSignInMethods),
                            };
                    case Domain.Tenants.TenantAdmission.SecondFactorNeeded:
                        return await StepUpAsync(authorization, active, target, now, cancellationToken);
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// prompt=login or select_account, or the sign-in is older than max_age (0 means: always sign in again), or a
    /// verified request's sign-in was reported done by the pages but the session signed in before the request came; or
    /// the request makes <c>acr</c> required (OIDC Core §5.5.1.1) and the session recorded no methods (it began before
    /// they were recorded), so its ID token could not carry one.
    /// </summary>
    private static bool NeedsSignIn(AuthorizationRequest authorization, ActiveSession active, DateTimeOffset now) =>
        authorization.Prompt.Contains(Prompts.Login)
        || authorization.SignedInNotBefore is { } notBefore && active.Session.AuthenticatedAt < notBefore
        || authorization.Prompt.Contains(Prompts.SelectAccount)
        || authorization.MaxAge is { } maxAge && (maxAge == 0 || now - active.Session.AuthenticatedAt > TimeSpan.FromSeconds(maxAge))
        || authorization.RequiresAcrClaim && active.Session.Acr is null;
}
