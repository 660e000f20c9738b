using AuthService.Application.Clients.Commands.RecordClientUse;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Tokens.Commands.ExchangeToken;
using AuthService.Application.Tokens.Commands.IssueClientCredentialsToken;
using AuthService.Application.Tokens.Commands.RedeemAuthorizationCode;
using AuthService.Application.Tokens.Commands.RedeemDeviceCode;
using AuthService.Application.Tokens.Commands.RefreshAccessToken;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Clients;
using AuthService.WebApi.Protocol;
using MediatR;
using Microsoft.Extensions.Options;

namespace AuthService.WebApi.Endpoints.Protocol;

/// <summary>
/// The token endpoint (RFC 6749 §3.2). Thin: read the form and the client credentials, build the
/// command for the grant type, send it, map the result. Each grant is its own command and handler.
/// </summary>
public static class TokenEndpoint
{
    /// <summary>grant_type → the command that handles it. Grants absent here answer unsupported_grant_type.</summary>
    private static readonly Dictionary<string, Func<BackChannelRequest, DPoPPresentation, IRequest<ProtocolResult<TokenResponse>>>> Grants = new(StringComparer.Ordinal)
    {
        [GrantTypes.ClientCredentials] = (r, dpop) => new IssueClientCredentialsToken(r.Credentials, r.Form[OAuthParameters.Scope], r.RemoteAddress, dpop)
        {
            Resource = r.Form[OAuthParameters.Resource],
        },
        [GrantTypes.AuthorizationCode] = (r, dpop) => new RedeemAuthorizationCode(
            r.Credentials, r.Form[OAuthParameters.Code], r.Form[OAuthParameters.CodeVerifier], r.Form[OAuthParameters.RedirectUri], r.RemoteAddress, dpop)
        {
            Resource = r.Form[OAuthParameters.Resource],
        },
        [GrantTypes.DeviceCode] = (r, dpop) => new RedeemDeviceCode(r.Credentials, r.Form[OAuthParameters.DeviceCode], r.RemoteAddress, dpop)
        {
            Resource = r.Form[OAuthParameters.Resource],
        },
        [GrantTypes.RefreshToken] = (r, dpop) => new RefreshAccessToken(
            r.Credentials, r.Form[OAuthParameters.RefreshToken], r.Form[OAuthParameters.Scope], r.RemoteAddress, dpop)
        {
            Resource = r.Form[OAuthParameters.Resource],
        },
        [GrantTypes.TokenExchange] = (r, dpop) => new ExchangeToken(
            r.Credentials, r.Form[OAuthParameters.SubjectToken], r.Form[OAuthParameters.SubjectTokenType], r.Form[OAuthParameters.ActorToken],
            r.Form[OAuthParameters.ActorTokenType], r.Form[OAuthParameters.RequestedTokenType], r.Form[OAuthParameters.Scope], r.RemoteAddress, dpop)
        {
            Resource = r.Form[OAuthParameters.Resource],
            Audience = r.Form[OAuthParameters.Audience],
        },
    };

    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProtocolEndpoints.Token, HandleAsync)
            .WithName("Token")
            .WithTags("Protocol")
            .WithSummary("Token endpoint (RFC 6749 §3.2): client_credentials, authorization_code, refresh_token, device_code (RFC 8628), token exchange (RFC 8693)")
            // No Accepts<T>() metadata: it would make routing answer 415 without the RFC 6749 error body.
            .WithDescription(
                "Form-encoded POST (application/x-www-form-urlencoded) with grant_type=client_credentials. Client authentication by HTTP Basic (client_secret_basic) or client_id/client_secret in the body " +
                "(client_secret_post), never both. Optional `scope` (space-separated); without it the client's allowed scopes are granted. " +
                "With a DPoP proof (RFC 9449 header `DPoP`) the access token is bound to its key (cnf.jkt) and token_type is DPoP; " +
                "invalid proofs answer invalid_dpop_proof, and use_dpop_nonce with a DPoP-Nonce header when Auth:DPoP:RequireNonce is on. " +
                "Returns an RFC 9068 JWT access token. Errors are RFC 6749 §5.2 JSON: invalid_request, invalid_client (401 with " +
                "WWW-Authenticate when Basic was used; 429 with Retry-After after repeated failures), unauthorized_client, " +
                "unsupported_grant_type, invalid_scope, and for the device grant (RFC 8628 §3.5, `device_code`) authorization_pending, slow_down, access_denied, expired_token; invalid_target (RFC 8707: `resource`, repeatable, names the protected resource the token is for). " +
                "grant_type=urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693, confidential clients registered for it, within their token_exchange policy): " +
                "subject_token an access token, refresh token or ID token of this server, or a JWT of a trusted external issuer; actor_token an access token " +
                "of this server; the result carries `act` (delegation) and `issued_token_type`.")
            .Produces<TokenResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status400BadRequest, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status401Unauthorized, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status429TooManyRequests, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status503ServiceUnavailable, "application/json")
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, IMediator mediator, IOptions<DPoPOptions> dpopOptions, Infrastructure.Observability.AuthServiceMetrics metrics, CancellationToken cancellationToken)
    {
        // The server's own warm-up requests (docs/adr/0044) are not traffic: they are not counted.
        var counted = !Infrastructure.Hosting.WarmUpRequestFeature.IsWarmUp(http);
        void Answered(string? grant, string? clientId, string? error)
        {
            if (counted)
            {
                metrics.TokenEndpointAnswered(grant, clientId, error);
            }
        }

        var request = await BackChannelRequest.ReadAsync(http, cancellationToken);
        if (!request.IsSuccess)
        {
            Answered(null, null, request.Error.Code);
            return OAuthResults.Error(request.Error, http.Request);
        }

        var grantType = request.Value.Form[OAuthParameters.GrantType];
        if (grantType is null)
        {
            Answered(null, null, OAuthError.MissingGrantType.Code);
            return OAuthResults.Error(OAuthError.MissingGrantType, http.Request);
        }

        if (!Grants.TryGetValue(grantType, out var toCommand))
        {
            Answered(null, null, OAuthError.UnsupportedGrantType.Code); // the caller's text is never a tag
            return OAuthResults.Error(OAuthError.UnsupportedGrantType, http.Request);
        }

        var result = await mediator.Send(toCommand(request.Value, DPoPHeaders.Read(http, ProtocolEndpoints.Token)), cancellationToken);
        if (dpopOptions.Value.RequireNonce || result.Error?.Code == OAuthErrorCodes.UseDPoPNonce)
        {
            DPoPHeaders.AddNonce(http);
        }

        // Only a success names the client: it is then authenticated and registered (docs/adr/0042, "Cardinality").
        Answered(grantType, result.IsSuccess ? request.Value.Credentials.ClientId : null, result.Error?.Code);
        if (!result.IsSuccess)
        {
            return OAuthResults.Error(result.Error, http.Request);
        }

        await mediator.Send(new RecordClientUse(request.Value.Credentials.ClientId), cancellationToken);

        return OAuthResults.Token(result.Value);
    }
}
