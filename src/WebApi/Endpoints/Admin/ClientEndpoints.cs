using System.Text.Json.Nodes;
using AuthService.Application.Clients.Commands.DeleteClient;
using AuthService.Application.Clients.Commands.DisableClient;
using AuthService.Application.Clients.Commands.EnableClient;
using AuthService.Application.Clients.Commands.RegisterClient;
using AuthService.Application.Clients.Commands.RevokeClientSecret;
using AuthService.Application.Clients.Commands.RotateClientSecret;
using AuthService.Application.Clients.Commands.UpdateClient;
using AuthService.Application.Clients.Common;
using AuthService.Application.Clients.Queries.GetClient;
using AuthService.Application.Clients.Queries.ListClients;
using AuthService.Application.Clients.Queries.ListClientSecrets;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Paging;
using AuthService.WebApi.Admin;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>
/// <c>/admin/clients</c>: register, read, list, update, enable/disable and delete OAuth clients, and rotate or
/// revoke their secrets. A generated secret appears once, in the 201 of the registration or rotation;
/// reads show secrets' metadata only.
/// </summary>
public static class ClientEndpoints
{
    private static readonly JsonNode RegisterExample = JsonNode.Parse("""
        {
          "client_id": "billing-api",
          "client_name": "Billing API",
          "token_endpoint_auth_method": "client_secret_basic",
          "grant_types": ["client_credentials"],
          "scope": "invoices.read invoices.write",
          "access_token_lifetime": 900,
          "audience": "https://billing.example.com"
        }
        """)!;

    private static readonly JsonNode ClientExample = JsonNode.Parse("""
        {
          "client_id": "demo-web",
          "client_name": "Demo web app",
          "type": "confidential",
          "token_endpoint_auth_method": "client_secret_basic",
          "redirect_uris": ["https://app.example.com/callback"],
          "post_logout_redirect_uris": ["https://app.example.com/"],
          "grant_types": ["authorization_code", "refresh_token"],
          "scope": "openid profile email offline_access api.read",
          "access_token_lifetime": 3600,
          "audience": null,
          "require_consent": true,
          "id_token_signed_response_alg": "RS256",
          "enabled": true,
          "created_at": "2026-11-20T08:00:00Z",
          "updated_at": "2026-11-22T10:15:03.512Z",
          "secrets": [
            { "id": "7d1f8a42-03c5-4a8e-b1f7-5e2c9d0a6b13", "created_at": "2026-11-20T08:00:00Z", "expires_at": "2026-11-29T10:15:03.512Z", "active": true },
            { "id": "0b6f6c1e-5b0e-4b7a-9d8e-2f4f1e9c2a10", "created_at": "2026-11-22T10:15:03.512Z", "expires_at": null, "active": true }
          ]
        }
        """)!;

    private static readonly JsonNode RegisteredExample = JsonNode.Parse("""
        {
          "client_id": "billing-api",
          "client_name": "Billing API",
          "type": "confidential",
          "token_endpoint_auth_method": "client_secret_basic",
          "redirect_uris": [],
          "post_logout_redirect_uris": [],
          "grant_types": ["client_credentials"],
          "scope": "invoices.read invoices.write",
          "access_token_lifetime": 900,
          "audience": "https://billing.example.com",
          "require_consent": true,
          "id_token_signed_response_alg": "RS256",
          "enabled": true,
          "created_at": "2026-11-22T10:15:03.512Z",
          "updated_at": "2026-11-22T10:15:03.512Z",
          "secrets": [ { "id": "3c0e2b7a-91d4-4f6e-8a25-7b9c1d0e4f58", "created_at": "2026-11-22T10:15:03.512Z", "expires_at": null, "active": true } ],
          "client_secret": "p3Qz8vW1xK0aR7mN4tYbC6dE9fG2hJ5kL8sU1wX3yZ0",
          "client_secret_expires_at": 0
        }
        """)!;

    private static readonly JsonNode UpdateExample = JsonNode.Parse("""
        {
          "client_name": "Demo web app",
          "token_endpoint_auth_method": "client_secret_basic",
          "redirect_uris": ["https://app.example.com/callback", "https://app.example.com/callback2"],
          "post_logout_redirect_uris": ["https://app.example.com/"],
          "grant_types": ["authorization_code", "refresh_token"],
          "scope": "openid profile email offline_access api.read",
          "access_token_lifetime": 1800,
          "require_consent": true,
          "id_token_signed_response_alg": "ES256"
        }
        """)!;

    private static readonly JsonNode PageExample = new JsonObject { ["items"] = new JsonArray(ClientExample.DeepClone()), ["next_cursor"] = "ZGVtby13ZWI.Qk9nX3lHcFZ6dDhS" };

    private static readonly JsonNode RotateExample = JsonNode.Parse("""{ "previous_secrets_expire_in": 604800 }""")!;

    private static readonly JsonNode RotatedExample = JsonNode.Parse("""
        {
          "id": "0b6f6c1e-5b0e-4b7a-9d8e-2f4f1e9c2a10",
          "created_at": "2026-11-22T10:15:03.512Z",
          "expires_at": null,
          "active": true,
          "client_secret": "Xr4mT9wq2LzB7nC1vK8sD3fH6jP0aE5gY2uN4iO7bQ1",
          "previous_secrets_expire_at": "2026-11-29T10:15:03.512Z"
        }
        """)!;

    private static readonly JsonNode SecretsExample = new JsonObject { ["items"] = ClientExample["secrets"]!.DeepClone(), ["next_cursor"] = null };

    public static RouteGroupBuilder MapClientEndpoints(this RouteGroupBuilder admin)
    {
        var clients = admin.MapGroup("/clients").WithTags("Clients");

        clients.MapPost("/", RegisterClientAsync)
            .WithName("RegisterClient")
            .WithSummary("Register a client")
            .WithDescription("RFC 7591 metadata; `scope` is space-separated and `access_token_lifetime` in seconds (30-3600). Absent members take RFC 7591 defaults (`client_secret_basic`, `authorization_code`). Without `client_id` the server generates one (256 random bits). A confidential client (any `token_endpoint_auth_method` but `none`) gets a generated secret, returned once as `client_secret` and stored only as a hash. `token_rate_limit` (token requests per second on each replica, 1-1000000) replaces the server's default `Auth:RateLimits:Token:PermitsPerSecond` for this client; a client can never set it through dynamic registration. Unknown members are refused. 409 when the client_id exists.")
            .Produces<RegisteredClientResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(RegisterExample)
            .WithResponseExample(RegisteredExample, StatusCodes.Status201Created);

        clients.MapGet("/", ListClientsAsync)
            .WithName("ListClients")
            .WithSummary("List clients")
            .WithDescription("Ordered by client_id. Filters combine with AND: `client_id` (prefix), `search` (case-insensitive text in the client_id or name), `enabled` (true|false), `grant_type`, `registration_source` (static|dynamic: dynamic ones registered themselves at /connect/register). Page with `limit` (1-200, default 50) and the `next_cursor` of the previous page.")
            .Produces<Page<ClientResponse>>()
            .ProducesValidationProblem()
            .WithResponseExample(PageExample);

        clients.MapGet("/{client_id}", GetClientAsync)
            .WithName("GetClient")
            .WithSummary("Read a client")
            .WithDescription("All settings, state and the metadata of its secrets (never a secret or its hash), with an `ETag` for conditional writes.")
            .Produces<ClientResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(ClientExample);

        clients.MapPut("/{client_id}", UpdateClientAsync)
            .WithName("UpdateClient")
            .WithSummary("Replace a client's settings")
            .WithDescription("Replaces every setting (absent members take their registration defaults); `client_id` may be repeated but not changed. Secrets are untouched, so `token_endpoint_auth_method` cannot switch between `none` and a secret method (400). An absent `token_rate_limit` returns the client to the server's default. An admin client cannot remove its own `admin` scope (403). `If-Match` with the ETag of a read makes it conditional (412 when stale).")
            .Produces<ClientResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithRequestExample(UpdateExample)
            .WithResponseExample(ClientExample);

        clients.MapPost("/{client_id}/disable", DisableClientAsync)
            .WithName("DisableClient")
            .WithSummary("Disable a client")
            .WithDescription("The token endpoint refuses the client (`invalid_client`) until it is enabled. 400 (`enabled`) when already disabled; 403 for the acting admin client itself. Honours `If-Match`.")
            .Produces<ClientResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithResponseExample(ClientExample);

        clients.MapPost("/{client_id}/enable", EnableClientAsync)
            .WithName("EnableClient")
            .WithSummary("Enable a client")
            .WithDescription("400 (`enabled`) when already enabled. Honours `If-Match`.")
            .Produces<ClientResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithResponseExample(ClientExample);

        clients.MapDelete("/{client_id}", DeleteClientAsync)
            .WithName("DeleteClient")
            .WithSummary("Delete a client")
            .WithDescription("Revokes its refresh tokens (and the access tokens issued from them), deletes its codes, refresh tokens and consents, then the client, so a client registered later with the same id inherits nothing. 403 for the acting admin client itself. Honours `If-Match`.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        clients.MapGet("/{client_id}/secrets", ListClientSecretsAsync)
            .WithName("ListClientSecrets")
            .WithSummary("List a client's secrets")
            .WithDescription("Metadata only (id, created_at, expires_at, active), oldest first, in one page.")
            .Produces<Page<ClientSecretResponse>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(SecretsExample);

        clients.MapPost("/{client_id}/secrets", RotateClientSecretAsync)
            .WithName("RotateClientSecret")
            .WithSummary("Rotate a client's secret")
            .WithDescription("Generates a new secret, returned once as `client_secret`. The client's other secrets keep authenticating for `previous_secrets_expire_in` seconds (0: they stop now; default 604800 = 7 days; at most 30 days). At most 5 secrets are valid at once. 400 (`client_secret`) for a public client. Honours `If-Match`.")
            .Produces<RotatedSecretResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithRequestExample(RotateExample)
            .WithResponseExample(RotatedExample, StatusCodes.Status201Created);

        clients.MapDelete("/{client_id}/secrets/{secret_id}", RevokeClientSecretAsync)
            .WithName("RevokeClientSecret")
            .WithSummary("Revoke one secret")
            .WithDescription("The secret stops authenticating at once. The last active secret of a confidential client cannot be revoked (400, `secret_id`): rotate it, or disable the client. Honours `If-Match`.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return admin;
    }

    public static async Task<Created<RegisteredClientResponse>> RegisterClientAsync(
        HttpContext http,
        IMediator mediator,
        [FromBody] ClientMetadata body,
        CancellationToken cancellationToken)
    {
        var registered = await mediator.Send(new RegisterClient(body), cancellationToken);
        return AdminHttp.Created(http, Location(registered.Client.ClientId), registered.Client, registered.Version);
    }

    public static async Task<Ok<Page<ClientResponse>>> ListClientsAsync(
        IMediator mediator,
        [FromQuery(Name = "client_id")] string? clientIdPrefix,
        [FromQuery(Name = "search")] string? search,
        [FromQuery(Name = "enabled")] bool? enabled,
        [FromQuery(Name = "grant_type")] string? grantType,
        [FromQuery(Name = "cursor")] string? cursor,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "registration_source")] string? registrationSource,
        CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await mediator.Send(new ListClients(clientIdPrefix, search, enabled, grantType, cursor, limit, registrationSource), cancellationToken));
    }

    public static async Task<Ok<ClientResponse>> GetClientAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "client_id")] string clientId,
        CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new GetClient(clientId), cancellationToken);
        return AdminHttp.Ok(http, result.Client, result.Version);
    }

    public static async Task<Ok<ClientResponse>> UpdateClientAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "client_id")] string clientId,
        [FromBody] ClientMetadata body,
        CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new UpdateClient(clientId, body, AdminHttp.ExpectedVersion(http.Request), ActorOf(http)), cancellationToken);
        return AdminHttp.Ok(http, result.Client, result.Version);
    }

    public static async Task<Ok<ClientResponse>> DisableClientAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "client_id")] string clientId,
        CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new DisableClient(clientId, AdminHttp.ExpectedVersion(http.Request), ActorOf(http)), cancellationToken);
        return AdminHttp.Ok(http, result.Client, result.Version);
    }

    public static async Task<Ok<ClientResponse>> EnableClientAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "client_id")] string clientId,
        CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new EnableClient(clientId, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return AdminHttp.Ok(http, result.Client, result.Version);
    }

    public static async Task<NoContent> DeleteClientAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "client_id")] string clientId,
        CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteClient(clientId, AdminHttp.ExpectedVersion(http.Request), ActorOf(http)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<Page<ClientSecretResponse>>> ListClientSecretsAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "client_id")] string clientId,
        CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new ListClientSecrets(clientId), cancellationToken);
        return AdminHttp.Ok(http, result.Secrets, result.Version);
    }

    public static async Task<Created<RotatedSecretResponse>> RotateClientSecretAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "client_id")] string clientId,
        [FromBody] ClientSecretRotation? body,
        CancellationToken cancellationToken)
    {
        var rotated = await mediator.Send(new RotateClientSecret(clientId, body?.PreviousSecretsExpireIn, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return AdminHttp.Created(http, Location(clientId) + "/secrets", rotated.Secret, rotated.Version);
    }

    public static async Task<NoContent> RevokeClientSecretAsync(
        HttpContext http,
        IMediator mediator,
        [FromRoute(Name = "client_id")] string clientId,
        [FromRoute(Name = "secret_id")] string secretId,
        CancellationToken cancellationToken)
    {
        var id = Guid.TryParse(secretId, out var parsed) ? parsed : throw new NotFoundException("Client secret", secretId);
        await mediator.Send(new RevokeClientSecret(clientId, id, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return TypedResults.NoContent();
    }

    private static string Location(string clientId) => $"{AdminApi.Prefix}/clients/{Uri.EscapeDataString(clientId)}";

    private static string ActorOf(HttpContext http) => http.User.FindFirst(AdminAuthenticationHandler.ClientIdClaim)!.Value;
}
