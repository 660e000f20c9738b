using System.Text.Json.Nodes;
using AuthService.Application.Common.Paging;
using AuthService.Application.SigningKeys;
using AuthService.Application.SigningKeys.Commands.RevokeSigningKey;
using AuthService.Application.SigningKeys.Commands.RotateSigningKeyNow;
using AuthService.Application.SigningKeys.Queries.GetSigningKey;
using AuthService.Application.SigningKeys.Queries.ListSigningKeys;
using AuthService.WebApi.Admin;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary><c>/admin/signing-keys</c>: the token-signing keys with their lifecycle, rotation now, and emergency revocation.</summary>
public static class SigningKeyEndpoints
{
    private const string KeyJson = """
        {
          "kid": "pL0ZgqV7qg6yZk2Hn1Qm3J2x7r9Yc5u0s4TfWdB1eAo", "alg": "ES256", "state": "active",
          "created_at": "2026-11-22T10:15:03.512Z", "activates_at": "2026-11-22T10:15:03.512Z", "activated_at": "2026-11-22T10:15:03.512Z",
          "retired_at": null, "removable_at": null, "removed_at": null, "revoked_at": null,
          "jwk": {
            "kty": "EC", "use": "sig", "alg": "ES256", "kid": "pL0ZgqV7qg6yZk2Hn1Qm3J2x7r9Yc5u0s4TfWdB1eAo", "crv": "P-256",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
          }
        }
        """;

    private static readonly JsonNode KeyExample = JsonNode.Parse(KeyJson)!;

    private static readonly JsonNode RevokedKeyExample = Revoked(JsonNode.Parse(KeyJson)!);

    private static readonly JsonNode PageExample = new JsonObject { ["items"] = new JsonArray(JsonNode.Parse(KeyJson)), ["next_cursor"] = null };

    private static readonly JsonNode RotateExample = JsonNode.Parse("""{ "algorithm": "ES256" }""")!;

    public static RouteGroupBuilder MapSigningKeyEndpoints(this RouteGroupBuilder admin)
    {
        var keys = admin.MapGroup("/signing-keys").WithTags("Signing keys");

        keys.MapGet("/", ListSigningKeysAsync)
            .WithName("ListSigningKeys")
            .WithSummary("List the signing keys")
            .WithDescription("Every key the server has generated, newest first, with its state (`pending`: published, not yet signing; `active`: signs, one per algorithm; `retired`: published so tokens it signed still verify, until `removable_at`; `removed`; `revoked`) and lifecycle dates, and its public JWK. Never private material. Filter with `state`. Not paged (two keys per rotation period); the page envelope's `next_cursor` is always null.")
            .Produces<Page<SigningKeyResponse>>()
            .ProducesValidationProblem()
            .WithResponseExample(PageExample);

        keys.MapGet("/{kid}", GetSigningKeyAsync)
            .WithName("GetSigningKey")
            .WithSummary("Read a signing key")
            .WithDescription("One key by its `kid` (the RFC 7638 thumbprint of its public key), with an `ETag` that `If-Match` may name when revoking it.")
            .Produces<SigningKeyResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(KeyExample);

        keys.MapPost("/rotate", RotateSigningKeyNowAsync)
            .WithName("RotateSigningKeyNow")
            .WithSummary("Rotate the signing key of an algorithm now")
            .WithDescription("For an emergency or an early scheduled rotation: a new key of `algorithm` (`ES256` or `RS256`) signs at once and the current signer becomes `retired`, still published until every token it signed has expired (as in a scheduled rotation). Unlike the schedule, the new key is not published ahead of time: a resource server that cached the JWKS meets an unknown `kid` and must refetch the JWKS (standard library behaviour). This replica signs with the new key at once; other replicas within `Auth:KeyRingRefreshSeconds`. A pending successor, if any, keeps its schedule. 409 when a concurrent rotation or revocation of the same algorithm won. Returns the new key.")
            .Accepts<RotateSigningKeyNow>("application/json")
            .Produces<SigningKeyResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(RotateExample)
            .WithResponseExample(KeyExample, StatusCodes.Status201Created);

        keys.MapPost("/{kid}/revoke", RevokeSigningKeyAsync)
            .WithName("RevokeSigningKey")
            .WithSummary("Revoke a compromised signing key")
            .WithDescription("Emergency revocation of a pending, active or retired key: it leaves `/.well-known/jwks.json` at once on the replica that serves this request, and on the others within `Auth:KeyRingRefreshSeconds`; every token it signed stops validating at introspection (`{\"active\":false}`), at userinfo (401) and at this API. If it was the active signer of its algorithm, a replacement signs at once (a pending key that has been published long enough, else a new key), so tokens keep being issued. Resource servers that verify offline stop accepting its tokens when their JWKS cache expires. 400 when the key is already revoked or removed; 412 when `If-Match` names another version; 409 on a concurrent change. Returns the revoked key.")
            .Produces<SigningKeyResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithResponseExample(RevokedKeyExample);

        return admin;
    }

    public static async Task<Ok<Page<SigningKeyResponse>>> ListSigningKeysAsync(
        IMediator mediator,
        [FromQuery(Name = "state")] string? state,
        CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await mediator.Send(new ListSigningKeys(state), cancellationToken));
    }

    public static async Task<Ok<SigningKeyResponse>> GetSigningKeyAsync(
        HttpContext http,
        IMediator mediator,
        string kid,
        CancellationToken cancellationToken)
    {
        var key = await mediator.Send(new GetSigningKey(kid), cancellationToken);
        return AdminHttp.Ok(http, key, key.Version);
    }

    public static async Task<Created<SigningKeyResponse>> RotateSigningKeyNowAsync(
        HttpContext http,
        IMediator mediator,
        RotateSigningKeyNow? body,
        CancellationToken cancellationToken)
    {
        var key = await mediator.Send(body ?? new RotateSigningKeyNow(null), cancellationToken);
        return AdminHttp.Created(http, $"{AdminApi.Prefix}/signing-keys/{Uri.EscapeDataString(key.Kid)}", key, key.Version);
    }

    public static async Task<Ok<SigningKeyResponse>> RevokeSigningKeyAsync(
        HttpContext http,
        IMediator mediator,
        string kid,
        CancellationToken cancellationToken)
    {
        var key = await mediator.Send(new RevokeSigningKey(kid, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return AdminHttp.Ok(http, key, key.Version);
    }

    private static JsonNode Revoked(JsonNode key)
    {
        key["state"] = "revoked";
        key["revoked_at"] = "2026-11-23T08:02:11.907Z";
        return key;
    }
}
