using System.Text.Json.Nodes;
using AuthService.Application.Common.Paging;
using AuthService.Application.Tenants.Commands.AddTenantMember;
using AuthService.Application.Tenants.Commands.ChangeTenantMemberRoles;
using AuthService.Application.Tenants.Commands.CreateTenant;
using AuthService.Application.Tenants.Commands.DeleteTenant;
using AuthService.Application.Tenants.Commands.InviteToTenant;
using AuthService.Application.Tenants.Commands.RemoveTenantMember;
using AuthService.Application.Tenants.Commands.ResendTenantInvitation;
using AuthService.Application.Tenants.Commands.UpdateTenant;
using AuthService.Application.Tenants.Commands.WithdrawTenantInvitation;
using AuthService.Application.Tenants.Common;
using AuthService.Application.Tenants.Queries.GetTenant;
using AuthService.Application.Tenants.Queries.ListTenantInvitations;
using AuthService.Application.Tenants.Queries.ListTenantMembers;
using AuthService.Application.Tenants.Queries.ListTenants;
using AuthService.WebApi.Admin;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>
/// <c>/admin/tenants</c>: tenants, their members and invitations (docs/adr/0038). Listing, creating and deleting tenants
/// is the platform administrator's (the <c>admin</c> policy); the routes of one tenant (<c>/admin/tenants/{id}</c> and
/// below) also admit a user's token with the <c>tenant_admin</c> scope for a tenant in which the user is an owner or admin
/// (<see cref="TenantAdminAuthorization"/>), who may not change the tenant's status.
/// </summary>
public static class TenantEndpoints
{
    private const string Path = "/tenants";
    private const string One = "/{" + TenantAdminAuthorization.RouteParameter + "}";

    private const string TenantAdminNote =
        " Also open to a user's token with the `tenant_admin` scope whose user is an owner or admin of this tenant (403 for any other tenant, existing or not).";

    private static readonly JsonNode CreateExample = JsonNode.Parse("""
        { "slug": "acme", "display_name": "Acme Corporation",
          "policy": { "require_mfa": true, "allowed_sign_in_methods": ["password", "passkey"], "allowed_email_domains": ["acme.example"] } }
        """)!;

    private static readonly JsonNode TenantExample = JsonNode.Parse("""
        { "id": "0b8f3c2e-6a8d-4c59-9d55-3f0f5c3a9e21", "slug": "acme", "display_name": "Acme Corporation", "status": "active",
          "policy": { "require_mfa": true, "allowed_sign_in_methods": ["password", "passkey"], "allowed_email_domains": ["acme.example"] },
          "created_at": "2026-12-07T10:15:03.512Z", "updated_at": "2026-12-07T10:15:03.512Z" }
        """)!;

    private static readonly JsonNode MemberExample = JsonNode.Parse("""
        { "user_id": "5d1c0e4a-2f7b-4a7e-8c1d-9b3e6f2a1c47", "roles": ["admin"], "created_at": "2026-12-07T10:16:00.000Z", "updated_at": "2026-12-07T10:16:00.000Z" }
        """)!;

    private static readonly JsonNode InvitationExample = JsonNode.Parse("""
        { "id": "8e2a7f10-3c4d-4b1e-a5f6-7d8e9f0a1b2c", "tenant_id": "0b8f3c2e-6a8d-4c59-9d55-3f0f5c3a9e21", "email": "grace@acme.example",
          "roles": ["member"], "state": "open", "created_at": "2026-12-07T10:17:00.000Z", "expires_at": "2026-12-14T10:17:00.000Z",
          "accepted_at": null, "accepted_by": null, "withdrawn_at": null }
        """)!;

    private const string PolicyDescription =
        "`policy`: `require_mfa` (default false), `allowed_sign_in_methods` (subset of `password`, `passkey`, `federation`; empty: all), `allowed_email_domains` (exact domains; empty: any). "
        + "The policy is stored and validated; it is not yet enforced at sign-in (docs/status.md).";

    public static RouteGroupBuilder MapTenantEndpoints(this RouteGroupBuilder admin)
    {
        var tenants = admin.MapGroup(Path).WithTags("Tenants");

        tenants.MapPost("/", CreateTenantAsync).RequireAuthorization(AdminAuthenticationHandler.Policy)
            .WithName("CreateTenant")
            .WithSummary("Create a tenant")
            .WithDescription("`slug` (2-63 lower-case letters, digits and inner hyphens; unique and fixed once created: downstream services key on it) and `display_name` are required; `status` (`active`, default, or `suspended`). "
                + PolicyDescription + " 409 when the slug is taken. Platform administrator only. Audited as `tenant.created`.")
            .Accepts<TenantBody>("application/json")
            .Produces<TenantResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(CreateExample)
            .WithResponseExample(TenantExample, StatusCodes.Status201Created);

        tenants.MapGet("/", ListTenantsAsync).RequireAuthorization(AdminAuthenticationHandler.Policy)
            .WithName("ListTenants")
            .WithSummary("List tenants")
            .WithDescription("Ordered by slug; filter with `slug_prefix` and `status`. Page with `limit` (1-200, default 50) and the `next_cursor` of the previous page. Platform administrator only.")
            .Produces<Page<TenantResponse>>()
            .ProducesValidationProblem()
            .WithResponseExample(new JsonObject { ["items"] = new JsonArray(TenantExample.DeepClone()), ["next_cursor"] = null });

        tenants.MapGet(One, GetTenantAsync).RequireAuthorization(TenantAdminAuthorization.Policy)
            .WithName("GetTenant")
            .WithSummary("Read a tenant")
            .WithDescription("With an `ETag` for conditional writes." + TenantAdminNote)
            .Produces<TenantResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(TenantExample);

        tenants.MapPut(One, UpdateTenantAsync).RequireAuthorization(TenantAdminAuthorization.Policy)
            .WithName("UpdateTenant")
            .WithSummary("Replace a tenant's display name, status and policy")
            .WithDescription("`display_name` is required; an absent `status` keeps it; absent policy members take the defaults. `slug` may be repeated, not changed. "
                + PolicyDescription + " Honours `If-Match` (412 when stale). A tenant administrator may not change `status` (403)." + TenantAdminNote
                + " Audited as `tenant.updated` when something changed.")
            .Accepts<TenantBody>("application/json")
            .Produces<TenantResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithRequestExample(CreateExample)
            .WithResponseExample(TenantExample);

        tenants.MapDelete(One, DeleteTenantAsync).RequireAuthorization(AdminAuthenticationHandler.Policy)
            .WithName("DeleteTenant")
            .WithSummary("Delete a tenant")
            .WithDescription("Only a tenant without members (409 otherwise: remove them first, or suspend the tenant); its invitations and the webhook subscriptions filtered on its slug go with it. Honours `If-Match`. Platform administrator only. Audited as `tenant.deleted`.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        MapMembers(tenants.MapGroup(One + "/members").RequireAuthorization(TenantAdminAuthorization.Policy));
        MapInvitations(tenants.MapGroup(One + "/invitations").RequireAuthorization(TenantAdminAuthorization.Policy));
        return admin;
    }

    private static void MapMembers(RouteGroupBuilder members)
    {
        members.MapGet("/", ListTenantMembersAsync)
            .WithName("ListTenantMembers")
            .WithSummary("List a tenant's members")
            .WithDescription("Ordered by user id; page with `limit` and `next_cursor`." + TenantAdminNote)
            .Produces<Page<TenantMemberResponse>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(new JsonObject { ["items"] = new JsonArray(MemberExample.DeepClone()), ["next_cursor"] = null });

        members.MapPost("/", AddTenantMemberAsync)
            .WithName("AddTenantMember")
            .WithSummary("Add an existing user to a tenant")
            .WithDescription("`user_id` and `roles` (`owner`, `admin`, `member`; at least one). Only an owner (or the platform) grants `owner`. 400 naming `user_id` for an unknown user; 409 when already a member."
                + TenantAdminNote + " Audited as `tenant.member.added`.")
            .Accepts<TenantMemberBody>("application/json")
            .Produces<TenantMemberResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(JsonNode.Parse("""{ "user_id": "5d1c0e4a-2f7b-4a7e-8c1d-9b3e6f2a1c47", "roles": ["admin"] }""")!)
            .WithResponseExample(MemberExample, StatusCodes.Status201Created);

        members.MapPut("/{userId}", ChangeTenantMemberRolesAsync)
            .WithName("ChangeTenantMemberRoles")
            .WithSummary("Replace a member's roles")
            .WithDescription("`roles` replaces the member's roles. Only an owner (or the platform) grants or removes `owner`; the last owner cannot be demoted (400 naming `roles`). Honours `If-Match`."
                + TenantAdminNote + " Audited as `tenant.member.roles_changed`.")
            .Accepts<TenantMemberBody>("application/json")
            .Produces<TenantMemberResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithRequestExample(JsonNode.Parse("""{ "roles": ["owner"] }""")!)
            .WithResponseExample(MemberExample);

        members.MapDelete("/{userId}", RemoveTenantMemberAsync)
            .WithName("RemoveTenantMember")
            .WithSummary("Remove a member")
            .WithDescription("Only an owner (or the platform) removes an owner; the last owner stays (400 naming `roles`). Honours `If-Match`." + TenantAdminNote
                + " Audited as `tenant.member.removed`.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static void MapInvitations(RouteGroupBuilder invitations)
    {
        invitations.MapGet("/", ListTenantInvitationsAsync)
            .WithName("ListTenantInvitations")
            .WithSummary("List a tenant's invitations")
            .WithDescription("Every state (`open`, `expired`, `accepted`, `withdrawn`), ordered by id; page with `limit` and `next_cursor`. Never a link." + TenantAdminNote)
            .Produces<Page<TenantInvitationResponse>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(new JsonObject { ["items"] = new JsonArray(InvitationExample.DeepClone()), ["next_cursor"] = null });

        invitations.MapPost("/", InviteToTenantAsync)
            .WithName("InviteToTenant")
            .WithSummary("Invite an e-mail address into a tenant")
            .WithDescription("`email` and `roles`. The message with a single-use link (valid `Auth:Email:TenantInvitationLifetime`, 7 days by default) is sent through the e-mail outbox; "
                + "the person accepts at `/account/tenant-invitation` signed in with an account whose verified address is the invited one. When no SMTP server is configured, the answer carries `invitation_link` for the administrator to pass on."
                + TenantAdminNote + " Audited as `tenant.invite.sent`.")
            .Accepts<TenantInvitationBody>("application/json")
            .Produces<TenantInvitationResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithRequestExample(JsonNode.Parse("""{ "email": "grace@acme.example", "roles": ["member"] }""")!)
            .WithResponseExample(InvitationExample, StatusCodes.Status201Created);

        invitations.MapPost("/{invitationId}/resend", ResendTenantInvitationAsync)
            .WithName("ResendTenantInvitation")
            .WithSummary("Send an invitation again with a new link")
            .WithDescription("The earlier link stops working; the lifetime starts again (also for an expired invitation). 409 once accepted or withdrawn. Honours `If-Match`."
                + TenantAdminNote + " Audited as `tenant.invite.sent` (resent).")
            .Produces<TenantInvitationResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithResponseExample(InvitationExample);

        invitations.MapDelete("/{invitationId}", WithdrawTenantInvitationAsync)
            .WithName("WithdrawTenantInvitation")
            .WithSummary("Withdraw an invitation")
            .WithDescription("Its link stops working; the invitation stays listed as `withdrawn`. 409 once accepted or withdrawn. Honours `If-Match`."
                + TenantAdminNote + " Audited as `tenant.invite.withdrawn`.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    public static async Task<Created<TenantResponse>> CreateTenantAsync(HttpContext http, IMediator mediator, [FromBody] TenantBody? body, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new CreateTenant(body), cancellationToken);
        return AdminHttp.Created(http, Location(result.Tenant.Id), result.Tenant, result.Version);
    }

    public static async Task<Ok<Page<TenantResponse>>> ListTenantsAsync(IMediator mediator, [FromQuery(Name = "slug_prefix")] string? slugPrefix,
        [FromQuery(Name = "status")] string? status, [FromQuery(Name = "cursor")] string? cursor, [FromQuery(Name = "limit")] int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListTenants(slugPrefix, status, cursor, limit), cancellationToken));

    public static async Task<Ok<TenantResponse>> GetTenantAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new GetTenant(TenantId(tenantId), TenantAdminAuthorization.Caller(http)), cancellationToken);
        return AdminHttp.Ok(http, result.Tenant, result.Version);
    }

    public static async Task<Ok<TenantResponse>> UpdateTenantAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId,
        [FromBody] TenantBody? body, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new UpdateTenant(TenantId(tenantId), body, AdminHttp.ExpectedVersion(http.Request), TenantAdminAuthorization.Caller(http)), cancellationToken);
        return AdminHttp.Ok(http, result.Tenant, result.Version);
    }

    public static async Task<NoContent> DeleteTenantAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteTenant(TenantId(tenantId), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<Page<TenantMemberResponse>>> ListTenantMembersAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId,
        [FromQuery(Name = "cursor")] string? cursor, [FromQuery(Name = "limit")] int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListTenantMembers(TenantId(tenantId), TenantAdminAuthorization.Caller(http), cursor, limit), cancellationToken));

    public static async Task<Created<TenantMemberResponse>> AddTenantMemberAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId,
        [FromBody] TenantMemberBody? body, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new AddTenantMember(TenantId(tenantId), body, TenantAdminAuthorization.Caller(http)), cancellationToken);
        return AdminHttp.Created(http, $"{Location(TenantId(tenantId))}/members/{result.Member.UserId:D}", result.Member, result.Version);
    }

    public static async Task<Ok<TenantMemberResponse>> ChangeTenantMemberRolesAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId,
        [FromRoute(Name = "userId")] string userId, [FromBody] TenantMemberBody? body, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new ChangeTenantMemberRoles(TenantId(tenantId), AdminHttp.RouteId("Tenant member", userId), body, AdminHttp.ExpectedVersion(http.Request), TenantAdminAuthorization.Caller(http)),
            cancellationToken);
        return AdminHttp.Ok(http, result.Member, result.Version);
    }

    public static async Task<NoContent> RemoveTenantMemberAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId,
        [FromRoute(Name = "userId")] string userId, CancellationToken cancellationToken)
    {
        await mediator.Send(new RemoveTenantMember(TenantId(tenantId), AdminHttp.RouteId("Tenant member", userId), AdminHttp.ExpectedVersion(http.Request), TenantAdminAuthorization.Caller(http)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<Page<TenantInvitationResponse>>> ListTenantInvitationsAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId,
        [FromQuery(Name = "cursor")] string? cursor, [FromQuery(Name = "limit")] int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListTenantInvitations(TenantId(tenantId), TenantAdminAuthorization.Caller(http), cursor, limit), cancellationToken));

    public static async Task<Created<TenantInvitationResponse>> InviteToTenantAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId,
        [FromBody] TenantInvitationBody? body, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new InviteToTenant(TenantId(tenantId), body, TenantAdminAuthorization.Caller(http)), cancellationToken);
        return AdminHttp.Created(http, $"{Location(TenantId(tenantId))}/invitations/{result.Invitation.Id:D}", result.Invitation, result.Version);
    }

    public static async Task<Ok<TenantInvitationResponse>> ResendTenantInvitationAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId,
        [FromRoute(Name = "invitationId")] string invitationId, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new ResendTenantInvitation(TenantId(tenantId), AdminHttp.RouteId("Tenant invitation", invitationId), AdminHttp.ExpectedVersion(http.Request), TenantAdminAuthorization.Caller(http)),
            cancellationToken);
        return AdminHttp.Ok(http, result.Invitation, result.Version);
    }

    public static async Task<NoContent> WithdrawTenantInvitationAsync(HttpContext http, IMediator mediator, [FromRoute(Name = "tenantId")] string tenantId,
        [FromRoute(Name = "invitationId")] string invitationId, CancellationToken cancellationToken)
    {
        await mediator.Send(new WithdrawTenantInvitation(TenantId(tenantId), AdminHttp.RouteId("Tenant invitation", invitationId), AdminHttp.ExpectedVersion(http.Request), TenantAdminAuthorization.Caller(http)), cancellationToken);
        return TypedResults.NoContent();
    }

    private static Guid TenantId(string id) => AdminHttp.RouteId("Tenant", id);

    private static string Location(Guid tenantId) => $"{AdminApi.Prefix}{Path}/{tenantId:D}";
}
