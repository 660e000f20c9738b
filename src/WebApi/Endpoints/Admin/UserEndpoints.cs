using System.Text.Json.Nodes;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Paging;
using AuthService.Application.Users;
using AuthService.Application.Users.Commands.CreateUser;
using AuthService.Application.Users.Commands.DeleteUser;
using AuthService.Application.Users.Commands.DisableUser;
using AuthService.Application.Users.Commands.EnableUser;
using AuthService.Application.Users.Commands.EndUserSessions;
using AuthService.Application.Users.Commands.SetUserPassword;
using AuthService.Application.Users.Commands.ResetSecondFactors;
using AuthService.Application.Users.Commands.UnlockUser;
using AuthService.Application.Users.Commands.UpdateUser;
using AuthService.Application.Users.Queries.GetUser;
using AuthService.Application.Users.Queries.ListUsers;
using AuthService.Application.Users.Queries.ListUserSessions;
using AuthService.WebApi.Admin;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary>The body of <c>POST /admin/users</c>.</summary>
public sealed record CreateUserRequest(string? Username, string? Email, bool? EmailVerified, string? Name, string? Password)
{
    public override string ToString() => $"CreateUserRequest {{ Username = {Username}, Password = (redacted) }}";
}

/// <summary>The body of <c>POST /admin/users/invitations</c> (docs/adr/0036).</summary>
public sealed record InviteUserRequest(string? Email, string? Name, string? Username);

/// <summary>The body of <c>PUT /admin/users/{id}</c>: the whole profile (an absent field is cleared); the username may be repeated, not changed.</summary>
public sealed record UpdateUserRequest(string? Username, string? Email, bool? EmailVerified, string? Name);

/// <summary>The body of <c>PUT /admin/users/{id}/password</c>.</summary>
public sealed record SetPasswordRequest(string? Password)
{
    public override string ToString() => "SetPasswordRequest { Password = (redacted) }";
}

/// <summary><c>/admin/users</c>: people who sign in, their passwords, lockouts and browser sessions.</summary>
public static class UserEndpoints
{
    private const string Tag = "Users";

    private static readonly JsonNode UserExample = JsonNode.Parse("""
        {
          "id": "a2dbfc35-4f2e-4c1b-9a57-0c1d2e3f4a5b", "username": "jdoe", "email": "jane.doe@example.com", "email_verified": true,
          "name": "Jane Doe", "disabled": false, "locked_out": false, "lockout_ends_at": null, "failed_login_count": 0,
          "has_password": true, "last_login_at": "2026-11-22T09:02:41.117Z", "created_at": "2026-10-01T08:00:00Z", "updated_at": "2026-11-20T16:45:12.5Z"
        }
        """)!;

    private static readonly JsonNode CreateExample = JsonNode.Parse("""
        { "username": "jdoe", "email": "jane.doe@example.com", "email_verified": true, "name": "Jane Doe", "password": "correct horse battery staple" }
        """)!;

    private static readonly JsonNode InviteExample = JsonNode.Parse("""{ "email": "jane.doe@example.com", "name": "Jane Doe" }""")!;

    private static readonly JsonNode UpdateExample = JsonNode.Parse("""
        { "email": "jane@example.org", "email_verified": false, "name": "Jane Doe" }
        """)!;

    private static readonly JsonNode PasswordExample = JsonNode.Parse("""{ "password": "a new long passphrase" }""")!;

    private static readonly JsonNode SessionsExample = JsonNode.Parse("""
        {
          "items": [
            {
              "id": "7d1e0f52-3c4b-4a8e-9f10-6b2a3c4d5e6f", "authenticated_at": "2026-11-22T09:02:41.117Z", "last_seen_at": "2026-11-22T09:40:03Z",
              "idle_expires_at": "2026-11-22T11:40:03Z", "expires_at": "2026-11-22T21:02:41.117Z"
            }
          ],
          "next_cursor": null
        }
        """)!;

    private static readonly JsonNode IdentitiesExample = JsonNode.Parse("""
        {
          "items": [
            {
              "id": "5f0c2b7e-8d41-4f6a-b3c9-2e1d0a9f8b7c", "provider": "google", "provider_display_name": "Google", "subject": "110169484474386276334",
              "email": "jane.doe@example.com", "linked_at": "2026-12-01T09:02:41.117Z", "last_sign_in_at": "2026-12-06T18:40:03Z"
            }
          ],
          "next_cursor": null
        }
        """)!;

    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder admin)
    {
        var users = admin.MapGroup("/users").WithTags(Tag);

        users.MapPost("/", CreateUserAsync)
            .WithName("CreateUser")
            .WithSummary("Create a user")
            .WithDescription("`username` is required and cannot change later; `email`, `email_verified` and `name` are optional. With a `password` (8 to 256 characters, taken exactly as typed) the user can sign in at once; without one the user exists but cannot sign in until a password is set. Usernames and e-mail addresses are unique in normalized form (NFKC, case-insensitive): a duplicate is a 409. The response never contains the password or its hash.")
            .Accepts<CreateUserRequest>("application/json")
            .Produces<UserResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(CreateExample)
            .WithResponseExample(UserExample, StatusCodes.Status201Created);

        users.MapPost("/invitations", InviteUserAsync)
            .WithName("InviteUser")
            .WithSummary("Invite a user by e-mail")
            .WithDescription("Creates a user without a password (the username is the e-mail address unless `username` is given; `name` is optional) and sends the address a link to `/account/accept-invitation` that works once, for 7 days: choosing the password there also marks the address verified. `email` is required; a username or address another user has is a 409. Audited as `user.created`.")
            .Accepts<InviteUserRequest>("application/json")
            .Produces<UserResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithRequestExample(InviteExample)
            .WithResponseExample(UserExample, StatusCodes.Status201Created);

        users.MapGet("/", ListUsersAsync)
            .WithName("ListUsers")
            .WithSummary("List and search users")
            .WithDescription("Ordered by normalized username. `q` matches the start of the username or the e-mail address, case-insensitively; `disabled=true|false` and `locked=true|false` (locked out now) filter further. Page with `limit` (1-200, default 50) and the `next_cursor` of the previous page.")
            .Produces<Page<UserResponse>>()
            .ProducesValidationProblem()
            .WithResponseExample(new JsonObject { ["items"] = new JsonArray(UserExample.DeepClone()), ["next_cursor"] = "SkRPRQ.3q2-7wAbCdEfGhIjKlMnOp" });

        users.MapGet("/{id}", GetUserAsync)
            .WithName("GetUser")
            .WithSummary("Read a user")
            .WithDescription("The user with its version as `ETag`, to send back as `If-Match` when changing it. `locked_out` tells whether failed sign-ins lock the account now (until `lockout_ends_at`).")
            .Produces<UserResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(UserExample);

        users.MapPut("/{id}", UpdateUserAsync)
            .WithName("UpdateUser")
            .WithSummary("Update a user's profile")
            .WithDescription("Replaces `email`, `email_verified` and `name` (an absent field is cleared). `username` may be sent but must be the current one: it cannot change (400). Send the `ETag` you read as `If-Match`: 412 when the user changed since. An e-mail address another user has is a 409.")
            .Accepts<UpdateUserRequest>("application/json")
            .Produces<UserResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithRequestExample(UpdateExample)
            .WithResponseExample(UserExample);

        users.MapPut("/{id}/password", SetUserPasswordAsync)
            .WithName("SetUserPassword")
            .WithSummary("Set a user's password")
            .WithDescription("Sets a new password (8 to 256 characters). The user's browser sessions end, unredeemed authorization codes are refused, and refresh tokens (with the access tokens issued from them) are revoked. `If-Match` is optional.")
            .Accepts<SetPasswordRequest>("application/json")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithRequestExample(PasswordExample);

        MapStateChange(users, "disable", "DisableUser", "Disable a user",
            "The user can no longer sign in; their browser sessions end and their refresh tokens (with the access tokens issued from them) are revoked (ASVS 7.4.2). Enabling the user later revives none of them. 400 when already disabled.",
            DisableUserAsync);
        MapStateChange(users, "enable", "EnableUser", "Enable a user",
            "The user may sign in again. 400 when not disabled.",
            EnableUserAsync);
        MapStateChange(users, "unlock", "UnlockUser", "Unlock a user",
            "Ends a lockout after failed sign-ins and resets the failure count, so the user can sign in at once. 400 when the user has no failed sign-ins to clear.",
            UnlockUserAsync);

        users.MapDelete("/{id}", DeleteUserAsync)
            .WithName("DeleteUser")
            .WithSummary("Delete a user")
            .WithDescription("Deletes the user with their sessions, consents, authorization codes and refresh tokens; their access tokens stop working at UserInfo and introspection. `If-Match` is optional.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        users.MapGet("/{id}/sessions", ListUserSessionsAsync)
            .WithName("ListUserSessions")
            .WithSummary("List a user's browser sessions")
            .WithDescription("The user's current sign-in sessions (not ended, not expired, not from before a password change), newest first; `id` is the `sid` in ID tokens. Not paged: `next_cursor` is always null.")
            .Produces<Page<UserSessionResponse>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(SessionsExample);

        users.MapDelete("/{id}/sessions/{sessionId}", EndUserSessionAsync)
            .WithName("EndUserSession")
            .WithSummary("End one of a user's sessions")
            .WithDescription("Signs the browser out as a logout would: the session ends, its unredeemed codes are withdrawn and the refresh tokens started in it are revoked. Ending a session that already ended changes nothing (204). 404 for an unknown user, or a session that is not this user's.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapDelete("/{id}/sessions", EndUserSessionsAsync)
            .WithName("EndUserSessions")
            .WithSummary("End all of a user's sessions")
            .WithDescription("Signs the user out of every browser, as one logout per session would. The user may sign in again.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapDelete("/{id}/second-factors", ResetSecondFactorsAsync)
            .WithName("ResetSecondFactors")
            .WithSummary("Remove a user's second factors")
            .WithDescription("Removes the user's authenticator app (TOTP) and backup codes, for a person who lost both; audited as `user.second_factor_removed` (reason `admin_reset`). The user then signs in with the password alone and may enrol again. 204 also when the user had none; 404 for an unknown user.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapDelete("/{id}/passkeys", ResetPasskeysAsync)
            .WithName("ResetPasskeys")
            .WithSummary("Remove a user's passkeys")
            .WithDescription("Removes every passkey (WebAuthn credential) of the user, for a person who lost them; each audited as `user.passkey_removed` (reason `admin_reset`). 204 also when the user had none; 404 for an unknown user.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapGet("/{id}/identities", ListUserIdentitiesAsync)
            .WithName("ListUserIdentities")
            .WithSummary("List a user's linked upstream identities")
            .WithDescription("The accounts at upstream providers (Google, GitHub, ...) linked to the user, in the order they were linked: `provider` (its name) and `provider_display_name`, the upstream `subject` (the link's key with the provider), the `email` the upstream gave last (shown, never a key), `linked_at` and `last_sign_in_at`. Not paged: `next_cursor` is always null. 404 for an unknown user.")
            .Produces<Page<Application.Federation.Common.LinkedIdentity>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithResponseExample(IdentitiesExample);

        users.MapDelete("/{id}/identities/{identityId}", UnlinkUserIdentityAsync)
            .WithName("UnlinkUserIdentity")
            .WithSummary("Unlink one of a user's upstream identities")
            .WithDescription("The user can no longer sign in through that upstream account (signing in there again would start a new first sign-in). Audited as `user.external_identity_unlinked` (reason `admin`). Unlike the account page, this may remove the user's last way in: set a password or send an invitation afterwards if the person should keep the account. 404 for an unknown user, or an identity that is not this user's.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return admin;
    }

    public static async Task<Ok<Page<Application.Federation.Common.LinkedIdentity>>> ListUserIdentitiesAsync(IMediator mediator, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new Application.Users.Queries.ListUserIdentities.ListUserIdentities(UserId(id)), cancellationToken));

    public static async Task<NoContent> UnlinkUserIdentityAsync(IMediator mediator, string id, string identityId, CancellationToken cancellationToken)
    {
        await mediator.Send(new Application.Users.Commands.UnlinkUserIdentity.UnlinkUserIdentity(UserId(id), Id("identity", identityId)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> ResetPasskeysAsync(IMediator mediator, string id, CancellationToken cancellationToken)
    {
        await mediator.Send(new Application.Passkeys.Commands.ResetPasskeys(UserId(id)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> ResetSecondFactorsAsync(IMediator mediator, string id, CancellationToken cancellationToken)
    {
        await mediator.Send(new ResetSecondFactors(UserId(id)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Created<UserResponse>> CreateUserAsync(
        HttpContext http,
        IMediator mediator,
        CreateUserRequest body,
        CancellationToken cancellationToken)
    {
        var created = await mediator.Send(new CreateUser(body.Username, body.Email, body.EmailVerified, body.Name, body.Password), cancellationToken);
        return AdminHttp.Created(http, $"{AdminApi.Prefix}/users/{created.User.Id}", created.User, created.Version);
    }

    public static async Task<Created<UserResponse>> InviteUserAsync(HttpContext http, IMediator mediator, InviteUserRequest body, CancellationToken cancellationToken)
    {
        var invited = await mediator.Send(new Application.Users.Commands.InviteUser.InviteUser(body.Email, body.Name, body.Username), cancellationToken);
        return AdminHttp.Created(http, $"{AdminApi.Prefix}/users/{invited.User.Id}", invited.User, invited.Version);
    }

    public static async Task<Ok<Page<UserResponse>>> ListUsersAsync(
        IMediator mediator,
        [FromQuery(Name = "q")] string? q,
        [FromQuery(Name = "disabled")] bool? disabled,
        [FromQuery(Name = "locked")] bool? locked,
        [FromQuery(Name = "cursor")] string? cursor,
        [FromQuery(Name = "limit")] int? limit,
        CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await mediator.Send(new ListUsers(q, disabled, locked, cursor, limit), cancellationToken));
    }

    public static async Task<Ok<UserResponse>> GetUserAsync(HttpContext http, IMediator mediator, string id, CancellationToken cancellationToken)
    {
        var user = await mediator.Send(new GetUser(UserId(id)), cancellationToken);
        return AdminHttp.Ok(http, user.User, user.Version);
    }

    public static async Task<Ok<UserResponse>> UpdateUserAsync(
        HttpContext http,
        IMediator mediator,
        string id,
        UpdateUserRequest body,
        CancellationToken cancellationToken)
    {
        var user = await mediator.Send(
            new UpdateUser(UserId(id), body.Username, body.Email, body.EmailVerified, body.Name, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return AdminHttp.Ok(http, user.User, user.Version);
    }

    public static async Task<NoContent> SetUserPasswordAsync(
        HttpContext http,
        IMediator mediator,
        string id,
        SetPasswordRequest body,
        CancellationToken cancellationToken)
    {
        await mediator.Send(new SetUserPassword(UserId(id), body.Password, AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> DeleteUserAsync(HttpContext http, IMediator mediator, string id, CancellationToken cancellationToken)
    {
        await mediator.Send(new DeleteUser(UserId(id), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static Task<Ok<UserResponse>> DisableUserAsync(HttpContext http, IMediator mediator, string id, CancellationToken cancellationToken) =>
        ChangeStateAsync(http, mediator, new DisableUser(UserId(id), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);

    public static Task<Ok<UserResponse>> EnableUserAsync(HttpContext http, IMediator mediator, string id, CancellationToken cancellationToken) =>
        ChangeStateAsync(http, mediator, new EnableUser(UserId(id), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);

    public static Task<Ok<UserResponse>> UnlockUserAsync(HttpContext http, IMediator mediator, string id, CancellationToken cancellationToken) =>
        ChangeStateAsync(http, mediator, new UnlockUser(UserId(id), AdminHttp.ExpectedVersion(http.Request)), cancellationToken);

    public static async Task<Ok<Page<UserSessionResponse>>> ListUserSessionsAsync(IMediator mediator, string id, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await mediator.Send(new ListUserSessions(UserId(id)), cancellationToken));
    }

    public static async Task<NoContent> EndUserSessionAsync(IMediator mediator, string id, string sessionId, CancellationToken cancellationToken)
    {
        await mediator.Send(new EndUserSession(UserId(id), Id("session", sessionId)), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> EndUserSessionsAsync(IMediator mediator, string id, CancellationToken cancellationToken)
    {
        await mediator.Send(new EndUserSessions(UserId(id)), cancellationToken);
        return TypedResults.NoContent();
    }

    private static void MapStateChange(RouteGroupBuilder users, string action, string name, string summary, string description, Delegate handler) =>
        users.MapPost($"/{{id}}/{action}", handler)
            .WithName(name)
            .WithSummary(summary)
            .WithDescription(description + " No body. `If-Match` is optional (412 when stale). Returns the user with its new `ETag`.")
            .Produces<UserResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithResponseExample(UserExample);

    private static async Task<Ok<UserResponse>> ChangeStateAsync(HttpContext http, IMediator mediator, IRequest<UserResult> command, CancellationToken cancellationToken)
    {
        var user = await mediator.Send(command, cancellationToken);
        return AdminHttp.Ok(http, user.User, user.Version);
    }

    private static Guid UserId(string id) => Id("user", id);

    private static Guid Id(string resource, string id) => AdminHttp.RouteId(resource, id);
}
