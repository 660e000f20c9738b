using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.AuthorizationCodes.Events;
using AuthService.Domain.Common;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.AuthorizationCodes;

public class AuthorizationCodeTests
{
    // RFC 7636 Appendix B.
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private const string OtherVerifier = "eBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    private const string ClientId = "spa";
    private const string RedirectUri = "https://c1.example/cb";

    private static readonly string CodeHash = OpaqueToken.HashOf("the-code");
    private static readonly Guid SessionId = new("0b6f8a55-3c1d-4e2f-8a9b-7c6d5e4f3a21");
    private static readonly Guid FamilyId = new("9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a");
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset AuthTime = Now.AddMinutes(-3);
    private static readonly DateTimeOffset Expiry = Now + Lifetime;
    private static readonly DateTimeOffset Soon = Now.AddSeconds(10);

    private static AuthorizationCodeGrant Grant(bool redirectUriWasSent = true) => new(
        ClientId: ClientId,
        UserId: UserId,
        SessionId: SessionId,
        RedirectUri: RedirectUri,
        RedirectUriWasSent: redirectUriWasSent,
        Scopes: ["openid", "api.read"],
        CodeChallenge: Challenge,
        Nonce: "n-0S6_WzA2Mj",
        AuthTime: AuthTime);

    private static AuthorizationCode Issued(bool redirectUriWasSent = true) =>
        AuthorizationCode.Issue(CodeHash, Grant(redirectUriWasSent), Now, Lifetime);

    private static IssuedFromCode Tokens(Guid? familyId = null) => new("jti-1", Soon.AddMinutes(5), familyId ?? FamilyId);

    private static AuthorizationCode Redeemed(bool redirectUriWasSent = true)
    {
        var code = Issued(redirectUriWasSent);
        code.Redeem(Tokens(), Soon);
        code.ClearDomainEvents();
        return code;
    }

    // ---- Issue ----

    [Fact]
    public void Issue_binds_the_code_to_the_grant()
    {
        var code = Issued();

        Assert.Equal(CodeHash, code.CodeHash);
        Assert.Equal(ClientId, code.ClientId);
        Assert.Equal(UserId, code.UserId);
        Assert.Equal(SessionId, code.SessionId);
        Assert.Equal(RedirectUri, code.RedirectUri);
        Assert.True(code.RedirectUriWasSent);
        Assert.Equal(["openid", "api.read"], code.Scopes);
        Assert.Equal(Challenge, code.CodeChallenge);
        Assert.Equal("n-0S6_WzA2Mj", code.Nonce);
        Assert.Equal(AuthTime, code.AuthTime);
        Assert.Equal(Now, code.IssuedAt);
        Assert.Equal(Now.AddMinutes(1), code.ExpiresAt);
        Assert.Null(code.RedeemedAt);
        Assert.Null(code.AccessTokenId);
        Assert.Null(code.AccessTokenExpiresAt);
        Assert.Null(code.RefreshTokenFamilyId);
        Assert.Null(code.ReplayDetectedAt);
    }

    [Fact]
    public void Issue_remembers_that_the_redirect_uri_was_not_sent() =>
        Assert.False(Issued(redirectUriWasSent: false).RedirectUriWasSent);

    [Fact]
    public void Issue_without_nonce_keeps_none() =>
        Assert.Null(AuthorizationCode.Issue(CodeHash, Grant() with { Nonce = null }, Now, Lifetime).Nonce);

    [Fact]
    public void Issue_copies_the_scopes()
    {
        var scopes = new List<string> { "openid" };

        var code = AuthorizationCode.Issue(CodeHash, Grant() with { Scopes = scopes }, Now, Lifetime);
        scopes.Add("admin");

        Assert.Equal(["openid"], code.Scopes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")] // 42
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cMM")] // 44
    public void Issue_with_a_code_hash_of_the_wrong_length_is_refused(string? codeHash) =>
        AssertRefused("code", () => AuthorizationCode.Issue(codeHash!, Grant(), Now, Lifetime));

    [Fact]
    public void Issue_with_the_raw_code_instead_of_its_hash_is_refused() =>
        AssertRefused("code", () => AuthorizationCode.Issue("the-code", Grant(), Now, Lifetime));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Issue_without_client_is_refused(string? clientId) =>
        AssertRefused("client_id", () => AuthorizationCode.Issue(CodeHash, Grant() with { ClientId = clientId! }, Now, Lifetime));

    [Fact]
    public void Issue_without_user_is_refused() =>
        AssertRefused("user", () => AuthorizationCode.Issue(CodeHash, Grant() with { UserId = Guid.Empty }, Now, Lifetime));

    [Fact]
    public void Issue_without_session_is_refused() =>
        AssertRefused("sid", () => AuthorizationCode.Issue(CodeHash, Grant() with { SessionId = Guid.Empty }, Now, Lifetime));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Issue_without_redirect_uri_is_refused(string? redirectUri) =>
        AssertRefused("redirect_uri", () => AuthorizationCode.Issue(CodeHash, Grant() with { RedirectUri = redirectUri! }, Now, Lifetime));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c")] // 42
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=")] // padded
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")] // standard base64
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw/cM")]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk.")] // a plain verifier, 44
    public void Issue_with_a_malformed_challenge_is_refused(string? challenge) =>
        AssertRefused("code_challenge", () => AuthorizationCode.Issue(CodeHash, Grant() with { CodeChallenge = challenge! }, Now, Lifetime));

    [Fact]
    public void Issue_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => AuthorizationCode.Issue(CodeHash, Grant(), Now.ToOffset(TimeSpan.FromHours(2)), Lifetime));

    [Fact]
    public void Issue_with_non_utc_auth_time_is_refused() =>
        AssertRefused("auth_time", () => AuthorizationCode.Issue(CodeHash, Grant() with { AuthTime = AuthTime.ToOffset(TimeSpan.FromHours(-5)) }, Now, Lifetime));

    [Fact]
    public void Issue_with_auth_time_after_now_is_refused() =>
        AssertRefused("auth_time", () => AuthorizationCode.Issue(CodeHash, Grant() with { AuthTime = Now.AddTicks(1) }, Now, Lifetime));

    [Fact]
    public void Issue_with_auth_time_equal_to_now_is_accepted() =>
        Assert.Equal(Now, AuthorizationCode.Issue(CodeHash, Grant() with { AuthTime = Now }, Now, Lifetime).AuthTime);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(600_001)]
    [InlineData(3_600_000)]
    public void Issue_with_a_lifetime_outside_0_to_10_minutes_is_refused(int milliseconds) =>
        AssertRefused("lifetime", () => AuthorizationCode.Issue(CodeHash, Grant(), Now, TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Issue_with_a_lifetime_one_tick_over_10_minutes_is_refused() =>
        AssertRefused("lifetime", () => AuthorizationCode.Issue(CodeHash, Grant(), Now, AuthorizationCode.MaxLifetime + TimeSpan.FromTicks(1)));

    [Fact]
    public void Issue_with_a_lifetime_of_exactly_10_minutes_is_accepted()
    {
        Assert.Equal(TimeSpan.FromMinutes(10), AuthorizationCode.MaxLifetime);
        Assert.Equal(Now.AddMinutes(10), AuthorizationCode.Issue(CodeHash, Grant(), Now, AuthorizationCode.MaxLifetime).ExpiresAt);
    }

    // ---- CheckRedemption ----

    [Fact]
    public void CheckRedemption_with_the_right_client_verifier_and_redirect_uri_is_valid() =>
        Assert.Equal(CodeRedemption.Valid, Issued().CheckRedemption(ClientId, Verifier, RedirectUri, Soon));

    [Fact]
    public void CheckRedemption_changes_nothing()
    {
        var code = Issued();

        code.CheckRedemption(ClientId, Verifier, RedirectUri, Soon);
        code.CheckRedemption(ClientId, OtherVerifier, RedirectUri, Soon);

        Assert.Null(code.RedeemedAt);
        Assert.Null(code.ReplayDetectedAt);
        Assert.Empty(code.DomainEvents);
        Assert.Equal(CodeRedemption.Valid, code.CheckRedemption(ClientId, Verifier, RedirectUri, Soon));
    }

    [Theory]
    [InlineData("other")]
    [InlineData("SPA")]
    [InlineData("spa ")]
    [InlineData("")]
    public void CheckRedemption_by_another_client_is_WrongClient(string clientId) =>
        Assert.Equal(CodeRedemption.WrongClient, Issued().CheckRedemption(clientId, Verifier, RedirectUri, Soon));

    [Fact]
    public void CheckRedemption_checks_the_client_before_anything_else()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.WrongClient, code.CheckRedemption("other", null, null, Soon));
        Assert.Equal(CodeRedemption.WrongClient, code.CheckRedemption("other", OtherVerifier, "https://evil.example/cb", Soon));
        Assert.Equal(CodeRedemption.WrongClient, code.CheckRedemption("other", Verifier, RedirectUri, Expiry));
    }

    [Fact]
    public void CheckRedemption_of_a_redeemed_code_by_another_client_is_WrongClient_not_Replayed() =>
        Assert.Equal(CodeRedemption.WrongClient, Redeemed().CheckRedemption("other", Verifier, RedirectUri, Soon));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(OtherVerifier)]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX")] // the right verifier less one character
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk=")]
    [InlineData("DBJFTJEZ4CVP-MB92K27UHBUJU1P1R_WW1GFWFOEJXK")]
    [InlineData(Challenge)] // the challenge sent back as if it were the verifier ("plain")
    public void CheckRedemption_with_a_wrong_or_missing_verifier_is_WrongVerifier(string? verifier) =>
        Assert.Equal(CodeRedemption.WrongVerifier, Issued().CheckRedemption(ClientId, verifier, RedirectUri, Soon));

    [Fact]
    public void CheckRedemption_checks_the_verifier_before_the_redirect_uri_and_the_expiry()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.WrongVerifier, code.CheckRedemption(ClientId, OtherVerifier, "https://evil.example/cb", Soon));
        Assert.Equal(CodeRedemption.WrongVerifier, code.CheckRedemption(ClientId, OtherVerifier, null, Soon));
        Assert.Equal(CodeRedemption.WrongVerifier, code.CheckRedemption(ClientId, OtherVerifier, RedirectUri, Expiry.AddMinutes(5)));
    }

    [Fact]
    public void CheckRedemption_without_redirect_uri_when_the_authorization_request_sent_one_is_WrongRedirectUri() =>
        Assert.Equal(CodeRedemption.WrongRedirectUri, Issued(redirectUriWasSent: true).CheckRedemption(ClientId, Verifier, null, Soon));

    [Theory]
    [InlineData("https://c1.example/cb/")]
    [InlineData("https://c1.example/CB")]
    [InlineData("HTTPS://c1.example/cb")]
    [InlineData("https://c1.example/cb?x=1")]
    [InlineData("https://c2.example/cb")]
    [InlineData("")]
    public void CheckRedemption_with_a_different_redirect_uri_when_one_was_sent_is_WrongRedirectUri(string redirectUri) =>
        Assert.Equal(CodeRedemption.WrongRedirectUri, Issued(redirectUriWasSent: true).CheckRedemption(ClientId, Verifier, redirectUri, Soon));

    [Fact]
    public void CheckRedemption_without_redirect_uri_when_none_was_sent_is_valid() =>
        Assert.Equal(CodeRedemption.Valid, Issued(redirectUriWasSent: false).CheckRedemption(ClientId, Verifier, null, Soon));

    [Fact]
    public void CheckRedemption_with_the_same_redirect_uri_when_none_was_sent_is_valid() =>
        Assert.Equal(CodeRedemption.Valid, Issued(redirectUriWasSent: false).CheckRedemption(ClientId, Verifier, RedirectUri, Soon));

    [Theory]
    [InlineData("https://c1.example/cb/")]
    [InlineData("https://c2.example/cb")]
    [InlineData("")]
    public void CheckRedemption_with_a_different_redirect_uri_when_none_was_sent_is_WrongRedirectUri(string redirectUri) =>
        Assert.Equal(CodeRedemption.WrongRedirectUri, Issued(redirectUriWasSent: false).CheckRedemption(ClientId, Verifier, redirectUri, Soon));

    [Fact]
    public void CheckRedemption_checks_the_redirect_uri_before_the_expiry() =>
        Assert.Equal(CodeRedemption.WrongRedirectUri, Issued().CheckRedemption(ClientId, Verifier, "https://c2.example/cb", Expiry.AddMinutes(1)));

    [Fact]
    public void CheckRedemption_one_tick_before_expiry_is_valid() =>
        Assert.Equal(CodeRedemption.Valid, Issued().CheckRedemption(ClientId, Verifier, RedirectUri, Expiry.AddTicks(-1)));

    [Fact]
    public void CheckRedemption_at_exactly_ExpiresAt_is_Expired()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.Expired, code.CheckRedemption(ClientId, Verifier, RedirectUri, code.ExpiresAt));
    }

    [Fact]
    public void CheckRedemption_after_expiry_is_Expired() =>
        Assert.Equal(CodeRedemption.Expired, Issued().CheckRedemption(ClientId, Verifier, RedirectUri, Expiry.AddHours(1)));

    [Fact]
    public void CheckRedemption_of_an_unredeemed_code_is_never_Replayed()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.Valid, code.CheckRedemption(ClientId, Verifier, RedirectUri, Soon));
        Assert.Equal(CodeRedemption.Valid, code.CheckRedemption(ClientId, Verifier, RedirectUri, Soon));
    }

    [Fact]
    public void CheckRedemption_of_a_redeemed_code_with_the_right_binding_is_Replayed() =>
        Assert.Equal(CodeRedemption.Replayed, Redeemed().CheckRedemption(ClientId, Verifier, RedirectUri, Soon.AddSeconds(1)));

    [Fact]
    public void CheckRedemption_of_a_redeemed_code_without_redirect_uri_when_none_was_sent_is_Replayed() =>
        Assert.Equal(CodeRedemption.Replayed, Redeemed(redirectUriWasSent: false).CheckRedemption(ClientId, Verifier, null, Soon.AddSeconds(1)));

    [Fact]
    public void CheckRedemption_of_a_redeemed_code_after_its_expiry_is_still_Replayed() =>
        Assert.Equal(CodeRedemption.Replayed, Redeemed().CheckRedemption(ClientId, Verifier, RedirectUri, Expiry.AddMinutes(5)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(OtherVerifier)]
    public void CheckRedemption_of_a_redeemed_code_with_a_wrong_verifier_is_WrongVerifier_not_Replayed(string? verifier) =>
        Assert.Equal(CodeRedemption.WrongVerifier, Redeemed().CheckRedemption(ClientId, verifier, RedirectUri, Soon.AddSeconds(1)));

    [Fact]
    public void CheckRedemption_of_a_redeemed_code_with_a_wrong_redirect_uri_is_WrongRedirectUri_not_Replayed()
    {
        var code = Redeemed();

        Assert.Equal(CodeRedemption.WrongRedirectUri, code.CheckRedemption(ClientId, Verifier, "https://c2.example/cb", Soon.AddSeconds(1)));
        Assert.Equal(CodeRedemption.WrongRedirectUri, code.CheckRedemption(ClientId, Verifier, null, Soon.AddSeconds(1)));
    }

    [Fact]
    public void CheckRedemption_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => Issued().CheckRedemption(ClientId, Verifier, RedirectUri, Soon.ToOffset(TimeSpan.FromHours(1))));

    // ---- Redeem ----

    [Fact]
    public void Redeem_records_the_issued_tokens_and_raises_AuthorizationCodeRedeemed()
    {
        var code = Issued();

        code.Redeem(new IssuedFromCode("jti-1", Soon.AddMinutes(5), FamilyId), Soon);

        Assert.Equal(Soon, code.RedeemedAt);
        Assert.Equal("jti-1", code.AccessTokenId);
        Assert.Equal(Soon.AddMinutes(5), code.AccessTokenExpiresAt);
        Assert.Equal(FamilyId, code.RefreshTokenFamilyId);
        Assert.Null(code.ReplayDetectedAt);
        var redeemed = Assert.IsType<AuthorizationCodeRedeemed>(Assert.Single(code.DomainEvents));
        Assert.Equal(CodeHash, redeemed.CodeHash);
        Assert.Equal(ClientId, redeemed.ClientId);
        Assert.Equal(UserId, redeemed.UserId);
        Assert.Equal(Soon, redeemed.OccurredAt);
    }

    [Fact]
    public void Redeem_without_refresh_token_family_records_none()
    {
        var code = Issued();

        code.Redeem(new IssuedFromCode("jti-1", Soon.AddMinutes(5), RefreshTokenFamilyId: null), Soon);

        Assert.Null(code.RefreshTokenFamilyId);
        Assert.Equal("jti-1", code.AccessTokenId);
    }

    [Fact]
    public void Redeem_twice_is_refused_and_keeps_the_first_redemption()
    {
        var code = Issued();
        code.Redeem(Tokens(), Soon);
        code.ClearDomainEvents();

        AssertRefused("code", () => code.Redeem(new IssuedFromCode("jti-2", Soon.AddMinutes(10), Guid.NewGuid()), Soon.AddSeconds(1)));

        Assert.Equal(Soon, code.RedeemedAt);
        Assert.Equal("jti-1", code.AccessTokenId);
        Assert.Equal(FamilyId, code.RefreshTokenFamilyId);
        Assert.Empty(code.DomainEvents);
    }

    [Fact]
    public void Redeem_at_exactly_ExpiresAt_is_refused()
    {
        var code = Issued();

        AssertRefused("code", () => code.Redeem(Tokens(), code.ExpiresAt));

        Assert.Null(code.RedeemedAt);
        Assert.Null(code.AccessTokenId);
        Assert.Empty(code.DomainEvents);
    }

    [Fact]
    public void Redeem_after_expiry_is_refused() =>
        AssertRefused("code", () => Issued().Redeem(Tokens(), Expiry.AddMinutes(1)));

    [Fact]
    public void Redeem_one_tick_before_expiry_is_accepted()
    {
        var code = Issued();

        code.Redeem(Tokens(), Expiry.AddTicks(-1));

        Assert.Equal(Expiry.AddTicks(-1), code.RedeemedAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Redeem_without_access_token_id_is_refused(string? jti)
    {
        var code = Issued();

        AssertRefused("jti", () => code.Redeem(new IssuedFromCode(jti!, Soon.AddMinutes(5), FamilyId), Soon));

        Assert.Null(code.RedeemedAt);
    }

    [Fact]
    public void Redeem_with_non_utc_now_is_refused()
    {
        var code = Issued();

        AssertRefused("now", () => code.Redeem(Tokens(), Soon.ToOffset(TimeSpan.FromHours(3))));

        Assert.Null(code.RedeemedAt);
    }

    // ---- RecordReplay ----

    [Fact]
    public void RecordReplay_of_an_unredeemed_code_is_refused()
    {
        var code = Issued();

        AssertRefused("code", () => code.RecordReplay(Soon));

        Assert.Null(code.ReplayDetectedAt);
        Assert.Empty(code.DomainEvents);
    }

    [Fact]
    public void RecordReplay_returns_true_once_and_raises_AuthorizationCodeReplayed()
    {
        var code = Redeemed();
        var at = Soon.AddSeconds(5);

        Assert.True(code.RecordReplay(at));

        Assert.Equal(at, code.ReplayDetectedAt);
        var replayed = Assert.IsType<AuthorizationCodeReplayed>(Assert.Single(code.DomainEvents));
        Assert.Equal(CodeHash, replayed.CodeHash);
        Assert.Equal(ClientId, replayed.ClientId);
        Assert.Equal(UserId, replayed.UserId);
        Assert.Equal(at, replayed.OccurredAt);
    }

    [Fact]
    public void RecordReplay_a_second_time_returns_false_and_raises_nothing_more()
    {
        var code = Redeemed();
        var first = Soon.AddSeconds(5);
        code.RecordReplay(first);

        Assert.False(code.RecordReplay(first.AddSeconds(5)));
        Assert.False(code.RecordReplay(first.AddMinutes(30)));

        Assert.Equal(first, code.ReplayDetectedAt);
        Assert.Single(code.DomainEvents.OfType<AuthorizationCodeReplayed>());
    }

    [Fact]
    public void RecordReplay_keeps_what_Redeem_recorded_for_revocation()
    {
        var code = Redeemed();

        code.RecordReplay(Soon.AddSeconds(5));

        Assert.Equal("jti-1", code.AccessTokenId);
        Assert.Equal(Soon.AddMinutes(5), code.AccessTokenExpiresAt);
        Assert.Equal(FamilyId, code.RefreshTokenFamilyId);
        Assert.Equal(Soon, code.RedeemedAt);
    }

    [Fact]
    public void RecordReplay_after_the_code_expired_is_still_recorded()
    {
        var code = Redeemed();

        Assert.True(code.RecordReplay(Expiry.AddHours(1)));
        Assert.Equal(Expiry.AddHours(1), code.ReplayDetectedAt);
    }

    [Fact]
    public void RecordReplay_with_non_utc_now_is_refused()
    {
        var code = Redeemed();

        AssertRefused("now", () => code.RecordReplay(Soon.ToOffset(TimeSpan.FromHours(-8))));

        Assert.Null(code.ReplayDetectedAt);
        Assert.Empty(code.DomainEvents);
    }

    [Fact]
    public void Full_flow_valid_then_redeemed_then_replay_detected_once()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.Valid, code.CheckRedemption(ClientId, Verifier, RedirectUri, Soon));
        code.Redeem(Tokens(), Soon);
        Assert.Equal(CodeRedemption.WrongVerifier, code.CheckRedemption(ClientId, OtherVerifier, RedirectUri, Soon.AddSeconds(1)));
        Assert.Null(code.ReplayDetectedAt);
        Assert.Equal(CodeRedemption.Replayed, code.CheckRedemption(ClientId, Verifier, RedirectUri, Soon.AddSeconds(2)));
        Assert.True(code.RecordReplay(Soon.AddSeconds(2)));
        Assert.Equal(CodeRedemption.Replayed, code.CheckRedemption(ClientId, Verifier, RedirectUri, Soon.AddSeconds(3)));
        Assert.False(code.RecordReplay(Soon.AddSeconds(3)));

        Assert.Equal([typeof(AuthorizationCodeRedeemed), typeof(AuthorizationCodeReplayed)], code.DomainEvents.Select(e => e.GetType()));
    }
}
