using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using AuthService.ResourceServer.Certificates;
using AuthService.ResourceServer.Dpop;
using AuthService.ResourceServer.Introspection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AuthService.ResourceServer;

/// <summary>
/// The authentication handler: reads <c>Authorization: Bearer</c> (RFC 6750 §2.1) or <c>Authorization: DPoP</c>
/// (RFC 9449 §7.1) — never a token in the query or a form (OAuth 2.1 §5.2) —, validates the token, enforces its
/// sender binding, introspects it where the endpoint asks for that, and answers failures with the challenges of
/// RFC 6750 §3 and RFC 9449 §7.1. A token with a <c>cnf</c> is never accepted on possession alone.
/// </summary>
internal sealed partial class AuthServiceTokenHandler(
    IOptionsMonitor<AuthServiceTokenOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokenValidator tokens,
    DpopProofValidator proofs,
    DpopNonceKeys nonceKeys,
    TokenIntrospection introspection)
    : AuthenticationHandler<AuthServiceTokenOptions>(options, loggerFactory, encoder)
{
    private const string DpopHeader = "DPoP";
    private const string DpopNonceHeader = "DPoP-Nonce";

    private TokenFailure? _failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (authorization.Count > 1 || authorization[0] is not { } value)
        {
            return Fail(new TokenFailure(TokenFailure.BearerScheme, TokenFailure.InvalidRequest, "The request has more than one Authorization header."));
        }

        if (ReadCredentials(value) is not var (scheme, token))
        {
            return AuthenticateResult.NoResult(); // another scheme (Basic, ...): not ours to judge
        }

        if (token.Length == 0 || token.Contains(' ', StringComparison.Ordinal))
        {
            return Fail(new TokenFailure(scheme, TokenFailure.InvalidRequest, "The Authorization header is malformed."));
        }

        var (validated, failure) = await tokens.ValidateAsync(token, scheme, Options, Context.RequestAborted);
        failure ??= await CheckBindingAsync(scheme, token, validated!);
        failure ??= await CheckActiveAsync(scheme, token, validated!);
        return failure is null ? AuthenticateResult.Success(Ticket(validated!, scheme)) : Fail(failure);
    }

    /// <summary>
    /// RFC 9449 §7.1: a DPoP-bound token (<c>cnf.jkt</c>) only with the DPoP scheme and a valid proof, and the DPoP
    /// scheme only with a DPoP-bound token. RFC 8705 §3: a certificate-bound token (<c>cnf.x5t#S256</c>) only over
    /// a connection with that very certificate.
    /// </summary>
    private async Task<TokenFailure?> CheckBindingAsync(string scheme, string token, ValidatedAccessToken validated)
    {
        var confirmation = validated.Confirmation;
        if (scheme == TokenFailure.DpopScheme)
        {
            if (confirmation.JwkThumbprint is not { } jkt)
            {
                return TokenFailure.Token(scheme, "The access token is not bound to a DPoP key.");
            }

            // RFC 9449 §4.3 point 1: exactly one DPoP header.
            var proof = Request.Headers[DpopHeader];
            if (proof.Count != 1 || string.IsNullOrEmpty(proof[0]))
            {
                return TokenFailure.Proof("Exactly one DPoP header with a proof is required.");
            }

            if (RequestUri() is not { } uri)
            {
                return TokenFailure.Proof("The request URL cannot be compared with the proof's htu.");
            }

            var dpopFailure = await proofs.ValidateAsync(
                new DpopRequest(proof[0]!, Request.Method, uri, token, jkt), Options, nonceKeys.For(Scheme.Name, Options.Dpop), Context.RequestAborted);
            if (dpopFailure is not null)
            {
                return dpopFailure;
            }
        }
        else if (confirmation.JwkThumbprint is not null)
        {
            // A stolen DPoP-bound token must not work as a bearer token (CVE-2024-49755).
            return TokenFailure.Token(scheme, "The access token is bound to a DPoP key and must be sent with the DPoP scheme and a proof.");
        }

        if (confirmation.CertificateThumbprint is { } x5t)
        {
            var presented = await ClientCertificates.ThumbprintAsync(Context, Options.ClientCertificate);
            if (presented is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(x5t)))
            {
                return TokenFailure.Token(scheme, "The access token is bound to a client certificate that this request was not made with.");
            }
        }

        return null;
    }

    /// <summary>RFC 7662: on endpoints marked <c>RequireActiveToken()</c>, the authority must still call the token active.</summary>
    private async Task<TokenFailure?> CheckActiveAsync(string scheme, string token, ValidatedAccessToken validated)
    {
        if (Context.GetEndpoint()?.Metadata.GetMetadata<RequireActiveTokenMetadata>() is null)
        {
            return null;
        }

        if (!Options.Introspection.IsConfigured)
        {
            LogIntrospectionNotConfigured(Logger);
            return TokenFailure.Unavailable(scheme);
        }

        return await introspection.IsActiveAsync(token, validated.ExpiresAt, Options, Context.RequestAborted) switch
        {
            true => null,
            false => TokenFailure.Token(scheme, "The access token is no longer active."),
            null => TokenFailure.Unavailable(scheme),
        };
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        var failure = _failure;
        Response.Headers.CacheControl = "no-store";
        if (failure?.Error == TokenFailure.AuthorityUnavailable)
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = "5";
            return;
        }

        Response.StatusCode = failure?.Error == TokenFailure.InvalidRequest ? StatusCodes.Status400BadRequest : StatusCodes.Status401Unauthorized;

        // RFC 6750 §3: no error code when the request had no credentials; both schemes are offered, the one the
        // client used carries the error (RFC 9449 §7.1).
        Response.Headers.Append(HeaderNames.WWWAuthenticate, Challenge(TokenFailure.BearerScheme, failure is { Scheme: TokenFailure.BearerScheme } ? failure : null));
        Response.Headers.Append(HeaderNames.WWWAuthenticate, Challenge(TokenFailure.DpopScheme, failure is { Scheme: TokenFailure.DpopScheme } ? failure : null));
        if (failure?.Error == TokenFailure.UseDpopNonce || (failure?.Scheme == TokenFailure.DpopScheme && Options.Dpop.RequireNonce))
        {
            Response.Headers[DpopNonceHeader] = nonceKeys.For(Scheme.Name, Options.Dpop).Issue();
        }
    }

    /// <summary>RFC 6750 §3.1: a valid token without the scope the endpoint needs is a 403 <c>insufficient_scope</c>.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.CacheControl = "no-store";
        var scheme = ReadCredentials(Request.Headers.Authorization.ToString()) is var (used, _) ? used : TokenFailure.BearerScheme;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, Challenge(scheme, new TokenFailure(scheme, "insufficient_scope", "The access token does not grant the scope this request needs."), RequiredScopes()));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The scopes the endpoint's policies require (each <c>RequireScope</c>), for the challenge's <c>scope</c>
    /// attribute (RFC 6750 §3); a requirement satisfied by any of several scopes contributes all of them.
    /// </summary>
    private string RequiredScopes() => string.Join(' ', (Context.GetEndpoint()?.Metadata.GetOrderedMetadata<AuthorizationPolicy>() ?? [])
        .SelectMany(policy => policy.Requirements.OfType<ClaimsAuthorizationRequirement>())
        .Where(requirement => requirement.ClaimType == AuthServiceTokenDefaults.Claims.Scope)
        .SelectMany(requirement => requirement.AllowedValues ?? [])
        .Where(scope => ProtectedResourceOptions.ScopePattern().IsMatch(scope))
        .Distinct(StringComparer.Ordinal));

    private string Challenge(string scheme, TokenFailure? failure, string? scope = null)
    {
        var parameters = new List<string>();
        if (failure is not null)
        {
            parameters.Add($"error=\"{failure.Error}\"");
            parameters.Add($"error_description=\"{failure.Description}\"");
        }

        if (!string.IsNullOrEmpty(scope))
        {
            parameters.Add($"scope=\"{scope}\"");
        }

        if (scheme == TokenFailure.DpopScheme)
        {
            parameters.Add($"algs=\"{string.Join(' ', Options.Dpop.AllowedAlgorithms)}\"");
        }

        // RFC 9728 §5.1: where the client finds which authorization server to ask, and for which scopes.
        if (Options.ProtectedResource.IsConfigured)
        {
            parameters.Add($"resource_metadata=\"{Options.ProtectedResource.MetadataUrl}\"");
        }

        return parameters.Count == 0 ? scheme : scheme + " " + string.Join(", ", parameters);
    }

    /// <summary>The scheme (Bearer or DPoP, case-insensitive as RFC 9110 §11.1 says) and the token; null for other schemes.</summary>
    private static (string Scheme, string Token)? ReadCredentials(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? value : value[..space];
        var token = space < 0 ? string.Empty : value[(space + 1)..].Trim(' ');
        return name.Equals(TokenFailure.BearerScheme, StringComparison.OrdinalIgnoreCase) ? (TokenFailure.BearerScheme, token)
            : name.Equals(TokenFailure.DpopScheme, StringComparison.OrdinalIgnoreCase) ? (TokenFailure.DpopScheme, token)
            : null;
    }

    /// <summary>
    /// The URL the proof's <c>htu</c> must match: the request as received, or, behind a proxy, the configured public
    /// base URL plus the request path (RFC 9449 §4.3 point 9), without query and fragment.
    /// </summary>
    private string? RequestUri()
    {
        var url = Options.Dpop.PublicBaseUrl is { } publicBase
            ? publicBase.TrimEnd('/') + Request.Path.ToUriComponent()
            : $"{Request.Scheme}://{Request.Host.ToUriComponent()}{(Request.PathBase + Request.Path).ToUriComponent()}";
        return HttpUri.Normalize(url);
    }

    private AuthenticationTicket Ticket(ValidatedAccessToken token, string scheme)
    {
        var issuer = token.Issuer;
        var claims = new List<Claim>
        {
            new(AuthServiceTokenDefaults.Claims.Subject, token.Subject, ClaimValueTypes.String, issuer),
            new(AuthServiceTokenDefaults.Claims.ClientId, token.ClientId, ClaimValueTypes.String, issuer),
            new(AuthServiceTokenDefaults.Claims.JwtId, token.JwtId, ClaimValueTypes.String, issuer),
            new(AuthServiceTokenDefaults.Claims.Issuer, token.Issuer, ClaimValueTypes.String, issuer),
            new(AuthServiceTokenDefaults.Claims.Binding, Binding(token.Confirmation, scheme), ClaimValueTypes.String, issuer),
        };
        claims.AddRange(token.Audiences.Select(aud => new Claim(AuthServiceTokenDefaults.Claims.Audience, aud, ClaimValueTypes.String, issuer)));
        claims.AddRange(token.Scopes.Distinct(StringComparer.Ordinal).Select(scope => new Claim(AuthServiceTokenDefaults.Claims.Scope, scope, ClaimValueTypes.String, issuer)));
        var identity = new ClaimsIdentity(claims, Scheme.Name, AuthServiceTokenDefaults.Claims.Subject, "role");
        return new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name);
    }

    private static string Binding(Confirmation confirmation, string scheme) =>
        scheme == TokenFailure.DpopScheme ? "dpop" : confirmation.CertificateThumbprint is not null ? "mtls" : "bearer";

    private AuthenticateResult Fail(TokenFailure failure)
    {
        _failure = failure;
        LogRefused(Logger, failure.Scheme, failure.Error, failure.Description);
        return AuthenticateResult.Fail(failure.Description);
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Token refused ({Scheme}, {Error}): {Description}")]
    private static partial void LogRefused(ILogger logger, string scheme, string error, string description);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "An endpoint requires introspection, but Introspection:ClientId and Introspection:ClientSecret are not configured.")]
    private static partial void LogIntrospectionNotConfigured(ILogger logger);
}
