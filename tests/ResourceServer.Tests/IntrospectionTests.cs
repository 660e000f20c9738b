using AuthService.ResourceServer.Tests.Infrastructure;

namespace AuthService.ResourceServer.Tests;

/// <summary>Introspection (RFC 7662) on endpoints marked <c>RequireActiveToken()</c>, with a short cache keyed by the token's hash.</summary>
public sealed class IntrospectionTests : ApiTests
{
    private Task<ApiResponse> CancelAsync(string token) => Api.SendAsync("DELETE", "/orders/1", "Bearer " + token);

    [Fact]
    public async Task An_active_token_passes_and_the_API_authenticates_with_client_secret_basic()
    {
        Assert.Equal(204, (await CancelAsync(Tokens.Access(Authority.Es256, Now))).Status);

        Assert.Equal(1, Authority.IntrospectionRequests);

        // RFC 6749 §2.3.1: the id (a URL here) and the secret are form-encoded before Basic.
        var expected = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("https%3A%2F%2Fapi.example.com%2Forders:" + FakeAuthority.ApiClientSecret));
        Assert.Equal("Basic " + expected, Authority.LastIntrospectionAuthorization);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_where_introspection_is_required_and_accepted_elsewhere()
    {
        var token = Tokens.Access(Authority.Es256, Now);
        Authority.RevokedTokens.Add(token);

        (await CancelAsync(token)).AssertError(401, "Bearer", "invalid_token");
        Assert.Equal(200, (await Api.GetOrdersAsync(token)).Status);
        Assert.Equal(1, Authority.IntrospectionRequests);
    }

    [Fact]
    public async Task Answers_are_cached_for_the_configured_time_then_asked_again()
    {
        var token = Tokens.Access(Authority.Es256, Now);
        Assert.Equal(204, (await CancelAsync(token)).Status);
        Authority.RevokedTokens.Add(token);

        Api.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(204, (await CancelAsync(token)).Status);
        Assert.Equal(1, Authority.IntrospectionRequests);

        Api.Clock.Advance(TimeSpan.FromSeconds(1));
        (await CancelAsync(token)).AssertError(401, "Bearer", "invalid_token");
        Assert.Equal(2, Authority.IntrospectionRequests);
    }

    [Fact]
    public async Task The_cache_is_per_token()
    {
        Assert.Equal(204, (await CancelAsync(Tokens.Access(Authority.Es256, Now))).Status);
        var other = Tokens.Access(Authority.Es256, Now);
        Authority.RevokedTokens.Add(other);

        (await CancelAsync(other)).AssertError(401, "Bearer", "invalid_token");
        Assert.Equal(2, Authority.IntrospectionRequests);
    }

    [Fact]
    public async Task A_token_refused_locally_is_not_introspected()
    {
        (await CancelAsync(Tokens.Access(Authority.Es256, Now, payload: p => p["aud"] = "https://other.example"))).AssertError(401, "Bearer", "invalid_token");

        Assert.Equal(0, Authority.IntrospectionRequests);
    }

    [Fact]
    public async Task When_the_introspection_endpoint_fails_the_answer_is_503_not_a_pass()
    {
        var token = Tokens.Access(Authority.Es256, Now);
        Assert.Equal(200, (await Api.GetOrdersAsync(token)).Status);
        Authority.Down = true;

        Assert.Equal(503, (await CancelAsync(token)).Status);
    }

    [Fact]
    public async Task Wrong_API_credentials_fail_closed()
    {
        await using var misconfigured = await ProtectedApi.StartAsync(Authority, o => o.Introspection.ClientSecret = "wrong-secret-0123456789");

        Assert.Equal(503, (await misconfigured.SendAsync("DELETE", "/orders/1", "Bearer " + Tokens.Access(Authority.Es256, misconfigured.Clock.GetUtcNow()))).Status);
    }

    [Fact]
    public async Task Without_introspection_credentials_a_route_that_requires_it_fails_closed()
    {
        await using var unconfigured = await ProtectedApi.StartAsync(Authority, o =>
        {
            o.Introspection.ClientId = null;
            o.Introspection.ClientSecret = null;
        });

        Assert.Equal(503, (await unconfigured.SendAsync("DELETE", "/orders/1", "Bearer " + Tokens.Access(Authority.Es256, unconfigured.Clock.GetUtcNow()))).Status);
        Assert.Equal(0, Authority.IntrospectionRequests);
    }
}
