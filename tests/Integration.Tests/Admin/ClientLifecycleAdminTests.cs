using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Admin;

/// <summary>
/// <c>/admin/clients</c> life cycle: disable/enable and delete as the token endpoint sees them, secret rotation
/// with a grace period, revocation of one secret, the admin client's protection against locking itself out,
/// and the audit trail of each change.
/// </summary>
public sealed class ClientLifecycleAdminTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task A_disabled_client_is_refused_at_the_token_endpoint_until_enabled_again()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("dis");
        var secret = await admin.RegisterServiceAsync(clientId);
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, secret);

        var disabled = await admin.PostAsync($"/admin/clients/{clientId}/disable", null);
        Assert.False((await disabled.ExpectAsync(HttpStatusCode.OK)).GetProperty("enabled").GetBoolean());
        await ClientAdmin.AssertInvalidClientAsync(server, clientId, secret);
        await (await admin.PostAsync($"/admin/clients/{clientId}/disable", null)).ProblemAsync(HttpStatusCode.BadRequest, "enabled");

        // A stale If-Match is refused before the state is looked at.
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, $"/admin/clients/{clientId}/enable", ifMatch: "\"0\"")))
            .ProblemAsync(HttpStatusCode.PreconditionFailed);
        var enabled = await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, $"/admin/clients/{clientId}/enable", ifMatch: ClientAdmin.ETagOf(disabled)));
        Assert.True((await enabled.ExpectAsync(HttpStatusCode.OK)).GetProperty("enabled").GetBoolean());
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, secret);
        await (await admin.PostAsync($"/admin/clients/{clientId}/enable", null)).ProblemAsync(HttpStatusCode.BadRequest, "enabled");

        await admin.AssertAuditedAsync("client", clientId, "client.disabled");
        await admin.AssertAuditedAsync("client", clientId, "client.enabled");
    }

    [Fact]
    public async Task A_deleted_client_is_gone_and_refused_and_a_new_client_with_its_id_inherits_no_grant()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("del");
        const string redirect = "https://del.example/cb";
        var body = ClientAdmin.Service(clientId);
        body["grant_types"] = new JsonArray("authorization_code", "refresh_token", "client_credentials");
        body["redirect_uris"] = new JsonArray(redirect);
        body["scope"] = "openid offline_access api.read";
        var secret = (await (await admin.RegisterAsync(body)).ExpectAsync(HttpStatusCode.Created)).GetProperty("client_secret").GetString()!;

        // Alice signs in and consents; the client holds a refresh token.
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(clientId, redirect, "openid offline_access api.read", pkce);
        var tokens = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(server.Client, clientId, secret, code, pkce.Verifier, redirect), codeFlow: true);
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Delete, $"/admin/clients/{clientId}", ifMatch: "\"7\"")))
            .ProblemAsync(HttpStatusCode.PreconditionFailed);
        var deleted = await admin.DeleteAsync($"/admin/clients/{clientId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        await (await admin.GetAsync($"/admin/clients/{clientId}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/admin/clients/{clientId}")).ProblemAsync(HttpStatusCode.NotFound);
        await ClientAdmin.AssertInvalidClientAsync(server, clientId, secret);
        await admin.AssertAuditedAsync("client", clientId, "client.deleted");

        // Registered again under the same id: the old refresh token is worth nothing, and consent is asked again.
        var reborn = (await (await admin.RegisterAsync(body)).ExpectAsync(HttpStatusCode.Created)).GetProperty("client_secret").GetString()!;
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RefreshAsync(server.Client, clientId, reborn, refreshToken), HttpStatusCode.BadRequest, "invalid_grant");
        var again = await browser.GetAsync(Browser.AuthorizeUrl(clientId, redirect, "openid offline_access api.read", PkcePair.New()));
        Assert.Contains("name=\"decision\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_rotation_with_a_grace_period_both_secrets_work()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("rot");
        var oldSecret = await admin.RegisterServiceAsync(clientId);
        var before = await admin.GetAsync($"/admin/clients/{clientId}");

        var response = await admin.SendAsync(Infrastructure.Admin.Request(
            HttpMethod.Post, $"/admin/clients/{clientId}/secrets", new JsonObject { ["previous_secrets_expire_in"] = 3600 }.ToJsonString(), ClientAdmin.ETagOf(before)));
        var rotated = await response.ExpectAsync(HttpStatusCode.Created);

        var newSecret = rotated.GetProperty("client_secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.True(newSecret.Length >= 43);
        Assert.NotEqual(ClientAdmin.ETagOf(before), ClientAdmin.ETagOf(response));
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, oldSecret);
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, newSecret);

        var secrets = (await (await admin.GetAsync($"/admin/clients/{clientId}/secrets")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, secrets.Count);
        Assert.All(secrets, s => Assert.True(s.GetProperty("active").GetBoolean()));
        // The store keeps microseconds; the response was computed with the clock's full precision.
        Assert.Equal(rotated.GetProperty("previous_secrets_expire_at").GetDateTimeOffset(), secrets[0].GetProperty("expires_at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(JsonValueKind.Null, secrets[1].GetProperty("expires_at").ValueKind);
        Assert.Equal(rotated.GetProperty("id").GetString(), secrets[1].GetProperty("id").GetString());
        Assert.DoesNotContain(newSecret, (await admin.GetClientAsync(clientId)).ToString(), StringComparison.Ordinal);

        var audited = await admin.AssertAuditedAsync("client", clientId, "client.secret_rotated");
        Assert.Equal(rotated.GetProperty("id").GetString(), audited.GetProperty("details").GetProperty("secret_id").GetString());

        // A stale If-Match rotates nothing.
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, $"/admin/clients/{clientId}/secrets", "{}", ClientAdmin.ETagOf(before))))
            .ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(2, (await admin.GetClientAsync(clientId)).GetProperty("secrets").GetArrayLength());
    }

    [Fact]
    public async Task A_rotation_without_grace_stops_the_old_secret_at_once()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("rot0");
        var oldSecret = await admin.RegisterServiceAsync(clientId);

        var rotated = await (await admin.PostAsync($"/admin/clients/{clientId}/secrets",
            Infrastructure.Admin.Json("{\"previous_secrets_expire_in\":0}"))).ExpectAsync(HttpStatusCode.Created);

        await ClientAdmin.AssertInvalidClientAsync(server, clientId, oldSecret);
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, rotated.GetProperty("client_secret").GetString()!);
        var secret = Assert.Single((await admin.GetClientAsync(clientId)).GetProperty("secrets").EnumerateArray());
        Assert.Equal(rotated.GetProperty("id").GetString(), secret.GetProperty("id").GetString());
    }

    [Fact]
    public async Task After_a_short_grace_period_the_old_secret_stops()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("rot2");
        var oldSecret = await admin.RegisterServiceAsync(clientId);

        var rotated = await (await admin.PostAsync($"/admin/clients/{clientId}/secrets",
            Infrastructure.Admin.Json("{\"previous_secrets_expire_in\":2}"))).ExpectAsync(HttpStatusCode.Created);
        var newSecret = rotated.GetProperty("client_secret").GetString()!;

        await Poll.UntilAsync(
            () => ClientAdmin.TokenAsync(server, clientId, oldSecret),
            response => response.StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(30),
            "the previous secret to stop authenticating after its grace period",
            response => $"{(int)response.StatusCode}");
        await ClientAdmin.AssertInvalidClientAsync(server, clientId, oldSecret);
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, newSecret);
        var secrets = (await admin.GetClientAsync(clientId)).GetProperty("secrets").EnumerateArray().ToList();
        Assert.False(secrets.Single(s => s.GetProperty("id").GetString() != rotated.GetProperty("id").GetString()).GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2592001)]
    public async Task A_grace_period_out_of_bounds_is_a_400_naming_it(int seconds)
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("rotbad");
        var secret = await admin.RegisterServiceAsync(clientId);

        await (await admin.PostAsync($"/admin/clients/{clientId}/secrets", Infrastructure.Admin.Json($"{{\"previous_secrets_expire_in\":{seconds}}}")))
            .ProblemAsync(HttpStatusCode.BadRequest, "previous_secrets_expire_in");
        await (await admin.PostAsync($"/admin/clients/{clientId}/secrets", Infrastructure.Admin.Json("{\"expires_at\":\"2030-01-01T00:00:00Z\"}")))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Single((await admin.GetClientAsync(clientId)).GetProperty("secrets").EnumerateArray());
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, secret);
    }

    [Fact]
    public async Task A_public_client_cannot_get_a_secret()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("pubsec");
        await (await admin.RegisterAsync(ClientAdmin.Browser(clientId))).ExpectAsync(HttpStatusCode.Created);

        await (await admin.PostAsync($"/admin/clients/{clientId}/secrets", null)).ProblemAsync(HttpStatusCode.BadRequest, "client_secret");
        Assert.Empty((await admin.GetClientAsync(clientId)).GetProperty("secrets").EnumerateArray());
    }

    [Fact]
    public async Task Rotations_beyond_five_valid_secrets_are_refused()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("max");
        await admin.RegisterServiceAsync(clientId);
        for (var i = 0; i < 4; i++)
        {
            await (await admin.PostAsync($"/admin/clients/{clientId}/secrets", null)).ExpectAsync(HttpStatusCode.Created);
        }

        await (await admin.PostAsync($"/admin/clients/{clientId}/secrets", null)).ProblemAsync(HttpStatusCode.BadRequest, "client_secret");
        Assert.Equal(5, (await admin.GetClientAsync(clientId)).GetProperty("secrets").GetArrayLength());
        await (await admin.PostAsync($"/admin/clients/{clientId}/secrets", Infrastructure.Admin.Json("{\"previous_secrets_expire_in\":0}"))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(1, (await admin.GetClientAsync(clientId)).GetProperty("secrets").GetArrayLength());
    }

    [Fact]
    public async Task Revoking_one_secret_stops_it_at_once_but_the_last_active_one_cannot_be_revoked()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("rev");
        var oldSecret = await admin.RegisterServiceAsync(clientId);
        var oldId = (await admin.GetClientAsync(clientId)).GetProperty("secrets")[0].GetProperty("id").GetString();
        var rotated = await (await admin.PostAsync($"/admin/clients/{clientId}/secrets", null)).ExpectAsync(HttpStatusCode.Created);
        var newSecret = rotated.GetProperty("client_secret").GetString()!;
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, oldSecret);

        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Delete, $"/admin/clients/{clientId}/secrets/{oldId}", ifMatch: "\"0\"")))
            .ProblemAsync(HttpStatusCode.PreconditionFailed);
        var revoked = await admin.DeleteAsync($"/admin/clients/{clientId}/secrets/{oldId}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        await ClientAdmin.AssertInvalidClientAsync(server, clientId, oldSecret);
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, newSecret);
        await (await admin.DeleteAsync($"/admin/clients/{clientId}/secrets/{oldId}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/admin/clients/{clientId}/secrets/not-a-guid")).ProblemAsync(HttpStatusCode.NotFound);

        var problem = await (await admin.DeleteAsync($"/admin/clients/{clientId}/secrets/{rotated.GetProperty("id").GetString()}"))
            .ProblemAsync(HttpStatusCode.BadRequest, "secret_id");
        Assert.Contains("disable the client", problem.GetProperty("errors").GetProperty("secret_id")[0].GetString(), StringComparison.Ordinal);
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, newSecret);

        var audited = await admin.AssertAuditedAsync("client", clientId, "client.secret_revoked");
        Assert.Equal(oldId, audited.GetProperty("details").GetProperty("secret_id").GetString());
    }

    [Fact]
    public async Task The_admin_client_cannot_disable_or_delete_itself_nor_drop_its_admin_scope()
    {
        var admin = await server.AdminAsync();
        var self = $"/admin/clients/{AdminClients.Admin}";

        await (await admin.PostAsync(self + "/disable", null)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.DeleteAsync(self)).ProblemAsync(HttpStatusCode.Forbidden);
        var update = ClientAdmin.Service(AdminClients.Admin);
        update["scope"] = "api.read";
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, self, update.ToJsonString()))).ProblemAsync(HttpStatusCode.Forbidden);

        var stored = await admin.GetClientAsync(AdminClients.Admin);
        Assert.True(stored.GetProperty("enabled").GetBoolean());
        Assert.Equal("admin", stored.GetProperty("scope").GetString());
        await OAuthAssert.TokenSuccessAsync(await server.Client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret)));

        // The protection is against oneself only: another admin client may be disabled.
        var other = ClientAdmin.NewId("adm2");
        var otherBody = ClientAdmin.Service(other);
        otherBody["scope"] = "admin";
        await admin.RegisterAsync(otherBody);
        await (await admin.PostAsync($"/admin/clients/{other}/disable", null)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_kind_of_change_is_audited_with_the_acting_admin_client()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("audit");
        await admin.RegisterServiceAsync(clientId);
        var update = ClientAdmin.Service(clientId);
        update["client_name"] = "Audited";
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", update.ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"/admin/clients/{clientId}/disable", null)).ExpectAsync(HttpStatusCode.OK);
        await (await admin.PostAsync($"/admin/clients/{clientId}/enable", null)).ExpectAsync(HttpStatusCode.OK);
        var firstId = (await admin.GetClientAsync(clientId)).GetProperty("secrets")[0].GetProperty("id").GetString();
        await (await admin.PostAsync($"/admin/clients/{clientId}/secrets", null)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/clients/{clientId}/secrets/{firstId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/clients/{clientId}")).StatusCode);

        foreach (var eventType in new[] { "client.created", "client.updated", "client.disabled", "client.enabled", "client.secret_rotated", "client.secret_revoked", "client.deleted" })
        {
            var entry = await admin.AssertAuditedAsync("client", clientId, eventType);
            Assert.Equal(clientId, entry.GetProperty("subject_id").GetString());
        }

        var all = await admin.AuditAsync($"subject={clientId}");
        Assert.Equal(7, all.Count);
        Assert.DoesNotContain(all, e => e.ToString().Contains("client_secret\"", StringComparison.Ordinal));
    }
}
