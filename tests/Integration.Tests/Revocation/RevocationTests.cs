using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Revocation;

/// <summary>
/// Token revocation (RFC 7009 §2.2 §2.1, GHSA-7mqr-2v3q-v2wm): a client revokes its own
/// access tokens, introspection honours the denylist at once, and a revocation is never reported that
/// did not happen.
/// </summary>
public sealed class RevocationTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private const string Challenge = "Basic realm=\"AuthService\", charset=\"UTF-8\"";

    private readonly HttpClient _client = server.Client;

    private Task<long> DenylistRowsAsync(string jti) =>
        server.Database.ScalarAsync<long>("SELECT count(*) FROM revoked_access_tokens WHERE jti = @jti", ("jti", jti));

    private Task<long> DenylistRowsAsync() => server.Database.ScalarAsync<long>("SELECT count(*) FROM revoked_access_tokens");

    // RFC 7009 §2.1, §2.2, docs/adr/0009.
    [Fact]
    public async Task A_client_revokes_its_own_token_and_introspection_reports_it_inactive()
    {
        var token = await _client.C1TokenAsync();
        var jwt = AccessTokens.Read(token);
        await BackChannel.ActiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));

        await BackChannel.RevokedAsync(await _client.RevokeAsync(token, BackChannel.C1Basic));

        await BackChannel.InactiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
        var row = Assert.Single(await server.Database.QueryAsync(
            "SELECT client_id, extract(epoch FROM expires_at)::bigint FROM revoked_access_tokens WHERE jti = @jti", ("jti", jwt.Id)));
        Assert.Equal(TestClients.C1, row[0]);
        Assert.Equal(jwt.GetPayloadValue<long>("exp"), (long)row[1]);

        // Revocation ends that token only: the client gets new ones, and they are active.
        var next = await _client.C1TokenAsync();
        Assert.NotEqual(jwt.Id, AccessTokens.Read(next).Id);
        await BackChannel.ActiveAsync(await _client.IntrospectAsync(next, BackChannel.C1Basic));

        // Revoking twice is harmless (RFC 7009 §2.2) and stores nothing more.
        await BackChannel.RevokedAsync(await _client.RevokeAsync(token, BackChannel.C1Basic));
        Assert.Equal(1L, await DenylistRowsAsync(jwt.Id));
        await BackChannel.InactiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
    }

    // client_secret_post authenticates here as at the token endpoint.
    [Fact]
    public async Task A_client_authenticating_in_the_body_revokes_its_own_token()
    {
        var token = (await OAuthAssert.TokenSuccessAsync(await _client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", TestClients.CP), ("client_secret", TestClients.CPSecret)))))
            .GetProperty("access_token").GetString()!;

        await BackChannel.RevokedAsync(await _client.PostTokenAsync(
            Protocol.Form(("token", token), ("token_type_hint", "access_token"), ("client_id", TestClients.CP), ("client_secret", TestClients.CPSecret)),
            path: BackChannel.RevocationPath));

        Assert.Equal(1L, await DenylistRowsAsync(AccessTokens.Read(token).Id));
    }

    // RFC 7009 §2.1: refused, and the token stays active.
    [Fact]
    public async Task Another_client_cannot_revoke_a_token_and_it_stays_active()
    {
        var token = await _client.C1TokenAsync();

        var response = await _client.RevokeAsync(token, BackChannel.C2Basic);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal(0L, await DenylistRowsAsync(AccessTokens.Read(token).Id));
        await BackChannel.ActiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
    }

    public static TheoryData<string, string> GarbageTokens => new()
    {
        { "unknown", "abc" },
        { "three segments", "a.b.c" },
        { "9 KB", new string('a', 9 * 1024) },
        { "JWE-shaped (5 parts)", "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.ZW5j.aXY.Y2lwaGVy.dGFn" },
        { "unsigned", "eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJDMSIsImNsaWVudF9pZCI6IkMxIiwianRpIjoieCJ9." },
    };

    // RFC 7009 §2.2: nothing to revoke is success, and nothing is stored.
    [Theory]
    [MemberData(nameof(GarbageTokens))]
    public async Task An_unknown_or_garbage_token_is_200(string kind, string token)
    {
        var before = await DenylistRowsAsync();

        var response = await _client.RevokeAsync(token, BackChannel.C1Basic);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{kind}: {(int)response.StatusCode}");
        await BackChannel.RevokedAsync(response);
        Assert.Equal(before, await DenylistRowsAsync());
    }

    // RFC 6749 §3.1: a parameter without a value is treated as omitted.
    // RFC 7009 §2.2: an expired token needs nothing; it is answered 200 and not stored. (Signed with the
    // server's own key, so only the expiry differs from a token the server issued.)
    [Fact]
    public async Task An_expired_token_is_200_and_not_stored()
    {
        var token = await _client.C1TokenAsync();
        using var keys = await ServerSigningKeys.LoadAsync(server.Database);
        var payload = Jose.Payload(token);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        payload["iat"] = now - 600;
        payload["nbf"] = now - 600;
        payload["exp"] = now - 300;
        var expired = keys.SignEs256(Jose.Header(token), payload.ToJsonString());

        await BackChannel.RevokedAsync(await _client.RevokeAsync(expired, BackChannel.C1Basic));

        Assert.Equal(0L, await DenylistRowsAsync(AccessTokens.Read(token).Id));
        await BackChannel.ActiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
    }

    [Theory]
    [InlineData("token_type_hint=access_token")]
    [InlineData("token=")]
    public async Task A_missing_or_empty_token_is_invalid_request(string body)
    {
        var response = await _client.PostTokenAsync(body, BackChannel.C1Basic, BackChannel.RevocationPath);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_wrong_secret_over_basic_is_401_invalid_client()
    {
        var token = await _client.C1TokenAsync();

        var response = await _client.RevokeAsync(token, Protocol.Basic(TestClients.C1, "wrong-secret-0123456789"));

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(Challenge, response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0L, await DenylistRowsAsync(AccessTokens.Read(token).Id));
        await BackChannel.ActiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
    }

    // Like the token endpoint (RFC 6749 §5.2): body credentials give 400, without a challenge.
    [Fact]
    public async Task A_wrong_secret_in_the_body_is_400_invalid_client()
    {
        var response = await _client.PostTokenAsync(
            Protocol.Form(("token", "abc"), ("client_id", TestClients.CP), ("client_secret", "wrong-secret-0123456789")), path: BackChannel.RevocationPath);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    // RFC 7009 §2.1: the client must authenticate.
    [Fact]
    public async Task Revocation_without_client_authentication_is_invalid_client()
    {
        var token = await _client.C1TokenAsync();

        var response = await _client.RevokeAsync(token, authorization: null);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");
        Assert.Equal(0L, await DenylistRowsAsync(AccessTokens.Read(token).Id));
    }

    [Fact]
    public async Task Get_is_405()
    {
        var response = await _client.GetAsync(BackChannel.RevocationPath + "?token=abc");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    // Racing revocations of one token all succeed and store exactly one entry.
    [Fact]
    public async Task Twenty_concurrent_revocations_of_one_token_all_succeed_and_store_one_row()
    {
        var token = await _client.C1TokenAsync();
        var jti = AccessTokens.Read(token).Id;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _client.RevokeAsync(token, BackChannel.C1Basic))));

        var statuses = await Task.WhenAll(responses.Select(async r => $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}"));
        Assert.All(statuses, status => Assert.Equal("200 ", status));
        Assert.Equal(1L, await DenylistRowsAsync(jti));
        await BackChannel.InactiveAsync(await _client.IntrospectAsync(token, BackChannel.C1Basic));
    }

    // GHSA-7mqr-2v3q-v2wm, ASVS 16.5.3: with the database gone, a revocation is not reported as done, and introspection
    // cannot consult the denylist, so it fails closed instead of calling the token active.
    [Fact]
    public async Task With_the_database_gone_revocation_and_introspection_fail_closed()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var outage = new InProcessServer(database, TestClients.SeedJson());
        using var client = outage.Start();
        var token = await client.C1TokenAsync();
        await BackChannel.ActiveAsync(await client.IntrospectAsync(token, BackChannel.C1Basic));

        await database.DropAsync();

        await BackChannel.UnavailableAsync(await client.RevokeAsync(token, BackChannel.C1Basic), database.Name);
        await BackChannel.UnavailableAsync(await client.IntrospectAsync(token, BackChannel.C1Basic), database.Name);
    }
}
