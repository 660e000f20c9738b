using System.Globalization;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;

namespace AuthService.Application.Authorization;

/// <summary>The parameters of the authorization endpoint this server understands (RFC 6749 §4.1.1; OIDC Core §3.1.2.1).</summary>
public static class AuthorizationParameters
{
    public const string ClientId = "client_id";
    public const string RedirectUri = "redirect_uri";
    public const string ResponseType = "response_type";
    public const string ResponseMode = "response_mode";
    public const string Scope = "scope";
    public const string State = "state";
    public const string Nonce = "nonce";
    public const string CodeChallenge = "code_challenge";
    public const string CodeChallengeMethod = "code_challenge_method";
    public const string Prompt = "prompt";
    public const string MaxAge = "max_age";
    public const string LoginHint = "login_hint";
    public const string Request = "request";
    public const string RequestUri = "request_uri";

    /// <summary>Carried from page to page (login, consent) and back; anything else is ignored (OAuth 2.1 §4.1.1).</summary>
    public static IReadOnlyList<string> Known { get; } =
        [ClientId, RedirectUri, ResponseType, ResponseMode, Scope, State, Nonce, CodeChallenge, CodeChallengeMethod, Prompt, MaxAge, LoginHint];

    public const int MaxStateLength = 4096;
    public const int MaxNonceLength = 1024;
    public const int MaxLoginHintLength = 256;
}

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
    /// <summary>The parameters to come back with after a page, minus the prompts the page satisfied.</summary>
    public IReadOnlyDictionary<string, string> ParametersWithout(params string[] satisfiedPrompts)
    {
        var parameters = Parameters.ToDictionary(StringComparer.Ordinal);
        var remaining = Prompt.Where(p => !satisfiedPrompts.Contains(p)).ToList();
        if (remaining.Count == 0)
        {
            parameters.Remove(AuthorizationParameters.Prompt);
        }
        else
        {
            parameters[AuthorizationParameters.Prompt] = string.Join(' ', remaining);
        }

        // max_age=0 asks for a fresh sign-in, as prompt=login does (OIDC Core §3.1.2.1); once done, it is satisfied.
        if (satisfiedPrompts.Contains(Prompts.Login) && MaxAge == 0)
        {
            parameters.Remove(AuthorizationParameters.MaxAge);
        }

        return parameters;
    }
}

/// <summary>Where an error goes: a page at this server, or back to the client's validated redirect URI.</summary>
public sealed record RedirectTarget(string RedirectUri, string ResponseMode, string? State);

public static class Prompts
{
    public const string None = "none";
    public const string Login = "login";
    public const string Consent = "consent";
    public const string SelectAccount = "select_account";
}

/// <summary>The outcome of validating an authorization request.</summary>
public abstract record AuthorizationValidation
{
    /// <summary>The client or redirect URI is not known good: show an error page, never redirect (RFC 6749 §4.1.2.1).</summary>
    public sealed record ErrorPage(OAuthError Error) : AuthorizationValidation;

    /// <summary>Anything else: the error goes to the client's redirect URI with state and iss (RFC 9207).</summary>
    public sealed record ErrorRedirect(RedirectTarget Target, OAuthError Error) : AuthorizationValidation;

    public sealed record Valid(AuthorizationRequest Request) : AuthorizationValidation;
}

/// <summary>
/// Validates authorization requests in the order RFC 6749 §4.1.2.1 and OAuth 2.1 §4.1.2.1 require: the
/// client and the redirect URI first (errors shown here), then everything else (errors redirected).
/// </summary>
public sealed class AuthorizationRequestValidator(IClientCatalog clients)
{
    public async Task<AuthorizationValidation> ValidateAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        string? Get(string name) => parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        var clientId = Get(AuthorizationParameters.ClientId);
        if (clientId is null)
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.InvalidRequest("The client_id parameter is required."));
        }

        var client = clientId.Length <= Client.MaxClientIdLength ? await clients.FindAsync(clientId, cancellationToken) : null;
        if (client is null || !client.Enabled)
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.InvalidRequest("The client is unknown or disabled."));
        }

        var requestedRedirect = Get(AuthorizationParameters.RedirectUri);
        string redirectUri;
        if (requestedRedirect is null)
        {
            // OAuth 2.1 §2.3.2: optional only when exactly one URI is registered .
            if (client.RedirectUris.Count != 1)
            {
                return new AuthorizationValidation.ErrorPage(OAuthError.InvalidRequest("The redirect_uri parameter is required for this client."));
            }

            redirectUri = client.RedirectUris[0];
        }
        else
        {
            var match = client.RedirectUris.FirstOrDefault(registered => RedirectUriRules.Matches(registered, requestedRedirect));
            if (match is null)
            {
                return new AuthorizationValidation.ErrorPage(OAuthError.InvalidRequest("The redirect_uri does not match a URI registered for the client."));
            }

            redirectUri = requestedRedirect;
        }

        // From here on the redirect URI is known good. form_post is honoured for errors too, if asked for
        // and valid; any other mode falls back to query for the error that says so.
        var responseMode = Get(AuthorizationParameters.ResponseMode) ?? ResponseModes.Query;
        var state = Get(AuthorizationParameters.State);
        var target = new RedirectTarget(redirectUri, ResponseModes.IsSupported(responseMode) ? responseMode : ResponseModes.Query,
            state is { Length: <= AuthorizationParameters.MaxStateLength } ? state : null);
        AuthorizationValidation Fail(OAuthError error) => new AuthorizationValidation.ErrorRedirect(target, error);

        if (state is { Length: > AuthorizationParameters.MaxStateLength })
        {
            return Fail(OAuthError.InvalidRequest($"The state parameter must be at most {AuthorizationParameters.MaxStateLength} characters."));
        }

        if (!ResponseModes.IsSupported(responseMode))
        {
            return Fail(OAuthError.InvalidRequest("The response_mode must be query or form_post."));
        }

        if (Get(AuthorizationParameters.Request) is not null)
        {
            return Fail(new OAuthError("request_not_supported", "Request objects are not supported."));
        }

        if (Get(AuthorizationParameters.RequestUri) is not null)
        {
            return Fail(new OAuthError("request_uri_not_supported", "The request_uri parameter is not supported."));
        }

        var responseType = Get(AuthorizationParameters.ResponseType);
        if (responseType is null)
        {
            return Fail(OAuthError.InvalidRequest("The response_type parameter is required."));
        }

        // OAuth 2.1 §4.1.1: the code flow only; no implicit or hybrid tokens in a redirect (RFC 9700 §2.1.2, ASVS 10.6.1).
        if (responseType != "code")
        {
            return Fail(new OAuthError(OAuthErrorCodes.UnsupportedResponseType, "Only response_type=code is supported."));
        }

        if (!client.AllowsGrant(GrantTypes.AuthorizationCode))
        {
            return Fail(new OAuthError(OAuthErrorCodes.UnauthorizedClient, "The client is not allowed to use the authorization code flow."));
        }

        var scopes = ScopeSet.Parse(Get(AuthorizationParameters.Scope));
        if (!scopes.IsSuccess)
        {
            return Fail(scopes.Error);
        }

        if (scopes.Value.Count == 0)
        {
            return Fail(OAuthError.InvalidScope("The scope parameter is required."));
        }

        if (scopes.Value.Any(scope => !client.AllowedScopeSet.Contains(scope)))
        {
            return Fail(OAuthError.InvalidScope("A requested scope is not allowed for this client."));
        }

        // PKCE with S256 for every client (OAuth 2.1 §4.1.1; RFC 9700 §2.1.1). A missing method
        // means plain (RFC 7636 §4.3), which is refused rather than silently assumed.
        var challenge = Get(AuthorizationParameters.CodeChallenge);
        if (challenge is null)
        {
            return Fail(OAuthError.InvalidRequest("code_challenge is required (PKCE with S256)."));
        }

        if (Get(AuthorizationParameters.CodeChallengeMethod) != Pkce.S256)
        {
            return Fail(OAuthError.InvalidRequest("code_challenge_method must be S256."));
        }

        if (!Pkce.IsValidChallenge(challenge))
        {
            return Fail(OAuthError.InvalidRequest("code_challenge must be 43 base64url characters."));
        }

        var nonce = Get(AuthorizationParameters.Nonce);
        if (nonce is { Length: > AuthorizationParameters.MaxNonceLength })
        {
            return Fail(OAuthError.InvalidRequest($"The nonce parameter must be at most {AuthorizationParameters.MaxNonceLength} characters."));
        }

        var prompt = ParsePrompt(Get(AuthorizationParameters.Prompt));
        if (prompt is null)
        {
            return Fail(OAuthError.InvalidRequest("prompt must be none, or any of login, consent and select_account."));
        }

        int? maxAge = null;
        if (Get(AuthorizationParameters.MaxAge) is { } maxAgeText)
        {
            if (!int.TryParse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return Fail(OAuthError.InvalidRequest("max_age must be a non-negative number of seconds."));
            }

            maxAge = seconds;
        }

        var loginHint = Get(AuthorizationParameters.LoginHint);
        if (loginHint is { Length: > AuthorizationParameters.MaxLoginHintLength })
        {
            loginHint = null;
        }

        var carried = AuthorizationParameters.Known
            .Where(name => Get(name) is not null)
            .ToDictionary(name => name, name => parameters[name], StringComparer.Ordinal);
        return new AuthorizationValidation.Valid(new AuthorizationRequest(
            client, redirectUri, requestedRedirect is not null, responseMode, scopes.Value, state, nonce, challenge, prompt, maxAge, loginHint, carried));
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

/// <summary>How the authorization response reaches the client (OAuth 2.0 Multiple Response Types; Form Post Response Mode).</summary>
public static class ResponseModes
{
    public const string Query = "query";
    public const string FormPost = "form_post";

    public static bool IsSupported(string mode) => mode is Query or FormPost;
}
