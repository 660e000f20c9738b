using System.Text.Json;
using System.Threading.RateLimiting;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Registration;
using AuthService.Application.Registration.Commands.DeleteRegisteredClient;
using AuthService.Application.Registration.Commands.RegisterDynamicClient;
using AuthService.Application.Registration.Commands.UpdateRegisteredClient;
using AuthService.Application.Registration.Common;
using AuthService.Application.Registration.Queries.ReadRegisteredClient;
using AuthService.WebApi.Protocol;
using MediatR;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AuthService.WebApi.Endpoints.Protocol;

/// <summary>
/// Dynamic client registration (RFC 7591 §3) at <c>/connect/register</c> and client configuration (RFC 7592 §2) at
/// <c>/connect/register/{client_id}</c>: thin, the rules are the Application's.
/// </summary>
public static class RegistrationEndpoints
{
    public const string RateLimitPolicy = "registration";

    /// <summary>A fixed one-minute window per source address (<c>Auth:Registration:PermitsPerMinutePerAddress</c>; an IPv6 address by its /64); 429 with Retry-After beyond.</summary>
    public static IServiceCollection AddRegistrationRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                RateLimiting.AddressRateLimitPolicy.SourceAddress(http),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<RegistrationOptions>>().Value.PermitsPerMinutePerAddress,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                return new ValueTask(OAuthResults.Error(OAuthError.RegistrationThrottled(retryAfter), usedBasicAuthentication: false).ExecuteAsync(context.HttpContext));
            };
        });

    public static IEndpointRouteBuilder MapRegistrationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(ProtocolEndpoints.Registration, RegisterAsync)
            .WithName("RegisterDynamicClient").WithTags("Protocol")
            .WithSummary("Dynamic client registration (RFC 7591)")
            .WithDescription(
                "JSON client metadata (RFC 7591 §2). Open, behind an initial access token (Authorization: Bearer), or closed (403 access_denied), " +
                "as `Auth:Registration:Policy` says. Unknown members are ignored and never stored. Answers 201 with the registered metadata, " +
                "`client_id`, `client_secret` (confidential clients), `registration_access_token` and `registration_client_uri`. Errors: " +
                "invalid_redirect_uri, invalid_client_metadata (naming the member), invalid_software_statement; 429 beyond the per-address rate limit.")
            .Produces<ClientRegistrationResponse>(StatusCodes.Status201Created, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status400BadRequest, "application/json")
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces<OAuthErrorBody>(StatusCodes.Status403Forbidden, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status429TooManyRequests, "application/json")
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery();

        var configuration = ProtocolEndpoints.Registration + "/{client_id}";
        endpoints.MapGet(configuration, ReadAsync)
            .WithName("ReadRegisteredClient").WithTags("Protocol")
            .WithSummary("Read a dynamic client's registration (RFC 7592 §2.1)")
            .WithDescription("Authorization: Bearer <registration_access_token>. 401 invalid_token for any other token.")
            .Produces<ClientRegistrationResponse>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status401Unauthorized);
        endpoints.MapPut(configuration, UpdateAsync)
            .WithName("UpdateRegisteredClient").WithTags("Protocol")
            .WithSummary("Replace a dynamic client's registration (RFC 7592 §2.2)")
            .WithDescription("The full metadata with `client_id` (omitted members take their defaults). The answer carries a new `registration_access_token`; the old one stops working.")
            .Produces<ClientRegistrationResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<OAuthErrorBody>(StatusCodes.Status400BadRequest, "application/json")
            .Produces(StatusCodes.Status401Unauthorized)
            .RequireRateLimiting(RateLimitPolicy)
            .DisableAntiforgery();
        endpoints.MapDelete(configuration, DeleteAsync)
            .WithName("DeleteRegisteredClient").WithTags("Protocol")
            .WithSummary("Deregister a dynamic client (RFC 7592 §2.3)")
            .WithDescription("204; the client's tokens and consents go with it.")
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status401Unauthorized);
        return endpoints;
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(http.Request, cancellationToken);
        if (body is null)
        {
            return Fail(http, OAuthError.RegistrationBodyInvalid);
        }

        var result = await mediator.Send(new RegisterDynamicClient(body.Value, BearerToken(http.Request)), cancellationToken);
        return result.IsSuccess ? OAuthResults.ClientInformation(result.Value, StatusCodes.Status201Created) : Fail(http, result.Error);
    }

    private static async Task<IResult> ReadAsync(HttpContext http, IMediator mediator, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "client_id")] string clientId, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new ReadRegisteredClient(clientId, BearerToken(http.Request)), cancellationToken);
        return result.IsSuccess ? OAuthResults.ClientInformation(result.Value, StatusCodes.Status200OK) : Fail(http, result.Error);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, IMediator mediator, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "client_id")] string clientId, CancellationToken cancellationToken)
    {
        // RFC 7592 §2.1: the token is checked first, so a caller without it learns nothing from the body's errors.
        var token = BearerToken(http.Request);
        var body = await ReadBodyAsync(http.Request, cancellationToken);
        var result = await mediator.Send(new UpdateRegisteredClient(clientId, token, body ?? default), cancellationToken);
        return result.IsSuccess ? OAuthResults.ClientInformation(result.Value, StatusCodes.Status200OK) : Fail(http, result.Error);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, IMediator mediator, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "client_id")] string clientId, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new DeleteRegisteredClient(clientId, BearerToken(http.Request)), cancellationToken);
        if (!result.IsSuccess)
        {
            return Fail(http, result.Error);
        }

        http.Response.Headers.CacheControl = "no-store";
        return Results.NoContent();
    }

    /// <summary>RFC 7592 §2 / RFC 6750 §3: a bad token is a 401 challenge; a closed endpoint 403; the rest RFC 7591 §3.2.2 400s.</summary>
    private static IResult Fail(HttpContext http, OAuthError error) => error.Code switch
    {
        OAuthErrorCodes.InvalidToken => OAuthResults.BearerError(http, error, tokenSent: BearerToken(http.Request) is not null),
        OAuthErrorCodes.AccessDenied => OAuthResults.Error(error, StatusCodes.Status403Forbidden),
        _ => OAuthResults.Error(error, usedBasicAuthentication: false),
    };

    /// <summary>The token of a single <c>Authorization: Bearer</c> header (RFC 6750 §2.1), or null.</summary>
    private static string? BearerToken(HttpRequest request) =>
        request.Headers.Authorization is { Count: 1 } header && header[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && value["Bearer ".Length..].Trim() is { Length: > 0 } token
            ? token
            : null;

    /// <summary>
    /// RFC 7591 §3.1: an application/json object of at most 64 KiB, without repeated member names (two <c>redirect_uris</c>
    /// must not mean the last one); null when it is not one.
    /// </summary>
    private static async Task<JsonElement?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || request.ContentLength > RegistrationRequest.MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > RegistrationRequest.MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
