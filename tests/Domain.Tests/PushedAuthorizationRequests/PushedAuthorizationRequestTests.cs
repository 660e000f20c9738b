using AuthService.Domain.Common;
using AuthService.Domain.PushedAuthorizationRequests;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.PushedAuthorizationRequests;

public class PushedAuthorizationRequestTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private static readonly string Hash = OpaqueToken.HashOf("urn:ietf:params:oauth:request_uri:abc");

    private static Dictionary<string, string> Parameters(string clientId = "web") => new()
    {
        ["client_id"] = clientId,
        ["response_type"] = "code",
        ["scope"] = "openid",
    };

    private static PushedAuthorizationRequest Pushed() => PushedAuthorizationRequest.Push(Hash, "web", Parameters(), Now, Lifetime);

    [Fact]
    public void Push_keeps_the_hash_the_client_and_a_copy_of_the_parameters()
    {
        var parameters = Parameters();
        var pushed = PushedAuthorizationRequest.Push(Hash, "web", parameters, Now, Lifetime);
        parameters["scope"] = "changed";

        Assert.Equal((Hash, "web", Now, Now + Lifetime), (pushed.RequestUriHash, pushed.ClientId, pushed.PushedAt, pushed.ExpiresAt));
        Assert.Equal("openid", pushed.Parameters["scope"]);
        Assert.Null(pushed.ConsumedAt);
    }

    [Fact]
    public void Push_refuses_a_value_that_is_not_a_hash() =>
        AssertRefused("request_uri", () => PushedAuthorizationRequest.Push("urn:ietf:params:oauth:request_uri:abc", "web", Parameters(), Now, Lifetime));

    [Fact]
    public void Push_refuses_parameters_naming_another_client() =>
        AssertRefused("client_id", () => PushedAuthorizationRequest.Push(Hash, "web", Parameters("other"), Now, Lifetime));

    [Theory]
    [InlineData(0)]
    [InlineData(601)]
    public void Push_refuses_a_lifetime_outside_zero_to_ten_minutes(int seconds) =>
        AssertRefused("expires_in", () => PushedAuthorizationRequest.Push(Hash, "web", Parameters(), Now, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Push_refuses_a_local_time() =>
        AssertRefused("now", () => PushedAuthorizationRequest.Push(Hash, "web", Parameters(), Now.ToOffset(TimeSpan.FromHours(2)), Lifetime));

    [Fact]
    public void Open_by_the_pushing_client_before_expiry_changes_nothing_so_a_reload_opens_it_again()
    {
        var pushed = Pushed();

        Assert.Equal(PushedRequestUse.Usable, pushed.Open("web", Now.AddSeconds(10)));
        Assert.Equal(PushedRequestUse.Usable, pushed.Open("web", Now.AddSeconds(59)));
        Assert.Null(pushed.ConsumedAt);
    }

    [Fact]
    public void Open_at_exactly_the_expiry_is_Expired() =>
        Assert.Equal(PushedRequestUse.Expired, Pushed().Open("web", Now + Lifetime));

    [Fact]
    public void Open_by_another_client_is_WrongClient() =>
        Assert.Equal(PushedRequestUse.WrongClient, Pushed().Open("other", Now));

    [Fact]
    public void Consume_after_a_timely_open_marks_it_used_even_when_the_sign_in_outlasted_the_request_uri()
    {
        var pushed = Pushed();

        Assert.Equal(PushedRequestUse.Consumed, pushed.Consume("web", Now.AddSeconds(59), Now.AddMinutes(5)));
        Assert.Equal(Now.AddMinutes(5), pushed.ConsumedAt);
    }

    [Fact]
    public void Consume_twice_reports_already_used_and_open_then_refuses()
    {
        var pushed = Pushed();
        pushed.Consume("web", Now, Now.AddSeconds(5));

        Assert.Equal(PushedRequestUse.AlreadyUsed, pushed.Consume("web", Now, Now.AddSeconds(6)));
        Assert.Equal(PushedRequestUse.AlreadyUsed, pushed.Open("web", Now.AddSeconds(7)));
        Assert.Equal(Now.AddSeconds(5), pushed.ConsumedAt);
    }

    [Fact]
    public void Consume_by_another_client_changes_nothing()
    {
        var pushed = Pushed();

        Assert.Equal(PushedRequestUse.WrongClient, pushed.Consume("other", Now, Now));
        Assert.Null(pushed.ConsumedAt);
        Assert.Equal(PushedRequestUse.Consumed, pushed.Consume("web", Now, Now));
    }

    [Fact]
    public void Consume_of_a_request_not_opened_within_its_lifetime_is_Expired()
    {
        var pushed = Pushed();

        Assert.Equal(PushedRequestUse.Expired, pushed.Consume("web", Now + Lifetime, Now + Lifetime));
        Assert.Equal(PushedRequestUse.Expired, pushed.Consume("web", Now.AddSeconds(-1), Now));
        Assert.Null(pushed.ConsumedAt);
    }

    [Fact]
    public void Consume_refuses_an_opening_after_now() =>
        AssertRefused("opened_at", () => Pushed().Consume("web", Now.AddSeconds(2), Now.AddSeconds(1)));

    [Fact]
    public void Another_client_is_reported_before_replay_or_expiry()
    {
        var pushed = Pushed();
        pushed.Consume("web", Now, Now);

        Assert.Equal(PushedRequestUse.WrongClient, pushed.Consume("other", Now + Lifetime, Now + Lifetime));
    }
}
