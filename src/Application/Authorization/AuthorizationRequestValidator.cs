using System.Globalization;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Resources;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;

namespace AuthService.Application.Authorization;

/// <summary>
/// Validates authorization requests in the order RFC 6749 §4.1.2.1 and OAuth 2.1 §4.1.2.1 require: the
/// client and the redirect URI first (errors shown here), then everything else (errors redirected).
/// </summary>
public sealed class AuthorizationRequestValidator(IClientCatalog clients, ResourceIndicators resources)
{
    public async Task<AuthorizationValidation> ValidateAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        string? Get(string name) => parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        var clientId = Get(OAuthParameters.ClientId);
        if (clientId is null)
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.MissingClientId);
        }

        var client = clientId.Length <= Client.MaxClientIdLength ? await clients.FindAsync(clientId, cancellationToken) : null;
        if (client is null || !client.Enabled)
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.UnknownClientOrRedirectUri);
        }

        var requestedRedirect = Get(OAuthParameters.RedirectUri);
        string redirectUri;
        if (requestedRedirect is null)
        {
            // OAuth 2.1 §2.3.2: optional only when exactly one URI is registered.
            if (client.RedirectUris.Count != 1)
            {
                return new AuthorizationValidation.ErrorPage(OAuthError.UnknownClientOrRedirectUri);
            }

            redirectUri = client.RedirectUris[0];
        }
        else
        {
            var match = client.RedirectUris.FirstOrDefault(registered => RedirectUriRules.Matches(registered, requestedRedirect));
            if (match is null)
            {
                return new AuthorizationValidation.ErrorPage(OAuthError.UnknownClientOrRedirectUri);
            }

            redirectUri = requestedRedirect;
        }

        // From here on the redirect URI is known good. form_post is honoured for errors too, if asked for
        // and valid; any other mode falls back to query for the error that says so.
        var responseMode = Get(OAuthParameters.ResponseMode) ?? ResponseModes.Query;
        var state = Get(OAuthParameters.State);
        var target = new RedirectTarget(redirectUri, ResponseModes.IsSupported(responseMode) ? responseMode : ResponseModes.Query,
            state is { Length: <= AuthorizationParameters.MaxStateLength } ? state : null);
        AuthorizationValidation Fail(OAuthError error) => new AuthorizationValidation.ErrorRedirect(target, error);

        if (state is { Length: > AuthorizationParameters.MaxStateLength })
        {
            return Fail(OAuthError.StateTooLong);
        }

        if (!ResponseModes.IsSupported(responseMode))
        {
            return Fail(OAuthError.UnsupportedResponseMode);
        }

        if (Get(OAuthParameters.Request) is not null)
        {
            return Fail(OAuthError.RequestNotSupported);
        }

        if (Get(OAuthParameters.RequestUri) is not null)
        {
            return Fail(OAuthError.RequestUriNotSupported);
        }

        var responseType = Get(OAuthParameters.ResponseType);
        if (responseType is null)
        {
            return Fail(OAuthError.MissingResponseType);
        }

        // OAuth 2.1 §4.1.1: the code flow only; no implicit or hybrid tokens in a redirect (RFC 9700 §2.1.2, ASVS 10.6.1).
        if (responseType != "code")
        {
            return Fail(OAuthError.UnsupportedResponseType);
        }

        if (!client.AllowsGrant(GrantTypes.AuthorizationCode))
        {
            return Fail(OAuthError.CodeFlowNotAllowed);
        }

        var scopes = ScopeSet.Parse(Get(OAuthParameters.Scope));
        if (!scopes.IsSuccess)
        {
            return Fail(scopes.Error);
        }

        if (scopes.Value.Count == 0)
        {
            return Fail(OAuthError.MissingScope);
        }

        if (scopes.Value.Any(scope => !client.AllowedScopeSet.Contains(scope)))
        {
            return Fail(OAuthError.ScopeNotAllowed);
        }

        // RFC 8707 §2.1: each resource registered, enabled, available to the client, and granted one of its scopes.
        var requestedResources = await resources.RequestedAsync(Get(OAuthParameters.Resource), client, scopes.Value, cancellationToken);
        if (!requestedResources.IsSuccess)
        {
            return Fail(requestedResources.Error);
        }

        // PKCE with S256 for every client (OAuth 2.1 §4.1.1; RFC 9700 §2.1.1). A missing method
        // means plain (RFC 7636 §4.3), which is refused rather than silently assumed.
        var challenge = Get(OAuthParameters.CodeChallenge);
        if (challenge is null)
        {
            return Fail(OAuthError.MissingCodeChallenge);
        }

        if (Get(OAuthParameters.CodeChallengeMethod) != Pkce.S256)
        {
            return Fail(OAuthError.CodeChallengeMethodNotS256);
        }

        if (!Pkce.IsValidChallenge(challenge))
        {
            return Fail(OAuthError.MalformedCodeChallenge);
        }

        var nonce = Get(OAuthParameters.Nonce);
        if (nonce is { Length: > AuthorizationParameters.MaxNonceLength })
        {
            return Fail(OAuthError.NonceTooLong);
        }

        var prompt = ParsePrompt(Get(OAuthParameters.Prompt));
        if (prompt is null)
        {
            return Fail(OAuthError.InvalidPrompt);
        }

        int? maxAge = null;
        if (Get(OAuthParameters.MaxAge) is { } maxAgeText)
        {
            if (!int.TryParse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return Fail(OAuthError.InvalidMaxAge);
            }

            maxAge = seconds;
        }

        var loginHint = Get(OAuthParameters.LoginHint);
        if (loginHint is { Length: > AuthorizationParameters.MaxLoginHintLength })
        {
            loginHint = null;
        }

        // RFC 9449 §10: base64url of a SHA-256 JWK thumbprint (RFC 7638 §3), bound to the code.
        var dpopJkt = Get(OAuthParameters.DPoPJkt);
        if (dpopJkt is not null && !JwkThumbprints.IsSha256Thumbprint(dpopJkt))
        {
            return Fail(OAuthError.MalformedDPoPJkt);
        }

        var acrValues = Get(OAuthParameters.AcrValues) is { Length: <= AuthorizationParameters.MaxAcrValuesLength } acrText
            ? acrText.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];

        // OIDC Core §5.5: only id_token.acr is honoured; a malformed value is refused as a whole.
        var acrClaim = ClaimsParameter.Parse(Get(OAuthParameters.Claims));
        if (!acrClaim.IsSuccess)
        {
            return Fail(acrClaim.Error);
        }

        // docs/adr/0038: a slug, and only beside the tenant scope (without it no tenant would reach the tokens, and a
        // client that named one must not believe it did).
        var tenant = Get(OAuthParameters.Tenant);
        if (tenant is not null && !Domain.Tenants.Tenant.IsValidSlug(tenant))
        {
            return Fail(OAuthError.MalformedTenant);
        }

        if (tenant is not null && !scopes.Value.Contains(ScopeRules.Tenant, StringComparer.Ordinal))
        {
            return Fail(OAuthError.TenantWithoutScope);
        }

        var carried = AuthorizationParameters.Known
            .Where(name => Get(name) is not null)
            .ToDictionary(name => name, name => parameters[name], StringComparer.Ordinal);
        return new AuthorizationValidation.Valid(new AuthorizationRequest(
            client, redirectUri, requestedRedirect is not null, responseMode, scopes.Value, state, nonce, challenge, prompt, maxAge, loginHint, carried)
        {
            DPoPJkt = dpopJkt,
            Resources = requestedResources.Value,
            AcrValues = acrValues,
            AcrClaim = acrClaim.Value,
            TenantSlug = tenant,
            IdpHint = Get(Federation.FederationPaths.IdpHintParameter) is { } hint && Domain.Federation.ExternalProvider.IsValidName(hint) ? hint : null,
        });
    }

    private static HashSet<string>? ParsePrompt(string? value)
    {
        var prompts = new HashSet<string>(StringComparer.Ordinal);
        if (value is null)
        {
            return prompts;
        }

        foreach (var prompt in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (prompt is not (Prompts.None or Prompts.Login or Prompts.Consent or Prompts.SelectAccount))
            {
                return null;
            }

            prompts.Add(prompt);
        }

        // OIDC Core §3.1.2.1: none with any other value is an error.
        return prompts.Contains(Prompts.None) && prompts.Count > 1 ? null : prompts;
    }
}
