using System.Text.Json;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Protocol;
using AuthService.Application.UserInfo.Queries.GetUserInfo;
using AuthService.WebApi.Protocol;
using MediatR;

namespace AuthService.WebApi.Endpoints.Protocol;

/// <summary>
/// UserInfo (OIDC Core §5.3), GET or POST, with the access token in the Authorization header only
/// (RFC 6750 §2.1; never in the URL, ASVS 14.2.1). Errors are RFC 6750 §3: 401 with
/// <c>WWW-Authenticate: Bearer</c> (and <c>error="invalid_token"</c> when a token was sent), 403 for
/// <c>insufficient_scope</c>.
/// </summary>
public static class UserInfoEndpoint
{
    private const string DPoPScheme = DPoPPresentation.TokenType + " ";

    public static IEndpointRouteBuilder MapUserInfoEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(ProtocolEndpoints.UserInfo, [HttpMethods.Get, HttpMethods.Post], HandleAsync)
            .WithName("UserInfo")
            .WithTags("Protocol")
            .WithSummary("UserInfo endpoint (OIDC Core §5.3): claims of the signed-in user by scope")
            .WithDescription("Authorization: Bearer <access token with the openid scope>, or for a DPoP-bound token Authorization: DPoP <token> with a DPoP proof header (RFC 9449 §7). Returns sub, and name/preferred_username (profile) and email/email_verified (email).")
            .Produces<UserInfoResponse>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden)
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var header = http.Request.Headers.Authorization;
        string? token = null;
        DPoPPresentation? dpop = null;
        if (header.Count == 1 && header[0] is { } value)
        {
            if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                token = value["Bearer ".Length..].Trim();
            }
            else if (value.StartsWith(DPoPScheme, StringComparison.OrdinalIgnoreCase))
            {
                // RFC 9449 §7.1: Authorization: DPoP <token>, with a proof for this request in the DPoP header.
                token = value[DPoPScheme.Length..].Trim();
                dpop = DPoPHeaders.Read(http, ProtocolEndpoints.UserInfo);
            }
        }

        var result = await mediator.Send(new GetUserInfo(token)
        {
            DPoP = dpop,
            CertificateThumbprint = http.RequestServices.GetRequiredService<MutualTls.ClientCertificateSource>().Find(http)?.Thumbprint,
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            return dpop is not null || result.Error.Code == OAuthErrorCodes.InvalidDPoPProof || result.Error == OAuthError.DPoPBoundTokenAsBearer
                ? OAuthResults.DPoPError(http, result.Error)
                : OAuthResults.BearerError(http, result.Error, tokenSent: token is not null);
        }

        http.Response.Headers.CacheControl = "no-store";
        return Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(result.Value, ProtocolJsonContext.Default.UserInfoResponse), "application/json; charset=utf-8");
    }
}
