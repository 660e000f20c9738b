using System.Text.Json.Nodes;
using AuthService.Application.Common.Paging;
using AuthService.Application.Federation.Commands.CreateExternalProvider;
using AuthService.Application.Federation.Commands.DeleteExternalProvider;
using AuthService.Application.Federation.Commands.UpdateExternalProvider;
using AuthService.Application.Federation.Common;
using AuthService.Application.Federation.Queries.GetExternalProvider;
using AuthService.Application.Federation.Queries.ListExternalProviders;
using AuthService.WebApi.Admin;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>
/// <c>/admin/external-providers</c>: the upstream identity providers people sign in with (docs/adr/0037 "Administration").
/// A provider is addressed by its name. Its secret (<c>client_secret</c>, or Apple's <c>apple_private_key</c>) is
/// write-only: stored encrypted, answered only as <c>client_secret_set</c>.
/// </summary>
public static class ExternalProviderEndpoints
{
    private const string Path = "/external-providers";

    private static readonly JsonNode CreateExample = JsonNode.Parse("""
        {
          "name": "google",
          "display_name": "Google",
          "preset": "google",
          "client_id": "1234567890-abc.apps.googleusercontent.com",
          "client_secret": "GOCSPX-example-secret",
          "trust_email_verified": true,
          "auto_provision": true,
          "allowed_email_domains": ["example.com"]
        }
        """)!;

    private static readonly JsonNode ProviderExample = JsonNode.Parse("""
        {
          "name": "google", "display_name": "Google", "preset": "google", "protocol": "openid_connect",
          "client_id": "1234567890-abc.apps.googleusercontent.com", "client_secret_set": true,
          "issuer": "https://accounts.google.com", "authorization_endpoint": null, "token_endpoint": null, "userinfo_endpoint": null,
          "scopes": ["openid", "email", "profile"], "claims": { "sub": "sub", "email": "email", "email_verified": "email_verified", "name": "name" },
          "trust_email_verified": true, "auto_provision": true, "allowed_email_domains": ["example.com"],
          "apple_team_id": null, "apple_key_id": null, "enabled": true, "response_mode": "query",
          "created_at": "2026-12-07T10:15:03.512Z", "updated_at": "2026-12-07T10:15:03.512Z"
        }
        """)!;

    private const string SettingsDescription =
        "`name` (lower-case letters, digits and hyphens, at most 32, starting with a letter; fixed once created: it is the callback path `/account/external/{name}/callback` and the `idp_hint` value), `display_name` (the sign-in button's label) and `client_id` are required, "
        + "with a `preset` (google, microsoft, apple, github) or a `protocol`: `openid_connect` with `issuer` (read through discovery), or `oauth2` with `authorization_endpoint`, `token_endpoint` and `userinfo_endpoint`. URLs are https (http only on a loopback host). "
        + "`client_secret` (or for Apple `apple_private_key`, the PKCS#8 PEM, with `apple_team_id` and `apple_key_id`) is stored encrypted and never returned. "
        + "`scopes` default to the preset's (OpenID Connect always gets `openid`); `claims` renames the upstream claims read for `sub`, `email`, `email_verified`, `name`; "
        + "`trust_email_verified` (default false: no address from this provider counts as verified), `auto_provision` (default false), `allowed_email_domains` (empty: any), `enabled` (default true), "
        + "`response_mode` (`query` or `form_post`: how the upstream returns the code; default the preset's, form_post for Apple, else query). "
        + "A refused member is a 400 naming it.";

    public static RouteGroupBuilder MapExternalProviderEndpoints(this RouteGroupBuilder admin)
    {
        var providers = admin.MapGroup(Path).WithTags("External providers");

        providers.MapPost("/", CreateExternalProviderAsync)
            .WithName("CreateExternalProvider")
            .WithSummary("Add an upstream identity provider")
            .WithDescription(SettingsDescription + " 409 when the name is taken. Audited as `external_provider.created`.")
            .Accepts<ExternalProviderMetadata>("application/json")
            .Produces<ExternalProviderResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(CreateExample)
            .WithResponseExample(ProviderExample, StatusCodes.Status201Created);

        providers.MapGet("/", ListExternalProvidersAsync)
            .WithName("ListExternalProviders")
            .WithSummary("List upstream identity providers")
            .WithDescription("Ordered by name, disabled ones included. Page with `limit` (1-200, default 50) and the `next_cursor` of the previous page.")
            .Produces<Page<ExternalProviderResponse>>()
            .ProducesValidationProblem()
            .WithResponseExample(new JsonObject { ["items"] = new JsonArray(ProviderExample.DeepClone()), ["next_cursor"] = null });

        providers.MapGet("/{name}", GetExternalProviderAsync)
            .WithName("GetExternalProvider")
            .WithSummary("Read an upstream identity provider")
            .WithDescription("With an `ETag` for conditional writes. The secret is never returned: `client_secret_set` tells whether one is stored.")
            .Produces<ExternalProviderResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(ProviderExample);

        providers.MapPut("/{name}", UpdateExternalProviderAsync)
            .WithName("UpdateExternalProvider")
            .WithSummary("Replace an upstream identity provider's settings")
            .WithDescription("Replaces every setting (absent members take the preset's or the defaults) except the secret: an absent `client_secret` keeps the stored one. `name` may be repeated but not changed. `enabled: false` disables it: its button goes and its sign-ins are refused, its links stay. `If-Match` with the ETag of a read makes it conditional (412 when stale). Audited as `external_provider.updated` when something changed. "
                + SettingsDescription)
            .Accepts<ExternalProviderMetadata>("application/json")
            .Produces<ExternalProviderResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithRequestExample(CreateExample)
            .WithResponseExample(ProviderExample);

        providers.MapDelete("/{name}", DeleteExternalProviderAsync)
            .WithName("DeleteExternalProvider")
            .WithSummary("Delete an upstream identity provider")
            .WithDescription("Only a provider no account is linked through: otherwise 409 (deleting it would cut those people off; disable it instead). Honours `If-Match`. Audited as `external_provider.deleted`.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        return admin;
    }

    public static async Task<Created<ExternalProviderResponse>> CreateExternalProviderAsync(
        HttpContext http, IMediator mediator, [FromBody] ExternalProviderMetadata? body, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new CreateExternalProvider(body), cancellationToken);
        return AdminHttp.Created(http, Location(result.Provider.Name), result.Provider, result.Version);
    }

    public static async Task<Ok<Page<ExternalProviderResponse>>> ListExternalProvidersAsync(
        IMediator mediator, [FromQuery(Name = "cursor")] string? cursor, [FromQuery(Name = "limit")] int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListExternalProviders(cursor, limit), cancellationToken));

    public static async Task<Ok<ExternalProviderResponse>> GetExternalProviderAsync(
        HttpContext http, IMediator mediator, [FromRoute(Name = "name")] string name, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new GetExternalProvider(name), cancellationToken);
        return AdminHttp.Ok(http, result.Provider, result.Version);
    }

    public static async Task<Ok<ExternalProviderResponse>> UpdateExternalProviderAsync(
        HttpContext http, IMediator mediator, [FromRoute(Name = "name")] string name, [FromBody] ExternalProviderMetadata? body, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new UpdateExternalProvider(name, body, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return AdminHttp.Ok(http, result.Provider, result.Version);
    }

    public static async Task<NoContent> DeleteExternalProviderAsync(
        HttpContext http, IMediator mediator, [FromRoute(Name = "name")] string name, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteExternalProvider(name, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return TypedResults.NoContent();
    }

    private static string Location(string name) => $"{AdminApi.Prefix}{Path}/{Uri.EscapeDataString(name)}";
}
