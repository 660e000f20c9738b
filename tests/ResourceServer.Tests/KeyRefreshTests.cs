using AuthService.ResourceServer.Tests.Infrastructure;

namespace AuthService.ResourceServer.Tests;

/// <summary>
/// Metadata and JWKS caching: fetched once, refreshed on an unknown <c>kid</c> at most once per interval (a flood of
/// random kids cannot hammer the authority), refreshed on schedule, and the authority's issuer checked.
/// </summary>
public sealed class KeyRefreshTests : ApiTests
{
    [Fact]
    public async Task Metadata_and_keys_are_fetched_once_for_many_requests()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now))).Status);
        }

        Assert.Equal(1, Authority.MetadataRequests);
        Assert.Equal(1, Authority.JwksRequests);
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_at_most_once_per_interval_then_is_refused()
    {
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now))).Status);
        var stranger = TestSigningKey.Es256("unknown-1");

        // Just after a fetch, an unknown kid fetches nothing: the keys were read moments ago.
        (await Api.GetOrdersAsync(Tokens.Access(stranger, Now))).AssertError(401, "Bearer", "invalid_token");
        Assert.Equal(1, Authority.JwksRequests);

        Api.Clock.Advance(TimeSpan.FromSeconds(30));
        (await Api.GetOrdersAsync(Tokens.Access(stranger, Now))).AssertError(401, "Bearer", "invalid_token");
        Assert.Equal(2, Authority.JwksRequests);

        for (var i = 0; i < 20; i++)
        {
            (await Api.GetOrdersAsync(Tokens.Access(TestSigningKey.Es256("random-" + i), Now))).AssertError(401, "Bearer", "invalid_token");
        }

        Assert.Equal(2, Authority.JwksRequests);

        Api.Clock.Advance(TimeSpan.FromSeconds(30));
        (await Api.GetOrdersAsync(Tokens.Access(stranger, Now))).AssertError(401, "Bearer", "invalid_token");
        Assert.Equal(3, Authority.JwksRequests);
    }

    [Fact]
    public async Task A_key_rotated_in_is_picked_up_by_the_refresh_its_first_token_triggers()
    {
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now))).Status);
        var next = TestSigningKey.Es256("es-2");
        Authority.PublishedKeys.Add(next);
        Api.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(next, Now))).Status);
        Assert.Equal(2, Authority.JwksRequests);
    }

    [Fact]
    public async Task A_key_removed_from_the_JWKS_stops_working_at_the_scheduled_refresh()
    {
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Rs256, Now))).Status);
        Authority.PublishedKeys.Remove(Authority.Rs256);

        Api.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Rs256, Now))).Status);
        Api.Clock.Advance(TimeSpan.FromMinutes(1));
        (await Api.GetOrdersAsync(Tokens.Access(Authority.Rs256, Now))).AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task An_unreachableAuthority_answers_503_and_is_not_asked_again_at_once()
    {
        Authority.Down = true;

        var first = await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now));
        var second = await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now));

        Assert.Equal(503, first.Status);
        Assert.Equal("5", first.Headers.RetryAfter.ToString());
        Assert.Equal(503, second.Status);
        Assert.Equal(1, Authority.MetadataRequests);

        Authority.Down = false;
        Api.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now))).Status);
    }

    [Fact]
    public async Task When_a_refresh_fails_the_keys_already_known_keep_working()
    {
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now))).Status);
        Authority.Down = true;
        Api.Clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now))).Status);
        Assert.Equal(2, Authority.MetadataRequests);
    }

    // RFC 8414 §3.3: metadata naming another issuer is not used, so neither are its keys.
    [Fact]
    public async Task Metadata_stating_another_issuer_is_not_used()
    {
        Authority.MetadataIssuer = "https://evil.example";

        Assert.Equal(503, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now))).Status);
        Assert.Equal(0, Authority.JwksRequests);
    }

    [Fact]
    public async Task A_JWKS_larger_than_256_KiB_is_not_read()
    {
        Authority.JwksPadding = 256 * 1024;

        Assert.Equal(503, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now))).Status);

        Authority.JwksPadding = 200 * 1024;
        Api.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(200, (await Api.GetOrdersAsync(Tokens.Access(Authority.Es256, Now))).Status);
    }
}
