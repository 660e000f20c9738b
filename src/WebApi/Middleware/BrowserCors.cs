using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using Microsoft.Net.Http.Headers;

namespace AuthService.WebApi.Middleware;

/// <summary>
/// CORS for browser-based clients at the endpoints they call directly: token, UserInfo, revocation
/// (OAuth 2.1 §6.1). Only origins of registered redirect URIs get <c>Access-Control-Allow-Origin</c>, and
/// never with credentials: these endpoints use no cookies (RFC 9700 §2.6). The authorization
/// endpoint and the pages never answer CORS (RFC 9700 §2.6); metadata and the JWKS answer <c>*</c> elsewhere.
/// </summary>
public static class BrowserCors
{
    private static readonly PathString[] Paths = [ProtocolEndpoints.Token, ProtocolEndpoints.UserInfo, ProtocolEndpoints.Revocation];

    public static IApplicationBuilder UseBrowserCors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var origin = context.Request.Headers.Origin;
        if (origin.Count != 1 || !Paths.Any(path => context.Request.Path.Equals(path, StringComparison.Ordinal)))
        {
            await next(context);
            return;
        }

        var allowed = await context.RequestServices.GetRequiredService<IWebOrigins>().IsAllowedAsync(origin[0]!, context.RequestAborted);
        var headers = context.Response.Headers;
        headers.Append(HeaderNames.Vary, HeaderNames.Origin);
        if (HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod))
        {
            // Preflight: answered here, with or without permission; the endpoint itself never sees it.
            if (allowed)
            {
                headers.AccessControlAllowOrigin = origin[0];
                headers.AccessControlAllowMethods = "GET, POST";
                // DPoP: browser clients send proofs and read server nonces (RFC 9449 §4.1, §8).
                headers.AccessControlAllowHeaders = "Authorization, Content-Type, DPoP";
                headers.AccessControlMaxAge = "600";
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        if (allowed)
        {
            headers.AccessControlAllowOrigin = origin[0];
            headers.AccessControlExposeHeaders = "WWW-Authenticate, DPoP-Nonce";
        }

        await next(context);
    });
}
