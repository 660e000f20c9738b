using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Registration;

/// <summary>With the default policy (closed) there is no registration: not advertised, and the endpoint answers 403 access_denied.</summary>
public sealed class ClosedRegistrationTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Closed_registration_is_not_advertised_and_refused_with_403_access_denied_writing_nothing()
    {
        foreach (var path in new[] { "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server" })
        {
            Assert.False((await (await fixture.Client.GetAsync(path)).JsonAsync()).TryGetProperty("registration_endpoint", out _));
        }

        using var response = await fixture.Client.RegisterAsync(Registrations.McpClient());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("access_denied", (await response.JsonAsync()).GetProperty("error").GetString());

        using var admin = await fixture.AdminAsync();
        var dynamic = await (await admin.GetAsync("/admin/clients?registration_source=dynamic")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(dynamic.GetProperty("items").EnumerateArray());
    }
}

/// <summary>A server that asks for an initial access token, issued through the admin API.</summary>
public sealed class InitialAccessTokenFixture : AdminFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:Registration:Policy"] = "initial_access_token",
        ["Auth:Registration:AllowedScopes"] = OpenRegistrationFixture.AllowedScopes,
        ["Auth:Registration:PermitsPerMinutePerAddress"] = "10000",
    };
}

/// <summary>RFC 7591 §3 with <c>Auth:Registration:Policy=initial_access_token</c>: missing, unknown, used-up and revoked tokens are 401 invalid_token.</summary>
public sealed class InitialAccessTokenRegistrationTests(InitialAccessTokenFixture fixture) : IClassFixture<InitialAccessTokenFixture>
{
    [Fact]
    public async Task Without_a_valid_initial_access_token_registration_is_401_invalid_token_and_writes_nothing()
    {
        await Registrations.InvalidTokenAsync(await fixture.Client.RegisterAsync(Registrations.McpClient()));
        await Registrations.InvalidTokenAsync(await fixture.Client.RegisterAsync(Registrations.McpClient(), bearer: "not-a-token"));

        // Even an invalid body gets the 401 first: nothing is validated for an unauthenticated caller.
        await Registrations.InvalidTokenAsync(await fixture.Client.RegisterAsync(new JsonObject { ["redirect_uris"] = new JsonArray("javascript:x") }));
    }

    [Fact]
    public async Task A_token_with_max_uses_registers_that_many_clients_then_is_used_up_and_is_shown_once_and_stored_hashed()
    {
        using var admin = await fixture.AdminAsync();
        var issued = await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, "/admin/registration/initial-access-tokens", new { expires_in = 3600, max_uses = 1 })))
            .ExpectAsync(HttpStatusCode.Created);
        var token = issued.GetProperty("token").GetString()!;
        Assert.Equal(1, issued.GetProperty("max_uses").GetInt32());

        // A refused registration does not use the token up.
        var bad = Registrations.McpClient();
        bad["redirect_uris"] = new JsonArray("https://app.example/cb#x");
        await Registrations.RegistrationErrorAsync(await fixture.Client.RegisterAsync(bad, token), "invalid_redirect_uri");

        await fixture.Client.RegisteredAsync(Registrations.McpClient(), token);
        await Registrations.InvalidTokenAsync(await fixture.Client.RegisterAsync(Registrations.McpClient(), token));

        var list = await (await admin.GetAsync("/admin/registration/initial-access-tokens")).ExpectAsync(HttpStatusCode.OK);
        var listed = Assert.Single(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == issued.GetProperty("id").GetString());
        Assert.Equal(1, listed.GetProperty("uses").GetInt32());
        Assert.False(listed.GetProperty("active").GetBoolean());
        Assert.DoesNotContain(token, list.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>($"select count(*) from initial_access_tokens where token_hash = '{token}'"));
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        using var admin = await fixture.AdminAsync();
        var issued = await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, "/admin/registration/initial-access-tokens", new { }))).ExpectAsync(HttpStatusCode.Created);
        var token = issued.GetProperty("token").GetString()!;
        await fixture.Client.RegisteredAsync(Registrations.McpClient(), token);

        var revoked = await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, $"/admin/registration/initial-access-tokens/{issued.GetProperty("id").GetString()}/revoke")))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("revoked_at").ValueKind);

        await Registrations.InvalidTokenAsync(await fixture.Client.RegisterAsync(Registrations.McpClient(), token));
        Assert.NotEmpty(await admin.AuditAsync($"subject={issued.GetProperty("id").GetString()}&event_type=initial_access_token.revoked"));
    }

    [Theory]
    [InlineData(30, null, "expires_in")]
    [InlineData(3600, 0, "max_uses")]
    public async Task Issuing_refuses_out_of_range_values(int expiresIn, int? maxUses, string field)
    {
        using var admin = await fixture.AdminAsync();
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, "/admin/registration/initial-access-tokens", new { expires_in = expiresIn, max_uses = maxUses })))
            .ProblemAsync(HttpStatusCode.BadRequest, field);
    }
}

/// <summary>A server allowing two registrations per address and minute.</summary>
public sealed class RateLimitedRegistrationFixture : AuthServerFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:Registration:Policy"] = "open",
        ["Auth:Registration:AllowedScopes"] = OpenRegistrationFixture.AllowedScopes,
        ["Auth:Registration:PermitsPerMinutePerAddress"] = "2",
    };
}

public sealed class RegistrationRateLimitTests(RateLimitedRegistrationFixture fixture) : IClassFixture<RateLimitedRegistrationFixture>
{
    [Fact]
    public async Task Beyond_the_per_address_limit_registration_is_429_with_Retry_After()
    {
        await fixture.Client.RegisteredAsync(Registrations.McpClient());
        await fixture.Client.RegisteredAsync(Registrations.McpClient());

        using var response = await fixture.Client.RegisterAsync(Registrations.McpClient());
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(int.Parse(response.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        // Other endpoints are not limited.
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync("/.well-known/openid-configuration")).StatusCode);
    }
}
