using System.Net;
using System.Net.Http.Headers;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Admin;

/// <summary>
/// The admin API's only door: an access token of this server with the admin scope, for this server, obtained by
/// an enabled client for itself (RFC 6750 §3.1 answers; ASVS 10.3.1, CVE-2024-49755 in its bearer-only form).
/// </summary>
public sealed class AdminAccessTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    private const string AnyAdminRoute = "/admin/audit-events?limit=1";

    private async Task<HttpResponseMessage> GetWithAsync(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, AnyAdminRoute);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await server.Client.SendAsync(request);
    }

    [Fact]
    public async Task An_admin_token_opens_the_admin_api_and_the_answer_is_not_cached()
    {
        using var response = await GetWithAsync("Bearer " + await server.AdminTokenAsync());

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    [Fact]
    public async Task Without_a_token_it_is_401_with_a_bearer_challenge_and_no_error_code()
    {
        using var response = await GetWithAsync(null);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain("error=", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJBRE0iLCJjbGllbnRfaWQiOiJBRE0iLCJzY29wZSI6ImFkbWluIn0.")]
    [InlineData("Basic QURNOmFkbS1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==")]
    [InlineData("Bearer")]
    public async Task Anything_but_a_valid_token_of_this_server_is_401_invalid_token(string authorization)
    {
        using var response = await GetWithAsync(authorization);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_token_without_the_admin_scope_is_403_insufficient_scope()
    {
        var token = await server.AdminTokenAsync(AdminClients.NotAdmin, AdminClients.NotAdminSecret, scope: "api.read");

        using var response = await GetWithAsync("Bearer " + token);

        await response.ProblemAsync(HttpStatusCode.Forbidden);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"admin\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_not_allowed_the_admin_scope_cannot_obtain_it()
    {
        using var response = await server.Client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.NotAdmin, AdminClients.NotAdminSecret));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task An_admin_scoped_token_for_another_audience_is_401()
    {
        var token = await server.AdminTokenAsync(AdminClients.AdminElsewhere, AdminClients.AdminElsewhereSecret);

        using var response = await GetWithAsync("Bearer " + token);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_users_token_carrying_the_admin_scope_is_not_an_admin_token()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(AdminClients.AdminWeb, AdminClients.AdminWebRedirect, "openid admin", pkce);
        using var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, AdminClients.AdminWeb, AdminClients.AdminWebSecret, code, pkce.Verifier, AdminClients.AdminWebRedirect);
        var body = await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
        Assert.Contains("admin", body.GetProperty("scope").GetString()!.Split(' '));

        using var response = await GetWithAsync("Bearer " + body.GetProperty("access_token").GetString());

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_admin_token_is_401_at_once()
    {
        var token = await server.AdminTokenAsync();
        using (var revoked = await server.Client.RevokeAsync(token, Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret)))
        {
            await BackChannel.RevokedAsync(revoked);
        }

        using var response = await GetWithAsync("Bearer " + token);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Disabling_an_admin_client_closes_the_door_for_the_tokens_it_already_holds()
    {
        using var admin = await server.AdminAsync();
        var (clientId, secret) = await RegisterAdminClientAsync(admin, "adm-off");
        var token = await server.AdminTokenAsync(clientId, secret);
        using (var before = await GetWithAsync("Bearer " + token))
        {
            await before.ExpectAsync(HttpStatusCode.OK);
        }

        await (await admin.PostAsync($"/admin/clients/{clientId}/disable", null)).ExpectAsync(HttpStatusCode.OK);

        using var after = await GetWithAsync("Bearer " + token);
        await after.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Withdrawing_the_admin_scope_from_a_client_turns_its_existing_tokens_away_with_403()
    {
        using var admin = await server.AdminAsync();
        var (clientId, secret) = await RegisterAdminClientAsync(admin, "adm-less");
        var token = await server.AdminTokenAsync(clientId, secret);
        var settings = ClientAdmin.Service(clientId);
        settings["scope"] = "api.read";

        await (await admin.PutAsync($"/admin/clients/{clientId}", Infrastructure.Admin.Json(settings.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);

        using var after = await GetWithAsync("Bearer " + token);
        await after.ProblemAsync(HttpStatusCode.Forbidden);
    }

    private static async Task<(string ClientId, string Secret)> RegisterAdminClientAsync(HttpClient admin, string prefix)
    {
        var clientId = ClientAdmin.NewId(prefix);
        var body = ClientAdmin.Service(clientId);
        body["scope"] = "admin";
        var created = await (await admin.RegisterAsync(body)).ExpectAsync(HttpStatusCode.Created);
        return (clientId, created.GetProperty("client_secret").GetString()!);
    }

    [Fact]
    public async Task No_authentication_scheme_runs_by_default_so_other_endpoints_never_pay_for_it()
    {
        // With a single registered scheme ASP.NET Core would make it the default and run it on every request
        // (the token endpoint's included: it halved its throughput in the benchmark before this was fixed).
        var schemes = server.Factory.Services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();

        Assert.Null(await schemes.GetDefaultAuthenticateSchemeAsync());
        Assert.NotNull(await schemes.GetSchemeAsync(AuthService.WebApi.Admin.AdminAuthenticationHandler.SchemeName));
    }

    [Fact]
    public async Task The_token_goes_in_the_header_only_never_in_the_query()
    {
        var token = await server.AdminTokenAsync();

        using var response = await server.Client.GetAsync($"{AnyAdminRoute}&access_token={Uri.EscapeDataString(token)}");

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Every_admin_route_needs_the_token()
    {
        var sources = server.Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>();
        var adminRoutes = sources.Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/admin", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(adminRoutes);

        foreach (var endpoint in adminRoutes)
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment =>
                string.Concat(segment.Parts.Select(part => part is Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal ? literal.Content : "x"))));
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
                using var response = await server.Client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} without a token: {(int)response.StatusCode}");
            }
        }
    }
}

/// <summary>An admin token stops working when it expires (the server's own clock, no skew).</summary>
public sealed class AdminTokenExpiryTests
{
    [Fact]
    public async Task An_expired_admin_token_is_401()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, seedJson: AdminClients.SeedDocument().ToJsonString());
        using var tokenResponse = await server.Client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret));
        var token = (await OAuthAssert.TokenSuccessAsync(tokenResponse)).GetProperty("access_token").GetString()!;
        HttpRequestMessage Request() => new(HttpMethod.Get, "/admin/audit-events?limit=1") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

        using (var fresh = await server.Client.SendAsync(Request()))
        {
            await fresh.ExpectAsync(HttpStatusCode.OK);
        }

        server.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var expired = await server.Client.SendAsync(Request());

        await expired.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("error=\"invalid_token\"", expired.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
