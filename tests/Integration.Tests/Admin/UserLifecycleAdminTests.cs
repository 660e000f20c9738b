using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Admin;

/// <summary>
/// What the admin's user operations do to a user who is signed in: a new password, disabling, a lockout,
/// deletion, and ending sessions, each checked through the real sign-in page, the token endpoint and UserInfo
/// (ASVS 7.4.2, RFC 9700 §4.14.2).
/// </summary>
public sealed class UserLifecycleAdminTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Setting_a_password_refuses_the_old_one_accepts_the_new_one_and_stops_the_refresh_token()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("pw");
        var id = (await admin.CreateAsync(username)).Id();
        var (browser, tokens) = await UserAdmin.SignInAsync(server, username);
        using var _ = browser;
        var (_, etag) = await admin.GetUserAsync(id);

        using (var weak = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}/password", new { password = "short" }))
        {
            await weak.ProblemAsync(HttpStatusCode.BadRequest, "password");
        }

        using (var stale = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}/password", new { password = "second-password-456" }, "\"999\""))
        {
            await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var set = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}/password", new { password = "second-password-456" }, etag))
        {
            await set.ExpectAsync(HttpStatusCode.NoContent);
        }

        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "refresh token issued before the password change");
        await EndSessionFlows.AssertSignedOutAsync(browser, "session started before the password change");
        await UserAdmin.AssertSignInFailsAsync(server, username, UserAdmin.Password);
        var (again, _) = await UserAdmin.SignInAsync(server, username, "second-password-456");
        again.Dispose();
        await admin.AssertAuditedAsync("user", id, "user.password_changed");
    }

    [Fact] // ASVS 7.4.2.
    public async Task Disabling_ends_the_browser_session_and_the_refresh_token_and_enabling_lets_the_user_sign_in_again()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("dis");
        var id = (await admin.CreateAsync(username)).Id();
        var (browser, tokens) = await UserAdmin.SignInAsync(server, username);
        using var _ = browser;
        await EndSessionFlows.AssertSignedInAsync(browser, "before disabling");

        using (var disable = await admin.SendAsync(HttpMethod.Post, $"/admin/users/{id}/disable"))
        {
            var body = await disable.ExpectAsync(HttpStatusCode.OK);
            Assert.True(body.GetProperty("disabled").GetBoolean());
            Assert.Equal((await admin.GetUserAsync(id)).ETag, disable.Headers.ETag!.Tag);
        }

        await EndSessionFlows.AssertSignedOutAsync(browser, "session of a disabled user");
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "refresh token of a disabled user");
        using (var userInfo = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken))
        {
            await EndSessionFlows.AssertBearerErrorAsync(userInfo, HttpStatusCode.Unauthorized, "invalid_token", "access token of a disabled user");
        }

        await CodeGrantSupport.AssertInactiveAsync(server.Client, tokens.AccessToken, SignInClients.CW, "access token of a disabled user, at introspection");

        using (var twice = await admin.SendAsync(HttpMethod.Post, $"/admin/users/{id}/disable"))
        {
            await twice.ProblemAsync(HttpStatusCode.BadRequest, "disabled");
        }

        Assert.Equal([id], await IdsAsync(admin, $"q={username}&disabled=true"));
        Assert.Empty(await IdsAsync(admin, $"q={username}&disabled=false"));

        using (var stale = await admin.SendAsync(HttpMethod.Post, $"/admin/users/{id}/enable", ifMatch: "\"0\""))
        {
            await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var enable = await admin.SendAsync(HttpMethod.Post, $"/admin/users/{id}/enable", ifMatch: (await admin.GetUserAsync(id)).ETag))
        {
            Assert.False((await enable.ExpectAsync(HttpStatusCode.OK)).GetProperty("disabled").GetBoolean());
        }

        // The old session and refresh token stay ended; a new sign-in works.
        await EndSessionFlows.AssertSignedOutAsync(browser, "session ended by disabling, after enabling");
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "refresh token ended by disabling, after enabling");
        var (again, _) = await UserAdmin.SignInAsync(server, username);
        again.Dispose();
        await admin.AssertAuditedAsync("user", id, "user.disabled");
        await admin.AssertAuditedAsync("user", id, "user.enabled");
    }

    [Fact]
    public async Task After_five_wrong_passwords_the_user_shows_locked_out_and_unlocking_lets_them_sign_in()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("lock");
        var id = (await admin.CreateAsync(username)).Id();
        using (var notLocked = await admin.SendAsync(HttpMethod.Post, $"/admin/users/{id}/unlock"))
        {
            await notLocked.ProblemAsync(HttpStatusCode.BadRequest, "lockout");
        }

        for (var i = 0; i < 5; i++)
        {
            await UserAdmin.AssertSignInFailsAsync(server, username, "wrong-password-" + i);
        }

        var (locked, _) = await admin.GetUserAsync(id);
        Assert.True(locked.GetProperty("locked_out").GetBoolean());
        Assert.Equal(5, locked.GetProperty("failed_login_count").GetInt32());
        Assert.True(locked.GetProperty("lockout_ends_at").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal([id], await IdsAsync(admin, $"q={username}&locked=true"));
        await UserAdmin.AssertSignInFailsAsync(server, username, UserAdmin.Password);

        using (var unlock = await admin.SendAsync(HttpMethod.Post, $"/admin/users/{id}/unlock"))
        {
            var body = await unlock.ExpectAsync(HttpStatusCode.OK);
            Assert.False(body.GetProperty("locked_out").GetBoolean());
            Assert.Equal(0, body.GetProperty("failed_login_count").GetInt32());
        }

        Assert.Empty(await IdsAsync(admin, $"q={username}&locked=true"));
        var (browser, _) = await UserAdmin.SignInAsync(server, username);
        browser.Dispose();
        await admin.AssertAuditedAsync("user", id, "user.unlocked");
    }

    [Fact]
    public async Task Deleting_a_user_makes_it_404_and_stops_its_refresh_and_access_tokens()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("del");
        var id = (await admin.CreateAsync(username, email: username + "@example.com")).Id();
        var (browser, tokens) = await UserAdmin.SignInAsync(server, username);
        using var _ = browser;
        using (var before = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken))
        {
            await EndSessionFlows.UserInfoClaimsAsync(before);
        }

        using (var stale = await admin.SendAsync(HttpMethod.Delete, $"/admin/users/{id}", ifMatch: "\"42\""))
        {
            await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var delete = await admin.SendAsync(HttpMethod.Delete, $"/admin/users/{id}"))
        {
            await delete.ExpectAsync(HttpStatusCode.NoContent);
        }

        using (var read = await admin.GetAsync($"/admin/users/{id}"))
        {
            await read.ProblemAsync(HttpStatusCode.NotFound);
        }

        using (var again = await admin.SendAsync(HttpMethod.Delete, $"/admin/users/{id}"))
        {
            await again.ProblemAsync(HttpStatusCode.NotFound);
        }

        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "refresh token of a deleted user");
        using (var userInfo = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken))
        {
            await EndSessionFlows.AssertBearerErrorAsync(userInfo, HttpStatusCode.Unauthorized, "invalid_token", "access token of a deleted user");
        }

        await CodeGrantSupport.AssertInactiveAsync(server.Client, tokens.AccessToken, SignInClients.CW, "access token of a deleted user, at introspection");

        await EndSessionFlows.AssertSignedOutAsync(browser, "session of a deleted user");
        Assert.Equal(0, await server.Database.ScalarAsync<long>("SELECT count(*) FROM user_sessions WHERE user_id = @u", ("u", Guid.Parse(id))));
        Assert.Equal(0, await server.Database.ScalarAsync<long>("SELECT count(*) FROM consents WHERE user_id = @u", ("u", Guid.Parse(id))));

        // The name is free again, for a different user.
        var reused = await admin.CreateAsync(username, email: username + "@example.com");
        Assert.NotEqual(id, reused.Id());
        await admin.AssertAuditedAsync("user", id, "user.deleted");
    }

    [Fact]
    public async Task A_session_is_listed_after_sign_in_and_ending_it_signs_the_browser_out_and_revokes_its_refresh_token()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("ses");
        var id = (await admin.CreateAsync(username)).Id();
        using (var none = await admin.GetAsync($"/admin/users/{id}/sessions"))
        {
            Assert.Empty((await none.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        }

        var (browser, tokens) = await UserAdmin.SignInAsync(server, username);
        using var _ = browser;
        var sid = Jose.Payload(tokens.IdToken!)["sid"]!.GetValue<string>();

        var sessions = await SessionsAsync(admin, id);
        var session = Assert.Single(sessions);
        Assert.Equal(sid, session.GetProperty("id").GetString());
        Assert.True(session.GetProperty("expires_at").GetDateTimeOffset() > session.GetProperty("authenticated_at").GetDateTimeOffset());
        Assert.True(session.GetProperty("idle_expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        Assert.Equal(JsonValueKind.String, session.GetProperty("last_seen_at").ValueKind);
        Assert.DoesNotContain("handle", session.ToString(), StringComparison.OrdinalIgnoreCase);

        // Not through another user's path.
        var other = (await admin.CreateAsync(UserAdmin.NewUsername("oth"))).Id();
        using (var foreign = await admin.SendAsync(HttpMethod.Delete, $"/admin/users/{other}/sessions/{sid}"))
        {
            await foreign.ProblemAsync(HttpStatusCode.NotFound);
        }

        await EndSessionFlows.AssertSignedInAsync(browser, "after a refused end of the session through another user");

        using (var end = await admin.SendAsync(HttpMethod.Delete, $"/admin/users/{id}/sessions/{sid}"))
        {
            await end.ExpectAsync(HttpStatusCode.NoContent);
        }

        await EndSessionFlows.AssertSignedOutAsync(browser, "session ended by the admin");
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "refresh token of a session ended by the admin");
        Assert.Empty(await SessionsAsync(admin, id));
        Assert.Equal("session_ended_by_admin", await server.Database.ScalarAsync<string>(
            "SELECT revocation_reason FROM refresh_token_families WHERE session_id = @s", ("s", Guid.Parse(sid))));

        using (var again = await admin.SendAsync(HttpMethod.Delete, $"/admin/users/{id}/sessions/{sid}"))
        {
            await again.ExpectAsync(HttpStatusCode.NoContent);
        }

        var entry = await admin.AssertAuditedAsync("user", id, "session.ended");
        Assert.Equal(sid, entry.GetProperty("details").GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task Ending_all_sessions_signs_every_browser_out()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("all");
        var id = (await admin.CreateAsync(username)).Id();
        var (first, firstTokens) = await UserAdmin.SignInAsync(server, username);
        var (second, secondTokens) = await UserAdmin.SignInAsync(server, username);
        using var _ = first;
        using var __ = second;
        Assert.Equal(2, (await SessionsAsync(admin, id)).Count);

        using (var end = await admin.SendAsync(HttpMethod.Delete, $"/admin/users/{id}/sessions"))
        {
            await end.ExpectAsync(HttpStatusCode.NoContent);
        }

        await EndSessionFlows.AssertSignedOutAsync(first, "first browser");
        await EndSessionFlows.AssertSignedOutAsync(second, "second browser");
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, firstTokens.RefreshToken!, "first browser's refresh token");
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, secondTokens.RefreshToken!, "second browser's refresh token");
        Assert.Empty(await SessionsAsync(admin, id));
        Assert.Equal(2, (await admin.AuditAsync($"subject={id}&event_type=session.ended")).Count);

        // The user may sign in again.
        var (third, _) = await UserAdmin.SignInAsync(server, username);
        third.Dispose();
        Assert.Single(await SessionsAsync(admin, id));
    }

    private static async Task<List<JsonElement>> SessionsAsync(HttpClient admin, string id)
    {
        using var response = await admin.GetAsync($"/admin/users/{id}/sessions");
        var body = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("next_cursor").ValueKind);
        return [.. body.GetProperty("items").EnumerateArray()];
    }

    private static async Task<List<string>> IdsAsync(HttpClient admin, string query)
    {
        using var response = await admin.GetAsync("/admin/users?" + query);
        return [.. (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(u => u.Id())];
    }
}
