using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Sessions;

namespace AuthService.Application.Authorization;

/// <summary>An authorization request whose client and redirect URI are known good, and whose other parameters checked out.</summary>
public sealed record AuthorizationRequest(
    ClientSnapshot Client,
    string RedirectUri,
    bool RedirectUriWasSent,
    string ResponseMode,
    IReadOnlyList<string> Scopes,
    string? State,
    string? Nonce,
    string CodeChallenge,
    IReadOnlySet<string> Prompt,
    int? MaxAge,
    string? LoginHint,
    IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>RFC 9449 §10: the JWK thumbprint the code is to be bound to, or null.</summary>
    public string? DPoPJkt { get; init; }

    /// <summary>RFC 8707 §2.1: the protected resources the request names, checked; empty when none.</summary>
    public IReadOnlyList<RequestedResource> Resources { get; init; } = [];

    /// <summary>
    /// Set for a verified request whose <c>prompt=login</c> (or <c>max_age=0</c>) the pages report satisfied: the
    /// session must then have signed in at or after this instant, so dropping the prompt from the carried
    /// request cannot skip the sign-in the client asked for.
    /// </summary>
    public DateTimeOffset? SignedInNotBefore { get; init; }

    /// <summary>
    /// <c>idp_hint</c> (docs/adr/0037): the upstream provider to sign in with, by name; the sign-in then starts there instead
    /// of the sign-in page. Null when absent or not a provider name.
    /// </summary>
    public string? IdpHint { get; init; }

    /// <summary>
    /// The <c>tenant</c> parameter (docs/adr/0038): the slug of the tenant the person is to act for, sent by the client or
    /// added by the tenant picker; null when absent. Only with the <c>tenant</c> scope.
    /// </summary>
    public string? TenantSlug { get; init; }

    /// <summary>Whether the request asks for the tenant in tokens (the <c>tenant</c> scope).</summary>
    public bool WantsTenant => Scopes.Contains(Domain.Clients.ScopeRules.Tenant, StringComparer.Ordinal);

    /// <summary>OIDC Core §3.1.2.1 <c>acr_values</c>, in order of preference; empty when none.</summary>
    public IReadOnlyList<string> AcrValues { get; init; } = [];

    /// <summary>OIDC Core §5.5.1.1: the <c>acr</c> the <c>claims</c> parameter asks for in the ID token; null when it names none.</summary>
    public AcrClaimRequest? AcrClaim { get; init; }

    /// <summary>
    /// What the sign-in must reach for this request: the client's <c>require_mfa</c> and <c>default_acr_values</c>, the
    /// request's <c>acr_values</c> and its <c>claims</c> acr, combined by the one rule (<see cref="AcrPolicy"/>).
    /// </summary>
    public AcrRequirement AcrRequirement => AcrPolicy.Of(Client.RequireMfa, Client.DefaultAcrValues, AcrValues, AcrClaim);

    /// <summary>OIDC Core §5.5.1.1: an Essential acr makes the claim itself required in the ID token.</summary>
    public bool RequiresAcrClaim => AcrClaim is { Essential: true };

    /// <summary>The pushed request this one came from (RFC 9126), to be used up when its authorization response is issued.</summary>
    public PushedRequestReference? PushedRequest { get; init; }

    /// <summary>The parameters to come back with after a page, minus the prompts the page satisfied.</summary>
    public IReadOnlyDictionary<string, string> ParametersWithout(params string[] satisfiedPrompts)
    {
        var parameters = Parameters.ToDictionary(StringComparer.Ordinal);
        var remaining = Prompt.Where(p => !satisfiedPrompts.Contains(p)).ToList();
        if (remaining.Count == 0)
        {
            parameters.Remove(OAuthParameters.Prompt);
        }
        else
        {
            parameters[OAuthParameters.Prompt] = string.Join(' ', remaining);
        }

        // max_age=0 asks for a fresh sign-in, as prompt=login does (OIDC Core §3.1.2.1); once done, it is satisfied.
        if (satisfiedPrompts.Contains(Prompts.Login) && MaxAge == 0)
        {
            parameters.Remove(OAuthParameters.MaxAge);
        }

        return parameters;
    }
}

/// <summary>A protected resource an authorization request names (RFC 8707 §2.1), with the name the consent page shows.</summary>
public sealed record RequestedResource(string Resource, string Name);

/// <summary>A pushed request by the hash of its request_uri, and when it was opened at the authorization endpoint.</summary>
public sealed record PushedRequestReference(string RequestUriHash, DateTimeOffset OpenedAt);
