using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.PushedAuthorizationRequests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Authorization.Requests;

/// <summary>
/// Turns what reaches the authorization endpoint (and the sign-in and consent pages) into the authorization
/// request to validate, then validates it with <see cref="AuthorizationRequestValidator"/> (the one copy of the rules):
/// <list type="bullet">
/// <item><c>request_uri</c>: a pushed request (RFC 9126 §4), opened by the client that pushed it and used up with its
/// authorization response (<see cref="UseUpPushedRequestAsync"/>); every other
/// parameter but <c>client_id</c> is ignored (RFC 9126 §4: the pushed request is the whole request).</item>
/// <item><c>request</c>: a signed request object (RFC 9101 §5); only the parameters inside it are used (§6.3).</item>
/// <item><c>sealed_request</c>: a request of the two kinds above, already verified, on its way through the pages.</item>
/// <item>anything else: a plain request, refused when the client or the server requires pushed requests (RFC 9126 §5).</item>
/// </list>
/// Errors about a <c>request_uri</c> or request object are shown on this server's page, never redirected: the
/// redirect URI inside them is not verified (RFC 9101 §6.2; RFC 6749 §4.1.2.1).
/// </summary>
public sealed partial class AuthorizationRequestResolver(
    AuthorizationRequestValidator validator,
    IClientCatalog clients,
    IPushedAuthorizationRequestRepository pushedRequests,
    IRequestObjectReader requestObjects,
    IAuthorizationRequestSeal seal,
    IOptions<PushedAuthorizationOptions> options,
    TimeProvider clock,
    ILogger<AuthorizationRequestResolver> logger)
{
    /// <summary>RFC 9126 §2.2: the URN prefix of request_uri values this server issues.</summary>
    public const string RequestUriPrefix = "urn:ietf:params:oauth:request_uri:";

    public async Task<AuthorizationValidation> ResolveAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        string? Get(string name) => parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        if (Get(OAuthParameters.SealedRequest) is { } sealedRequest)
        {
            return await ContinueAsync(Get, sealedRequest, cancellationToken);
        }

        var requestUri = Get(OAuthParameters.RequestUri);
        var requestObject = Get(OAuthParameters.Request);
        if (requestUri is null && requestObject is null)
        {
            var validation = await validator.ValidateAsync(parameters, cancellationToken);
            return validation is AuthorizationValidation.Valid { Request: var plain } && RequiresPushedRequests(plain.Client)
                ? new AuthorizationValidation.ErrorRedirect(AuthorizationResponses.TargetOf(plain), OAuthError.PushedRequestRequired)
                : validation;
        }

        // RFC 9126 §4 and RFC 9101 §5: client_id is sent beside request_uri or request, and must match what they carry.
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

        if (requestUri is not null && requestObject is not null)
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.RequestAndRequestUri);
        }

        if (requestUri is not null)
        {
            var opened = await OpenPushedAsync(client, requestUri, cancellationToken);
            if (!opened.IsSuccess)
            {
                LogRefused(logger, client.ClientId, opened.Error.Code);
                return new AuthorizationValidation.ErrorPage(opened.Error);
            }

            return await SealAsync(VerifiedRequestOrigin.Pushed, opened.Value.Parameters, opened.Value.RequestUriHash, cancellationToken);
        }

        if (RequiresPushedRequests(client))
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.PushedRequestRequired);
        }

        var verified = await requestObjects.ReadAsync(client, requestObject!, cancellationToken);
        if (!verified.IsSuccess)
        {
            LogRefused(logger, client.ClientId, verified.Error.Code);
            return new AuthorizationValidation.ErrorPage(verified.Error);
        }

        return await SealAsync(VerifiedRequestOrigin.RequestObject, verified.Value, pushedRequestHash: null, cancellationToken);
    }

    /// <summary>
    /// RFC 9126 §5: per client (<c>require_pushed_authorization_requests</c>) or for the whole server; and for every
    /// client held to the FAPI 2.0 Security Profile (§5.3.2.2: "shall reject authorization requests sent without" PAR).
    /// </summary>
    public bool RequiresPushedRequests(ClientSnapshot client) =>
        client.RequirePushedAuthorizationRequests || ClientProfiles.RequiresPushedRequests(client.Profile)
        || options.Value.RequirePushedAuthorizationRequests;

    /// <summary>
    /// Uses up the pushed request <paramref name="authorization"/> came from, if any, as its authorization response is
    /// issued (RFC 9126 §4: one-time use); the caller's save stores it with the response, and of two replicas doing so
    /// at once only one saves (the version is the concurrency token). False when it can no longer be used.
    /// </summary>
    public async Task<bool> UseUpPushedRequestAsync(AuthorizationRequest authorization, CancellationToken cancellationToken)
    {
        if (authorization.PushedRequest is not { } reference)
        {
            return true;
        }

        var pushed = await pushedRequests.FindByRequestUriHashAsync(reference.RequestUriHash, cancellationToken);
        return pushed?.Consume(authorization.Client.ClientId, reference.OpenedAt, clock.GetUtcNow()) == PushedRequestUse.Consumed;
    }

    /// <summary>
    /// The pushed request behind <paramref name="requestUri"/>, if this client may open it now. Opening writes nothing, so
    /// a reload before the user is done opens it again (RFC 9126 §4); it is used up with its authorization response.
    /// </summary>
    private async Task<ProtocolResult<(IReadOnlyDictionary<string, string> Parameters, string RequestUriHash)>> OpenPushedAsync(
        ClientSnapshot client, string requestUri, CancellationToken cancellationToken)
    {
        // Only this server's URNs: request_uri by reference (a URL to fetch, RFC 9101 §5.2) is not supported, and nothing is fetched.
        if (!requestUri.StartsWith(RequestUriPrefix, StringComparison.Ordinal) || requestUri.Length != RequestUriPrefix.Length + OpaqueToken.HashLength)
        {
            return OAuthError.RequestUriNotPushed;
        }

        var hash = OpaqueToken.HashOf(requestUri);
        var pushed = await pushedRequests.FindByRequestUriHashAsync(hash, cancellationToken);
        return pushed is not null && pushed.Open(client.ClientId, clock.GetUtcNow()) == PushedRequestUse.Usable
            ? (pushed.Parameters, hash)
            : OAuthError.RequestUriInvalid;
    }

    /// <summary>Validates the verified parameters; a valid request then travels sealed, with prompt and max_age beside the seal.</summary>
    private async Task<AuthorizationValidation> SealAsync(
        VerifiedRequestOrigin origin, IReadOnlyDictionary<string, string> verified, string? pushedRequestHash, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(verified, cancellationToken);
        if (validation is not AuthorizationValidation.Valid { Request: var authorization })
        {
            return validation;
        }

        var now = clock.GetUtcNow();
        var sealedRequest = seal.Seal(new SealedAuthorizationRequest(
            origin, authorization.Client.ClientId, now, now + options.Value.VerifiedRequestLifetime, authorization.Parameters, pushedRequestHash));
        return new AuthorizationValidation.Valid(authorization with
        {
            Parameters = Carried(authorization.Client.ClientId, sealedRequest, authorization.Parameters),
            PushedRequest = pushedRequestHash is null ? null : new PushedRequestReference(pushedRequestHash, now),
        });
    }

    /// <summary>
    /// A sealed request coming back from a page. The pages may only narrow <c>prompt</c> (the prompts they satisfied)
    /// and drop <c>max_age=0</c> after a sign-in; anything else altered, or an expired seal, means starting again.
    /// </summary>
    private async Task<AuthorizationValidation> ContinueAsync(Func<string, string?> get, string sealedText, CancellationToken cancellationToken)
    {
        var sealedRequest = seal.Unseal(sealedText);
        if (sealedRequest is null || clock.GetUtcNow() >= sealedRequest.ExpiresAt
            || !string.Equals(get(OAuthParameters.ClientId), sealedRequest.ClientId, StringComparison.Ordinal))
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.SealedRequestInvalid);
        }

        var effective = new Dictionary<string, string>(sealedRequest.Parameters, StringComparer.Ordinal);
        var sealedPrompts = ParsePrompts(sealedRequest.Parameters.GetValueOrDefault(OAuthParameters.Prompt));
        var carriedPrompts = ParsePrompts(get(OAuthParameters.Prompt));
        var sealedMaxAge = sealedRequest.Parameters.GetValueOrDefault(OAuthParameters.MaxAge);
        var carriedMaxAge = get(OAuthParameters.MaxAge);
        if (!carriedPrompts.IsSubsetOf(sealedPrompts) || (carriedMaxAge != sealedMaxAge && !(carriedMaxAge is null && sealedMaxAge == "0")))
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.SealedRequestInvalid);
        }

        // The tenant picker (docs/adr/0038) may add the tenant the person chose to a request that named none; a tenant
        // the request named stays as it was. Either way the authorization endpoint checks the membership again.
        var sealedTenant = sealedRequest.Parameters.GetValueOrDefault(OAuthParameters.Tenant);
        var carriedTenant = get(OAuthParameters.Tenant);
        if (sealedTenant is not null && carriedTenant != sealedTenant)
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.SealedRequestInvalid);
        }

        SetOrRemove(effective, OAuthParameters.Tenant, carriedTenant);
        SetOrRemove(effective, OAuthParameters.Prompt, carriedPrompts.Count > 0 ? string.Join(' ', carriedPrompts) : null);
        SetOrRemove(effective, OAuthParameters.MaxAge, carriedMaxAge);
        var signInDropped = (sealedPrompts.Contains(Authorization.Prompts.Login) && !carriedPrompts.Contains(Authorization.Prompts.Login))
            || (sealedPrompts.Contains(Authorization.Prompts.SelectAccount) && !carriedPrompts.Contains(Authorization.Prompts.SelectAccount))
            || (sealedMaxAge == "0" && carriedMaxAge is null);

        var validation = await validator.ValidateAsync(effective, cancellationToken);
        if (validation is not AuthorizationValidation.Valid { Request: var authorization })
        {
            return validation;
        }

        // A client switched to pushed requests meanwhile does not accept a signed request object that was not pushed.
        if (sealedRequest.Origin != VerifiedRequestOrigin.Pushed && RequiresPushedRequests(authorization.Client))
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.PushedRequestRequired);
        }

        // A pushed request whose response was issued is over: its seal does not run the flow again.
        var reference = sealedRequest.PushedRequestHash is { } hash ? new PushedRequestReference(hash, sealedRequest.IssuedAt) : null;
        if (reference is not null && (await pushedRequests.FindByRequestUriHashAsync(reference.RequestUriHash, cancellationToken))
                ?.CheckCompletion(sealedRequest.ClientId, reference.OpenedAt) != PushedRequestUse.Usable)
        {
            return new AuthorizationValidation.ErrorPage(OAuthError.RequestUriInvalid);
        }

        return new AuthorizationValidation.Valid(authorization with
        {
            Parameters = Carried(sealedRequest.ClientId, sealedText, effective),
            SignedInNotBefore = signInDropped ? sealedRequest.IssuedAt : null,
            PushedRequest = reference,
        });
    }

    /// <summary>What the pages carry: client_id, the seal, the prompt and max_age they may narrow, and the tenant the picker may add.</summary>
    private static Dictionary<string, string> Carried(string clientId, string sealedRequest, IReadOnlyDictionary<string, string> parameters)
    {
        var carried = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OAuthParameters.ClientId] = clientId,
            [OAuthParameters.SealedRequest] = sealedRequest,
        };
        foreach (var name in (string[])[OAuthParameters.Prompt, OAuthParameters.MaxAge, OAuthParameters.Tenant])
        {
            if (parameters.TryGetValue(name, out var value))
            {
                carried[name] = value;
            }
        }

        return carried;
    }

    private static HashSet<string> ParsePrompts(string? value) =>
        new((value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    private static void SetOrRemove(Dictionary<string, string> parameters, string name, string? value)
    {
        if (value is null)
        {
            parameters.Remove(name);
        }
        else
        {
            parameters[name] = value;
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Security event authorization_request_refused: client {ClientId}: {Error}")]
    private static partial void LogRefused(ILogger logger, string clientId, string error);
}
