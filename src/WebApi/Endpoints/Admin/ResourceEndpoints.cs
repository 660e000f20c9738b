using System.Text.Json.Nodes;
using AuthService.Application.Common.Paging;
using AuthService.Application.Resources.Commands.DeleteResource;
using AuthService.Application.Resources.Commands.DisableResource;
using AuthService.Application.Resources.Commands.EnableResource;
using AuthService.Application.Resources.Commands.RegisterResource;
using AuthService.Application.Resources.Commands.UpdateResource;
using AuthService.Application.Resources.Common;
using AuthService.Application.Resources.Queries.GetResource;
using AuthService.Application.Resources.Queries.ListResources;
using AuthService.WebApi.Admin;
using MediatR;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>
/// <c>/admin/resources</c>: register, read, list, update, enable/disable and delete the protected resources (RFC 8707)
/// clients name with <c>resource</c>. A resource is addressed by its identifier as one percent-encoded path segment
/// (<c>encodeURIComponent</c>), e.g. <c>/admin/resources/https%3A%2F%2Fapi.example.com%2Forders</c>.
/// </summary>
public static class ResourceEndpoints
{
    private const string Path = "/resources";

    private static readonly JsonNode RegisterExample = JsonNode.Parse("""
        {
          "resource": "https://api.example.com/orders",
          "name": "Orders API",
          "scopes": ["orders.read", "orders.write"],
          "access_token_lifetime": 600,
          "access_token_signing_alg": "ES256",
          "introspection_clients": ["https://api.example.com/orders"],
          "allowed_clients": []
        }
        """)!;

    private static readonly JsonNode ResourceExample = WithState(RegisterExample);

    private static readonly JsonNode PageExample = new JsonObject { ["items"] = new JsonArray(ResourceExample.DeepClone()), ["next_cursor"] = null };

    public static RouteGroupBuilder MapResourceEndpoints(this RouteGroupBuilder admin)
    {
        var resources = admin.MapGroup(Path).WithTags("Resources");

        resources.MapPost("/", RegisterResourceAsync)
            .WithName("RegisterResource")
            .WithSummary("Register a protected resource")
            .WithDescription("`resource` (an absolute https URI, or http on a loopback host, without a fragment: RFC 8707 §2) and `scopes` are required. `name` defaults to the identifier; `access_token_lifetime` (30-3600 seconds) to the client's; `access_token_signing_alg` (ES256, RS256, EdDSA) to the server's; `introspection_clients` (client ids that may introspect its tokens) and `allowed_clients` (the only clients that may ask for it; empty: any client allowed one of its scopes) to empty. 409 when the identifier exists.")
            .Produces<ResourceResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(RegisterExample)
            .WithResponseExample(ResourceExample, StatusCodes.Status201Created);

        resources.MapGet("/", ListResourcesAsync)
            .WithName("ListResources")
            .WithSummary("List protected resources")
            .WithDescription("Ordered by identifier. Page with `limit` (1-200, default 50) and the `next_cursor` of the previous page.")
            .Produces<Page<ResourceResponse>>()
            .ProducesValidationProblem()
            .WithResponseExample(PageExample);

        resources.MapGet("/{resource}", GetResourceAsync)
            .WithName("GetResource")
            .WithSummary("Read a protected resource")
            .WithDescription("The identifier is one percent-encoded path segment. With an `ETag` for conditional writes.")
            .Produces<ResourceResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(ResourceExample);

        resources.MapPut("/{resource}", UpdateResourceAsync)
            .WithName("UpdateResource")
            .WithSummary("Replace a protected resource's settings")
            .WithDescription("Replaces every setting (absent members take their defaults); `resource` may be repeated but not changed. `If-Match` with the ETag of a read makes it conditional (412 when stale).")
            .Produces<ResourceResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithRequestExample(RegisterExample)
            .WithResponseExample(ResourceExample);

        resources.MapPost("/{resource}/disable", DisableResourceAsync)
            .WithName("DisableResource")
            .WithSummary("Disable a protected resource")
            .WithDescription("No new token names it (`invalid_target`); tokens already issued stay valid until they expire. 400 (`enabled`) when already disabled. Honours `If-Match`.")
            .Produces<ResourceResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithResponseExample(ResourceExample);

        resources.MapPost("/{resource}/enable", EnableResourceAsync)
            .WithName("EnableResource")
            .WithSummary("Enable a protected resource")
            .WithDescription("400 (`enabled`) when already enabled. Honours `If-Match`.")
            .Produces<ResourceResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithResponseExample(ResourceExample);

        resources.MapDelete("/{resource}", DeleteResourceAsync)
            .WithName("DeleteResource")
            .WithSummary("Delete a protected resource")
            .WithDescription("No new token names it; grants that named it can no longer obtain tokens for it. Honours `If-Match`.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return admin;
    }

    public static async Task<Created<ResourceResponse>> RegisterResourceAsync(
        HttpContext http, IMediator mediator, [FromBody] ResourceMetadata body, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new RegisterResource(body), cancellationToken);
        return AdminHttp.Created(http, Location(result.Resource.Resource), result.Resource, result.Version);
    }

    public static async Task<Ok<Page<ResourceResponse>>> ListResourcesAsync(
        IMediator mediator, [FromQuery(Name = "cursor")] string? cursor, [FromQuery(Name = "limit")] int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListResources(cursor, limit), cancellationToken));

    public static async Task<Ok<ResourceResponse>> GetResourceAsync(
        HttpContext http, IMediator mediator, [FromRoute(Name = "resource")] string resource, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new GetResource(IdentifierOf(http, resource)), cancellationToken);
        return AdminHttp.Ok(http, result.Resource, result.Version);
    }

    public static async Task<Ok<ResourceResponse>> UpdateResourceAsync(
        HttpContext http, IMediator mediator, [FromRoute(Name = "resource")] string resource, [FromBody] ResourceMetadata body, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new UpdateResource(IdentifierOf(http, resource), body, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return AdminHttp.Ok(http, result.Resource, result.Version);
    }

    public static async Task<Ok<ResourceResponse>> DisableResourceAsync(
        HttpContext http, IMediator mediator, [FromRoute(Name = "resource")] string resource, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new DisableResource(IdentifierOf(http, resource), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return AdminHttp.Ok(http, result.Resource, result.Version);
    }

    public static async Task<Ok<ResourceResponse>> EnableResourceAsync(
        HttpContext http, IMediator mediator, [FromRoute(Name = "resource")] string resource, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new EnableResource(IdentifierOf(http, resource), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return AdminHttp.Ok(http, result.Resource, result.Version);
    }

    public static async Task<NoContent> DeleteResourceAsync(
        HttpContext http, IMediator mediator, [FromRoute(Name = "resource")] string resource, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteResource(IdentifierOf(http, resource), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The identifier in the path, decoded exactly once. The server's decoded path keeps <c>%2F</c> encoded but decodes
    /// everything else, so the route value cannot be decoded again without corrupting an identifier that holds a
    /// percent-encoding of its own; the segment is taken from the raw request target instead. A host that gives no raw
    /// target (the in-memory test server) gets the route value with its <c>%2F</c> decoded, the one step left undone.
    /// </summary>
    private static string IdentifierOf(HttpContext http, string routeValue)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var prefix = AdminApi.Prefix + Path + "/";
        var path = raw.Split('?', 2)[0];
        var start = path.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }

        return Uri.UnescapeDataString(path[(start + prefix.Length)..].Split('/', 2)[0]);
    }

    private static JsonNode WithState(JsonNode settings)
    {
        var resource = settings.DeepClone().AsObject();
        resource["enabled"] = true;
        resource["created_at"] = "2026-11-22T10:15:03.512Z";
        resource["updated_at"] = "2026-11-22T10:15:03.512Z";
        return resource;
    }

    private static string Location(string resource) => $"{AdminApi.Prefix}{Path}/{Uri.EscapeDataString(resource)}";
}
