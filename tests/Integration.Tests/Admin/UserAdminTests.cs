using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Admin;

/// <summary>
/// <c>/admin/users</c> over the real pipeline and PostgreSQL: create, read, search, update, and what the
/// result means for signing in through the real sign-in page. Every test makes its own users.
/// </summary>
public sealed class UserAdminTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Create_with_a_password_returns_the_user_with_location_and_etag_and_the_user_can_sign_in()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("Cre");

        using var response = await admin.SendAsync(HttpMethod.Post, "/admin/users",
            new { username, email = username + "@Example.com", email_verified = true, name = "Created User", password = UserAdmin.Password });
        var text = await response.Content.ReadAsStringAsync();
        var user = await response.ExpectAsync(HttpStatusCode.Created);

        var id = user.Id();
        Assert.Equal($"/admin/users/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("\"0\"", response.Headers.ETag!.Tag);
        Assert.Equal(username, user.GetProperty("username").GetString());
        Assert.Equal(username + "@Example.com", user.GetProperty("email").GetString());
        Assert.True(user.GetProperty("email_verified").GetBoolean());
        Assert.Equal("Created User", user.GetProperty("name").GetString());
        Assert.True(user.GetProperty("has_password").GetBoolean());
        Assert.False(user.GetProperty("disabled").GetBoolean());
        Assert.False(user.GetProperty("locked_out").GetBoolean());
        Assert.Equal(0, user.GetProperty("failed_login_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, user.GetProperty("last_login_at").ValueKind);
        Assert.EndsWith("Z", user.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(UserAdmin.Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stamp", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"password\"", text, StringComparison.Ordinal);

        var (browser, tokens) = await UserAdmin.SignInAsync(server, username);
        using var _ = browser;
        Assert.Equal(id, tokens.AccessTokenSubject);
        var (read, etag) = await admin.GetUserAsync(id);
        Assert.Equal(JsonValueKind.String, read.GetProperty("last_login_at").ValueKind);
        Assert.NotEqual("\"0\"", etag);
        await admin.AssertAuditedAsync("user", id, "user.created");
    }

    [Fact]
    public async Task Create_without_a_password_gives_a_user_who_cannot_sign_in_until_one_is_set()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("nopw");

        var user = await admin.CreateAsync(username, password: null);

        Assert.False(user.GetProperty("has_password").GetBoolean());
        await UserAdmin.AssertSignInFailsAsync(server, username, UserAdmin.Password);

        using var set = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{user.Id()}/password", new { password = "now-a-password-123" });
        await set.ExpectAsync(HttpStatusCode.NoContent);
        Assert.True((await admin.GetUserAsync(user.Id())).User.GetProperty("has_password").GetBoolean());
        var (browser, _) = await UserAdmin.SignInAsync(server, username, "now-a-password-123");
        browser.Dispose();
    }

    [Theory]
    [InlineData("""{"username":"{0}","password":"short"}""", "password")]
    [InlineData("""{"username":"{0}","password":""}""", "password")]
    [InlineData("""{"username":"{0}","email":"not-an-address"}""", "email")]
    [InlineData("""{"username":"{0}","email":"a@b@c"}""", "email")]
    [InlineData("""{"username":"{0}","email_verified":true}""", "email_verified")]
    [InlineData("""{"username":" {0}"}""", "username")]
    [InlineData("""{"username":""}""", "username")]
    [InlineData("""{"email":"x@example.com"}""", "username")]
    public async Task Create_with_bad_input_is_a_400_naming_the_field_and_creates_nothing(string template, string field)
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("bad");

        using var response = await admin.SendAsync(HttpMethod.Post, "/admin/users", template.Replace("{0}", username, StringComparison.Ordinal));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.DoesNotContain("short", problem.ToString(), StringComparison.Ordinal);
        await AssertNoUserAsync(admin, username);
    }

    [Fact]
    public async Task Create_with_an_unknown_member_is_a_400_and_creates_nothing()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("mass");

        using var response = await admin.SendAsync(HttpMethod.Post, "/admin/users",
            new { username, password = UserAdmin.Password, disabled = false, password_hash = "v1$x" });

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        await AssertNoUserAsync(admin, username);
    }

    [Fact]
    public async Task A_duplicate_username_or_email_is_a_409_even_when_it_differs_only_in_case_or_compatibility_form()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("dup");
        await admin.CreateAsync(username, email: username + "@example.com");

        foreach (var duplicate in new object[]
        {
            new { username },
            new { username = username.ToUpperInvariant() },
            new { username = "\uFF24" + username[1..] }, // FULLWIDTH D: NFKC folds it to "D".
            new { username = UserAdmin.NewUsername("other"), email = username.ToUpperInvariant() + "@EXAMPLE.com" },
        })
        {
            using var response = await admin.SendAsync(HttpMethod.Post, "/admin/users", duplicate);
            await response.ProblemAsync(HttpStatusCode.Conflict);
        }

        using var list = await admin.GetAsync($"/admin/users?q={username}");
        Assert.Single((await list.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Search_matches_a_prefix_of_the_username_or_the_email_case_insensitively()
    {
        using var admin = await server.AdminAsync();
        var stem = $"srch{Guid.NewGuid():N}"[..14];
        var first = await admin.CreateAsync(stem + "-a", email: $"mail-{stem}@example.com");
        var second = await admin.CreateAsync(stem + "-b");
        await admin.CreateAsync("zz" + stem);

        Assert.Equal([first.Id(), second.Id()], await IdsAsync(admin, $"q={stem.ToUpperInvariant()}"));
        Assert.Equal([first.Id()], await IdsAsync(admin, $"q=MAIL-{stem}"));
        Assert.Equal([second.Id()], await IdsAsync(admin, $"q={stem}-B"));
        Assert.Empty(await IdsAsync(admin, $"q={stem}%25"));
        Assert.Empty(await IdsAsync(admin, $"q={stem[..4]}_{stem[5..]}"));
    }

    [Fact]
    public async Task Paging_with_limit_one_walks_every_match_once_in_username_order()
    {
        using var admin = await server.AdminAsync();
        var stem = $"page{Guid.NewGuid():N}"[..14];
        var created = new List<string>();
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            created.Add((await admin.CreateAsync($"{stem}-{suffix}")).GetProperty("username").GetString()!);
        }

        var seen = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 5; pages++)
        {
            using var response = await admin.GetAsync($"/admin/users?q={stem}&limit=1" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var page = await response.ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("username").GetString()!));
            var next = page.GetProperty("next_cursor");
            if (next.ValueKind == JsonValueKind.Null)
            {
                break;
            }

            cursor = next.GetString();
        }

        Assert.Equal([$"{stem}-a", $"{stem}-b", $"{stem}-c"], seen);

        using var tampered = await admin.GetAsync("/admin/users?cursor=not-a-cursor");
        await tampered.ProblemAsync(HttpStatusCode.BadRequest, "cursor");
        using var badLimit = await admin.GetAsync("/admin/users?limit=0");
        await badLimit.ProblemAsync(HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task Update_with_the_current_etag_changes_the_profile_and_a_stale_etag_is_412()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("upd");
        var id = (await admin.CreateAsync(username, email: username + "@example.com", name: "Before")).Id();
        var (_, etag) = await admin.GetUserAsync(id);

        using var updated = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}",
            new { username, email = username + "@example.org", email_verified = true, name = "After" }, etag);
        var body = await updated.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(username + "@example.org", body.GetProperty("email").GetString());
        Assert.True(body.GetProperty("email_verified").GetBoolean());
        Assert.Equal("After", body.GetProperty("name").GetString());
        var newEtag = updated.Headers.ETag!.Tag;
        Assert.NotEqual(etag, newEtag);
        Assert.Equal(newEtag, (await admin.GetUserAsync(id)).ETag);

        using var stale = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}", new { name = "Lost update" }, etag);
        await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("After", (await admin.GetUserAsync(id)).User.GetProperty("name").GetString());

        // PUT replaces: absent fields are cleared.
        using var cleared = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}", new { name = "Only a name" }, newEtag);
        var clearedBody = await cleared.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, clearedBody.GetProperty("email").ValueKind);

        var entries = await admin.AuditAsync($"subject={id}&event_type=user.updated");
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(AdminClients.Admin, e.GetProperty("actor_id").GetString()));
    }

    [Fact]
    public async Task Update_refuses_a_new_username_a_bad_email_a_taken_email_and_an_unknown_member()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("updbad");
        var id = (await admin.CreateAsync(username, name: "Kept")).Id();
        var other = UserAdmin.NewUsername("taken");
        await admin.CreateAsync(other, email: other + "@example.com");

        using (var rename = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}", new { username = username + "x", name = "Kept" }))
        {
            await rename.ProblemAsync(HttpStatusCode.BadRequest, "username");
        }

        using (var badEmail = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}", new { email = "nope", name = "Kept" }))
        {
            await badEmail.ProblemAsync(HttpStatusCode.BadRequest, "email");
        }

        using (var taken = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}", new { email = other.ToUpperInvariant() + "@example.com", name = "Kept" }))
        {
            await taken.ProblemAsync(HttpStatusCode.Conflict);
        }

        using (var unknown = await admin.SendAsync(HttpMethod.Put, $"/admin/users/{id}", new { name = "Kept", disabled = true }))
        {
            await unknown.ProblemAsync(HttpStatusCode.BadRequest);
        }

        var (user, etag) = await admin.GetUserAsync(id);
        Assert.Equal("\"0\"", etag);
        Assert.Equal("Kept", user.GetProperty("name").GetString());
        Assert.False(user.GetProperty("disabled").GetBoolean());
        Assert.Empty(await admin.AuditAsync($"subject={id}&event_type=user.updated"));
    }

    [Fact]
    public async Task Unknown_ids_are_404_everywhere()
    {
        using var admin = await server.AdminAsync();
        var unknown = Guid.NewGuid();
        var requests = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, $"/admin/users/{unknown}", null),
            (HttpMethod.Get, "/admin/users/not-a-guid", null),
            (HttpMethod.Put, $"/admin/users/{unknown}", new { name = "x" }),
            (HttpMethod.Put, $"/admin/users/{unknown}/password", new { password = "long-enough-password" }),
            (HttpMethod.Post, $"/admin/users/{unknown}/disable", null),
            (HttpMethod.Post, $"/admin/users/{unknown}/enable", null),
            (HttpMethod.Post, $"/admin/users/{unknown}/unlock", null),
            (HttpMethod.Delete, $"/admin/users/{unknown}", null),
            (HttpMethod.Get, $"/admin/users/{unknown}/sessions", null),
            (HttpMethod.Delete, $"/admin/users/{unknown}/sessions", null),
            (HttpMethod.Delete, $"/admin/users/{unknown}/sessions/{Guid.NewGuid()}", null),
        };

        foreach (var (method, path, body) in requests)
        {
            using var response = await admin.SendAsync(method, path, body);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_users_resource_needs_an_admin_token()
    {
        using var anonymous = server.Factory.CreateClient();
        using var response = await anonymous.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<List<string>> IdsAsync(HttpClient admin, string query)
    {
        using var response = await admin.GetAsync("/admin/users?" + query);
        return [.. (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(u => u.Id())];
    }

    private static async Task AssertNoUserAsync(HttpClient admin, string username) =>
        Assert.Empty(await IdsAsync(admin, "q=" + Uri.EscapeDataString(username.Trim())));
}
