using System.Globalization;
using System.Text.Json;
using AuthService.Application.Common.DPoP;
using AuthService.Application.Authorization.Commands.PushAuthorizationRequest;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Introspection.Queries.IntrospectToken;
using AuthService.Application.Registration.Common;
using AuthService.Application.Tokens.Common;

namespace AuthService.WebApi.Protocol;

/// <summary>
/// The one place protocol outcomes become HTTP: 400 by default, 401 with <c>WWW-Authenticate</c> for
/// <c>invalid_client</c> over Basic (RFC 6749 §5.2), 429/503 with <c>Retry-After</c>, and always
/// <c>Cache-Control: no-store</c> (OAuth 2.1 §3.2.3).
/// </summary>
public static class OAuthResults
{
    public static IResult Token(TokenResponse response) =>
        new NoStoreJsonResult(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJsonContext.Default.TokenResponse), null, null);

    public static IResult Introspection(IntrospectionResponse response) =>
        new NoStoreJsonResult(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJsonContext.Default.IntrospectionResponse), null, null);

    /// <summary>RFC 9126 §2.2: 201 Created with the request_uri and its lifetime.</summary>
    public static IResult PushedAuthorization(PushedAuthorizationResponse response) =>
        new NoStoreJsonResult(StatusCodes.Status201Created, JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJsonContext.Default.PushedAuthorizationResponse), null, null);

    /// <summary>RFC 7591 §3.2.1 (201 Created) and RFC 7592 §3 (200): the client information response.</summary>
    /// <summary>RFC 8628 §3.2: 200 with the codes, never cached.</summary>
    public static IResult DeviceAuthorization(Application.DeviceAuthorizations.Commands.RequestDeviceAuthorization.DeviceAuthorizationResponse response) =>
        new NoStoreJsonResult(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJsonContext.Default.DeviceAuthorizationResponse), null, null);

    public static IResult ClientInformation(ClientRegistrationResponse response, int statusCode) =>
        new NoStoreJsonResult(statusCode, JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJsonContext.Default.ClientRegistrationResponse), null, null);

    /// <summary>An error answered with a status of its own (403 for a closed registration endpoint), not cacheable.</summary>
    public static IResult Error(OAuthError error, int statusCode) =>
        new NoStoreJsonResult(statusCode, JsonSerializer.SerializeToUtf8Bytes(new OAuthErrorBody(error.Code, error.Description), ProtocolJsonContext.Default.OAuthErrorBody), null, null);

    /// <summary>200 with an empty body (RFC 7009 §2.2), still not cacheable.</summary>
    public static IResult Empty() => new NoStoreJsonResult(StatusCodes.Status200OK, [], null, null);

    /// <summary>
    /// An error of a back-channel endpoint: <c>invalid_client</c> is a 401 with a Basic challenge when the request used the
    /// Authorization header (RFC 6749 §5.2), or always where the endpoint's RFC says so (introspection, RFC 7662 §2.3).
    /// </summary>
    public static IResult Error(OAuthError error, HttpRequest request, bool alwaysChallenge = false) =>
        Error(error, alwaysChallenge || ClientCredentialReader.UsesAuthorizationHeader(request));

    /// <summary>
    /// A bearer-token error (RFC 6750 §3): 401, or 403 for <c>insufficient_scope</c>, with a <c>WWW-Authenticate: Bearer</c>
    /// challenge that names the error only when a token was sent (§3.1), and not cacheable.
    /// </summary>
    public static IResult BearerError(HttpContext http, OAuthError error, bool tokenSent)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.WWWAuthenticate = tokenSent
            ? $"Bearer realm=\"AuthService\", error=\"{error.Code}\", error_description=\"{error.Description}\""
            : "Bearer realm=\"AuthService\"";
        return Results.StatusCode(error.Code == OAuthErrorCodes.InsufficientScope ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized);
    }

    /// <summary>
    /// A resource-request error under the DPoP scheme (RFC 9449 §7.1): 401 (403 for <c>insufficient_scope</c>) with a
    /// <c>WWW-Authenticate: DPoP</c> challenge naming the error and the accepted proof algorithms (<c>algs</c>).
    /// </summary>
    public static IResult DPoPError(HttpContext http, OAuthError error)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.WWWAuthenticate =
            $"DPoP error=\"{error.Code}\", error_description=\"{error.Description}\", algs=\"{string.Join(' ', DPoPAlgorithms.Supported)}\"";
        return Results.StatusCode(error.Code == OAuthErrorCodes.InsufficientScope ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized);
    }

    public static IResult Error(OAuthError error, bool usedBasicAuthentication)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new OAuthErrorBody(error.Code, error.Description), ProtocolJsonContext.Default.OAuthErrorBody);
        var retryAfter = error.RetryAfter is { } wait ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
        return error switch
        {
            { RetryAfter: not null, Code: OAuthErrorCodes.TemporarilyUnavailable } => new NoStoreJsonResult(StatusCodes.Status503ServiceUnavailable, body, null, retryAfter),
            { RetryAfter: not null } => new NoStoreJsonResult(StatusCodes.Status429TooManyRequests, body, null, retryAfter),
            { Code: OAuthErrorCodes.InvalidClient } when usedBasicAuthentication =>
                new NoStoreJsonResult(StatusCodes.Status401Unauthorized, body, "Basic realm=\"AuthService\", charset=\"UTF-8\"", null),
            { Code: OAuthErrorCodes.TemporarilyUnavailable } => new NoStoreJsonResult(StatusCodes.Status503ServiceUnavailable, body, null, "5"),
            { Code: OAuthErrorCodes.ServerError } => new NoStoreJsonResult(StatusCodes.Status500InternalServerError, body, null, null),
            _ => new NoStoreJsonResult(StatusCodes.Status400BadRequest, body, null, null),
        };
    }

    private sealed class NoStoreJsonResult(int statusCode, byte[] body, string? wwwAuthenticate, string? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            if (body.Length > 0)
            {
                response.ContentType = "application/json; charset=utf-8";
            }

            response.Headers.CacheControl = "no-store";
            response.Headers.Pragma = "no-cache";
            if (wwwAuthenticate is not null)
            {
                response.Headers.WWWAuthenticate = wwwAuthenticate;
            }

            if (retryAfter is not null)
            {
                response.Headers.RetryAfter = retryAfter;
            }

            response.ContentLength = body.Length;
            return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }
}
