using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.AuthorizationCodes.Events;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
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
        Assert.Equal(CodeRedemption.Redeemed, code.Redeem(ClientId, Verifier, redirectUriWasSent ? RedirectUri : null, null, RegisterAlice(), Soon));
        code.RecordIssued(Tokens());
        code.ClearDomainEvents();
        return code;
    }

    /// <summary>Redeems as <see cref="ClientId"/> with the right verifier for Alice unless told otherwise.</summary>
    private static CodeRedemption Redeem(
        AuthorizationCode code, string clientId = ClientId, string? verifier = Verifier, string? redirectUri = RedirectUri, DateTimeOffset? at = null, User? user = null,
        string? proofJkt = null) =>
        code.Redeem(clientId, verifier, redirectUri, proofJkt, user ?? RegisterAlice(), at ?? Soon);

    private static void AssertUnchanged(AuthorizationCode code)
    {
        Assert.Null(code.RedeemedAt);
        Assert.Null(code.AccessTokenId);
        Assert.Null(code.ReplayDetectedAt);
        Assert.Empty(code.DomainEvents);
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

    // ---- Redeem: the binding is checked first ----

    [Fact]
    public void Redeem_with_the_right_client_verifier_and_redirect_uri_redeems_and_raises_AuthorizationCodeRedeemed()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.Redeemed, Redeem(code));

        Assert.Equal(Soon, code.RedeemedAt);
        Assert.Null(code.AccessTokenId);
        Assert.Null(code.ReplayDetectedAt);
        var redeemed = Assert.IsType<AuthorizationCodeRedeemed>(Assert.Single(code.DomainEvents));
        Assert.Equal(CodeHash, redeemed.CodeHash);
        Assert.Equal(ClientId, redeemed.ClientId);
        Assert.Equal(UserId, redeemed.UserId);
        Assert.Equal(Soon, redeemed.OccurredAt);
    }

    [Fact]
    public void Redeem_refused_changes_nothing()
    {
        var code = Issued();

        Redeem(code, clientId: "other");
        Redeem(code, verifier: OtherVerifier);
        Redeem(code, redirectUri: "https://c2.example/cb");
        Redeem(code, at: Expiry);

        AssertUnchanged(code);
        Assert.Equal(CodeRedemption.Redeemed, Redeem(code));
    }

    [Theory]
    [InlineData("other")]
    [InlineData("SPA")]
    [InlineData("spa ")]
    [InlineData("")]
    public void Redeem_by_another_client_is_WrongClient(string clientId) =>
        Assert.Equal(CodeRedemption.WrongClient, Redeem(Issued(), clientId: clientId));

    [Fact]
    public void Redeem_checks_the_client_before_anything_else()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.WrongClient, Redeem(code, clientId: "other", verifier: null, redirectUri: null));
        Assert.Equal(CodeRedemption.WrongClient, Redeem(code, clientId: "other", verifier: OtherVerifier, redirectUri: "https://evil.example/cb"));
        Assert.Equal(CodeRedemption.WrongClient, Redeem(code, clientId: "other", at: Expiry));
        Assert.Equal(CodeRedemption.WrongClient, Redeem(code, clientId: "other", user: DisabledAlice()));
    }

    [Fact]
    public void Redeem_of_a_redeemed_code_by_another_client_is_WrongClient_not_Replayed() =>
        Assert.Equal(CodeRedemption.WrongClient, Redeem(Redeemed(), clientId: "other"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(OtherVerifier)]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX")] // the right verifier less one character
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk=")]
    [InlineData("DBJFTJEZ4CVP-MB92K27UHBUJU1P1R_WW1GFWFOEJXK")]
    [InlineData(Challenge)] // the challenge sent back as if it were the verifier ("plain")
    public void Redeem_with_a_wrong_or_missing_verifier_is_WrongVerifier(string? verifier)
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.WrongVerifier, Redeem(code, verifier: verifier));

        AssertUnchanged(code);
    }

    [Fact]
    public void Redeem_checks_the_verifier_before_the_redirect_uri_the_expiry_and_the_user()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.WrongVerifier, Redeem(code, verifier: OtherVerifier, redirectUri: "https://evil.example/cb"));
        Assert.Equal(CodeRedemption.WrongVerifier, Redeem(code, verifier: OtherVerifier, redirectUri: null));
        Assert.Equal(CodeRedemption.WrongVerifier, Redeem(code, verifier: OtherVerifier, at: Expiry.AddMinutes(5)));
        Assert.Equal(CodeRedemption.WrongVerifier, Redeem(code, verifier: OtherVerifier, user: DisabledAlice()));
    }

    [Fact]
    public void Redeem_without_redirect_uri_when_the_authorization_request_sent_one_is_WrongRedirectUri() =>
        Assert.Equal(CodeRedemption.WrongRedirectUri, Redeem(Issued(redirectUriWasSent: true), redirectUri: null));

    [Theory]
    [InlineData("https://c1.example/cb/")]
    [InlineData("https://c1.example/CB")]
    [InlineData("HTTPS://c1.example/cb")]
    [InlineData("https://c1.example/cb?x=1")]
    [InlineData("https://c2.example/cb")]
    [InlineData("")]
    public void Redeem_with_a_different_redirect_uri_when_one_was_sent_is_WrongRedirectUri(string redirectUri) =>
        Assert.Equal(CodeRedemption.WrongRedirectUri, Redeem(Issued(redirectUriWasSent: true), redirectUri: redirectUri));

    [Fact]
    public void Redeem_without_redirect_uri_when_none_was_sent_redeems() =>
        Assert.Equal(CodeRedemption.Redeemed, Redeem(Issued(redirectUriWasSent: false), redirectUri: null));

    [Fact]
    public void Redeem_with_the_same_redirect_uri_when_none_was_sent_redeems() =>
        Assert.Equal(CodeRedemption.Redeemed, Redeem(Issued(redirectUriWasSent: false)));

    [Theory]
    [InlineData("https://c1.example/cb/")]
    [InlineData("https://c2.example/cb")]
    [InlineData("")]
    public void Redeem_with_a_different_redirect_uri_when_none_was_sent_is_WrongRedirectUri(string redirectUri) =>
        Assert.Equal(CodeRedemption.WrongRedirectUri, Redeem(Issued(redirectUriWasSent: false), redirectUri: redirectUri));

    [Fact]
    public void Redeem_checks_the_redirect_uri_before_the_expiry() =>
        Assert.Equal(CodeRedemption.WrongRedirectUri, Redeem(Issued(), redirectUri: "https://c2.example/cb", at: Expiry.AddMinutes(1)));

    // ---- Redeem: then replay, expiry and the user ----

    [Fact]
    public void Redeem_one_tick_before_expiry_redeems()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.Redeemed, Redeem(code, at: Expiry.AddTicks(-1)));

        Assert.Equal(Expiry.AddTicks(-1), code.RedeemedAt);
    }

    [Fact]
    public void Redeem_at_exactly_ExpiresAt_is_Expired()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.Expired, Redeem(code, at: code.ExpiresAt));

        AssertUnchanged(code);
    }

    [Fact]
    public void Redeem_after_expiry_is_Expired() =>
        Assert.Equal(CodeRedemption.Expired, Redeem(Issued(), at: Expiry.AddHours(1)));

    [Fact]
    public void Redeem_twice_reports_replay_and_keeps_the_first_redemption()
    {
        var code = Redeemed();

        Assert.Equal(CodeRedemption.Replayed, Redeem(code, at: Soon.AddSeconds(1)));

        Assert.Equal(Soon, code.RedeemedAt);
        Assert.Equal("jti-1", code.AccessTokenId);
        Assert.Equal(FamilyId, code.RefreshTokenFamilyId);
        Assert.Null(code.ReplayDetectedAt);
        Assert.Empty(code.DomainEvents);
    }

    [Fact]
    public void Redeem_of_a_redeemed_code_without_redirect_uri_when_none_was_sent_is_Replayed() =>
        Assert.Equal(CodeRedemption.Replayed, Redeem(Redeemed(redirectUriWasSent: false), redirectUri: null, at: Soon.AddSeconds(1)));

    [Fact]
    public void Redeem_of_a_redeemed_code_after_its_expiry_is_still_Replayed() =>
        Assert.Equal(CodeRedemption.Replayed, Redeem(Redeemed(), at: Expiry.AddMinutes(5)));

    [Fact]
    public void Redeem_of_a_redeemed_code_for_a_user_now_disabled_is_still_Replayed() =>
        Assert.Equal(CodeRedemption.Replayed, Redeem(Redeemed(), at: Soon.AddSeconds(1), user: DisabledAlice()));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(OtherVerifier)]
    public void Redeem_of_a_redeemed_code_with_a_wrong_verifier_is_WrongVerifier_not_Replayed(string? verifier) =>
        Assert.Equal(CodeRedemption.WrongVerifier, Redeem(Redeemed(), verifier: verifier, at: Soon.AddSeconds(1)));

    [Fact]
    public void Redeem_of_a_redeemed_code_with_a_wrong_redirect_uri_is_WrongRedirectUri_not_Replayed()
    {
        var code = Redeemed();

        Assert.Equal(CodeRedemption.WrongRedirectUri, Redeem(code, redirectUri: "https://c2.example/cb", at: Soon.AddSeconds(1)));
        Assert.Equal(CodeRedemption.WrongRedirectUri, Redeem(code, redirectUri: null, at: Soon.AddSeconds(1)));
    }

    [Fact]
    public void Redeem_for_a_disabled_user_is_UserMayNotReceiveTokens_and_changes_nothing()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.UserMayNotReceiveTokens, Redeem(code, user: DisabledAlice()));

        AssertUnchanged(code);
    }

    [Fact]
    public void Redeem_for_a_locked_out_user_is_UserMayNotReceiveTokens()
    {
        var alice = RegisterAlice();
        for (var i = 0; i < 10; i++)
        {
            alice.RecordFailedLogin(Now, LockoutPolicy.Default);
        }

        Assert.True(alice.IsLockedOut(Soon));
        Assert.Equal(CodeRedemption.UserMayNotReceiveTokens, Redeem(Issued(), user: alice));
    }

    [Fact]
    public void Redeem_for_a_deleted_user_is_UserMayNotReceiveTokens() =>
        Assert.Equal(CodeRedemption.UserMayNotReceiveTokens, Issued().Redeem(ClientId, Verifier, RedirectUri, proofJkt: null, user: null, Soon));

    [Fact]
    public void Redeem_after_the_users_password_changed_is_CredentialsChanged()
    {
        var code = AuthorizationCode.Issue(CodeHash, Grant() with { SecurityStamp = Stamp }, Now, Lifetime);
        var alice = RegisterAlice();
        alice.ChangePassword("v1$new-hash", "stamp-two", Now);

        Assert.Equal(CodeRedemption.CredentialsChanged, Redeem(code, user: alice));

        AssertUnchanged(code);
    }

    [Fact]
    public void Redeem_with_the_stamp_of_the_sign_in_redeems() =>
        Assert.Equal(CodeRedemption.Redeemed, Redeem(AuthorizationCode.Issue(CodeHash, Grant() with { SecurityStamp = Stamp }, Now, Lifetime)));

    [Fact]
    public void Redeem_against_another_user_than_the_codes_is_a_bug() =>
        AssertRefused("user", () => Issued().Redeem(ClientId, Verifier, RedirectUri, null,
            User.Register(Guid.NewGuid(), new UserProfile("Bob", null, false, null), PasswordHash, Stamp, Now), Soon));

    [Fact]
    public void Redeem_with_non_utc_now_is_refused()
    {
        var code = Issued();

        AssertRefused("now", () => Redeem(code, at: Soon.ToOffset(TimeSpan.FromHours(3))));

        AssertUnchanged(code);
    }

    // ---- RecordIssued ----

    [Fact]
    public void RecordIssued_keeps_the_tokens_to_revoke_on_replay()
    {
        var code = Issued();
        Redeem(code);

        code.RecordIssued(new IssuedFromCode("jti-1", Soon.AddMinutes(5), FamilyId));

        Assert.Equal("jti-1", code.AccessTokenId);
        Assert.Equal(Soon.AddMinutes(5), code.AccessTokenExpiresAt);
        Assert.Equal(FamilyId, code.RefreshTokenFamilyId);
    }

    [Fact]
    public void RecordIssued_without_refresh_token_family_records_none()
    {
        var code = Issued();
        Redeem(code);

        code.RecordIssued(new IssuedFromCode("jti-1", Soon.AddMinutes(5), RefreshTokenFamilyId: null));

        Assert.Null(code.RefreshTokenFamilyId);
        Assert.Equal("jti-1", code.AccessTokenId);
    }

    [Fact]
    public void RecordIssued_before_a_redemption_is_a_bug()
    {
        var code = Issued();

        AssertRefused("code", () => code.RecordIssued(Tokens()));

        AssertUnchanged(code);
    }

    [Fact]
    public void RecordIssued_twice_is_a_bug_and_keeps_the_first()
    {
        var code = Redeemed();

        AssertRefused("code", () => code.RecordIssued(new IssuedFromCode("jti-2", Soon.AddMinutes(10), Guid.NewGuid())));

        Assert.Equal("jti-1", code.AccessTokenId);
        Assert.Equal(FamilyId, code.RefreshTokenFamilyId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void RecordIssued_without_access_token_id_is_refused(string? jti)
    {
        var code = Issued();
        Redeem(code);

        AssertRefused("jti", () => code.RecordIssued(new IssuedFromCode(jti!, Soon.AddMinutes(5), FamilyId)));

        Assert.Null(code.AccessTokenId);
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
    public void Full_flow_redeemed_then_replay_detected_once()
    {
        var code = Issued();

        Assert.Equal(CodeRedemption.Redeemed, Redeem(code));
        code.RecordIssued(Tokens());
        Assert.Equal(CodeRedemption.WrongVerifier, Redeem(code, verifier: OtherVerifier, at: Soon.AddSeconds(1)));
        Assert.Null(code.ReplayDetectedAt);
        Assert.Equal(CodeRedemption.Replayed, Redeem(code, at: Soon.AddSeconds(2)));
        Assert.True(code.RecordReplay(Soon.AddSeconds(2)));
        Assert.Equal(CodeRedemption.Replayed, Redeem(code, at: Soon.AddSeconds(3)));
        Assert.False(code.RecordReplay(Soon.AddSeconds(3)));

        Assert.Equal([typeof(AuthorizationCodeRedeemed), typeof(AuthorizationCodeReplayed)], code.DomainEvents.Select(e => e.GetType()));
    }

    private static User DisabledAlice()
    {
        var alice = RegisterAlice();
        alice.Disable("stamp-disabled", Now);
        return alice;
    }

    // ---- DPoP binding (RFC 9449 §10) ----

    private const string Jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    private const string OtherJkt = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    private static AuthorizationCode BoundToKey() => AuthorizationCode.Issue(CodeHash, Grant() with { DPoPJkt = Jkt }, Now, Lifetime);

    [Fact]
    public void Issue_keeps_the_dpop_jkt() => Assert.Equal(Jkt, BoundToKey().DPoPJkt);

    [Fact]
    public void Redeem_of_a_key_bound_code_with_a_proof_by_that_key_redeems() =>
        Assert.Equal(CodeRedemption.Redeemed, Redeem(BoundToKey(), proofJkt: Jkt));

    [Fact]
    public void Redeem_of_a_key_bound_code_with_another_key_is_WrongDPoPKey_and_changes_nothing()
    {
        var code = BoundToKey();

        Assert.Equal(CodeRedemption.WrongDPoPKey, Redeem(code, proofJkt: OtherJkt));

        AssertUnchanged(code);
    }

    [Fact]
    public void Redeem_of_a_key_bound_code_without_a_proof_is_WrongDPoPKey() =>
        Assert.Equal(CodeRedemption.WrongDPoPKey, Redeem(BoundToKey(), proofJkt: null));

    [Fact]
    public void Redeem_of_a_used_key_bound_code_with_another_key_is_not_a_replay()
    {
        var code = BoundToKey();
        Assert.Equal(CodeRedemption.Redeemed, Redeem(code, proofJkt: Jkt));
        code.RecordIssued(Tokens());

        Assert.Equal(CodeRedemption.WrongDPoPKey, Redeem(code, proofJkt: OtherJkt));
        Assert.Null(code.ReplayDetectedAt);
    }

    [Fact]
    public void Redeem_of_an_unbound_code_with_a_proof_redeems() =>
        Assert.Equal(CodeRedemption.Redeemed, Redeem(Issued(), proofJkt: Jkt));
}
