using AuthService.Application.Common.Protocol;

namespace AuthService.Application.Authorization;

/// <summary>The authorization endpoint's parameters this server carries, and their limits (RFC 6749 §4.1.1; OIDC Core §3.1.2.1).</summary>
public static class AuthorizationParameters
{
    /// <summary>Carried from page to page (login, consent) and back; anything else is ignored (OAuth 2.1 §4.1.1).</summary>
    public static IReadOnlyList<string> Known { get; } =
    [
        OAuthParameters.ClientId, OAuthParameters.RedirectUri, OAuthParameters.ResponseType, OAuthParameters.ResponseMode,
        OAuthParameters.Scope, OAuthParameters.State, OAuthParameters.Nonce, OAuthParameters.CodeChallenge,
        OAuthParameters.CodeChallengeMethod, OAuthParameters.Prompt, OAuthParameters.MaxAge, OAuthParameters.LoginHint,
        OAuthParameters.DPoPJkt, OAuthParameters.Resource, OAuthParameters.AcrValues, OAuthParameters.Claims, Federation.FederationPaths.IdpHintParameter,
        OAuthParameters.Tenant,
    ];

    public const int MaxAcrValuesLength = 1024;

    /// <summary>The longest <c>claims</c> parameter read (OIDC Core §5.5); a longer one is refused, not cut.</summary>
    public const int MaxClaimsLength = 4096;

    public const int MaxStateLength = 4096;
    public const int MaxNonceLength = 1024;
    public const int MaxLoginHintLength = 256;
}
