using AuthService.Domain.SigningKeys;
using AuthService.Domain.SigningKeys.Events;
using static AuthService.Domain.Tests.SigningKeys.Keys;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.SigningKeys;

public class SigningKeyTests
{
    private static readonly DateTimeOffset Due = Now.AddHours(1);

    [Fact]
    public void Generate_makes_a_published_pending_key_and_raises_SigningKeyGenerated()
    {
        var key = SigningKey.Generate("kid-1", "RS256", "{\"kty\":\"RSA\"}", [9, 8], "kek1", Now, Due);

        Assert.Equal(SigningKeyState.Pending, key.State);
        Assert.True(key.IsPublished);
        Assert.Equal("kid-1", key.KeyId);
        Assert.Equal("RS256", key.Algorithm);
        Assert.Equal(Now, key.CreatedAt);
        Assert.Equal(Due, key.ActivatesAt);
        Assert.Null(key.ActivatedAt);
        var generated = Assert.IsType<SigningKeyGenerated>(Assert.Single(key.DomainEvents));
        Assert.Equal(("kid-1", "RS256", Now), (generated.KeyId, generated.Algorithm, generated.OccurredAt));
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("es256")]
    [InlineData("")]
    public void Generate_with_unsupported_algorithm_is_refused(string alg) =>
        AssertRefused("alg", () => SigningKey.Generate("kid-1", alg, "{}", [1], "kek1", Now, Due));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Generate_without_key_id_is_refused(string kid) =>
        AssertRefused("kid", () => SigningKey.Generate(kid, "ES256", "{}", [1], "kek1", Now, Due));

    [Fact]
    public void Generate_with_key_id_over_100_characters_is_refused() =>
        AssertRefused("kid", () => SigningKey.Generate(new string('k', 101), "ES256", "{}", [1], "kek1", Now, Due));

    [Fact]
    public void Generate_without_public_jwk_is_refused() =>
        AssertRefused("jwk", () => SigningKey.Generate("kid-1", "ES256", " ", [1], "kek1", Now, Due));

    [Fact]
    public void Generate_without_private_key_is_refused() =>
        AssertRefused("private_key", () => SigningKey.Generate("kid-1", "ES256", "{}", [], "kek1", Now, Due));

    [Fact]
    public void Generate_without_key_encryption_key_id_is_refused() =>
        AssertRefused("kek", () => SigningKey.Generate("kid-1", "ES256", "{}", [1], "", Now, Due));

    [Fact]
    public void Generate_due_before_it_exists_is_refused() =>
        AssertRefused("activates_at", () => SigningKey.Generate("kid-1", "ES256", "{}", [1], "kek1", Now, Now.AddTicks(-1)));

    [Fact]
    public void Generate_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => SigningKey.Generate("kid-1", "ES256", "{}", [1], "kek1", Now.ToOffset(TimeSpan.FromHours(1)), Due));

    [Fact]
    public void Generate_with_non_utc_activates_at_is_refused()
    {
        var refused = AssertRefused("activates_at", () => SigningKey.Generate("kid-1", "ES256", "{}", [1], "kek1", Now, Due.ToOffset(TimeSpan.FromHours(1))));

        Assert.Contains("UTC", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Activate_before_activates_at_is_refused_and_leaves_it_pending()
    {
        var key = Pending("kid-1", activatesAt: Due);

        AssertRefused("activates_at", () => key.Activate(Due.AddTicks(-1)));
        Assert.Equal(SigningKeyState.Pending, key.State);
    }

    [Fact]
    public void Activate_once_due_makes_it_active_and_raises_SigningKeyActivated()
    {
        var key = Pending("kid-1", "RS256", activatesAt: Due);
        key.ClearDomainEvents();

        key.Activate(Due);

        Assert.Equal(SigningKeyState.Active, key.State);
        Assert.Equal(Due, key.ActivatedAt);
        Assert.True(key.IsPublished);
        var activated = Assert.IsType<SigningKeyActivated>(Assert.Single(key.DomainEvents));
        Assert.Equal(("kid-1", "RS256", Due), (activated.KeyId, activated.Algorithm, activated.OccurredAt));
    }

    [Fact]
    public void Activate_twice_is_refused()
    {
        var key = Active("kid-1");

        AssertRefused("state", () => key.Activate(Due));
        Assert.Equal(Now, key.ActivatedAt);
    }

    [Fact]
    public void Activate_with_non_utc_now_is_refused()
    {
        var key = Pending("kid-1");

        AssertRefused("now", () => key.Activate(Due.ToOffset(TimeSpan.FromHours(2))));
        Assert.Equal(SigningKeyState.Pending, key.State);
    }

    [Fact]
    public void Retire_with_non_utc_now_is_refused()
    {
        var key = Active("kid-1");

        AssertRefused("now", () => key.Retire(Due.ToOffset(TimeSpan.FromHours(2)), Due.AddHours(2)));
        Assert.Equal(SigningKeyState.Active, key.State);
    }

    [Fact]
    public void Remove_with_non_utc_now_is_refused()
    {
        var key = Retired("kid-1");

        AssertRefused("now", () => key.Remove(Due.AddDays(1).ToOffset(TimeSpan.FromHours(2))));
        Assert.Equal(SigningKeyState.Retired, key.State);
    }

    [Fact]
    public void Revoke_with_non_utc_now_is_refused()
    {
        var key = Active("kid-1");

        AssertRefused("now", () => key.Revoke(Due.ToOffset(TimeSpan.FromHours(-2))));
        Assert.Equal(SigningKeyState.Active, key.State);
    }

    [Fact]
    public void Retire_an_active_key_keeps_it_published_until_removable()
    {
        var key = Active("kid-1");
        key.ClearDomainEvents();

        key.Retire(Due, Due.AddHours(2));

        Assert.Equal(SigningKeyState.Retired, key.State);
        Assert.True(key.IsPublished);
        Assert.Equal(Due, key.RetiredAt);
        Assert.Equal(Due.AddHours(2), key.RemovableAt);
        Assert.Equal("kid-1", Assert.IsType<SigningKeyRetired>(Assert.Single(key.DomainEvents)).KeyId);
    }

    [Fact]
    public void Retire_a_pending_key_is_refused() =>
        AssertRefused("state", () => Pending("kid-1").Retire(Due, Due.AddHours(1)));

    [Fact]
    public void Retire_a_retired_key_is_refused() =>
        AssertRefused("state", () => Retired("kid-1").Retire(Due.AddHours(5), Due.AddHours(6)));

    [Fact]
    public void Retire_removable_before_retirement_is_refused()
    {
        var key = Active("kid-1");

        AssertRefused("removable_at", () => key.Retire(Due, Due.AddTicks(-1)));
        Assert.Equal(SigningKeyState.Active, key.State);
    }

    [Fact]
    public void Retire_with_non_utc_removable_at_is_refused_and_leaves_it_active()
    {
        var key = Active("kid-1");
        key.ClearDomainEvents();

        var refused = AssertRefused("removable_at", () => key.Retire(Due, Due.AddHours(2).ToOffset(TimeSpan.FromHours(-3))));

        Assert.Contains("UTC", refused.Message, StringComparison.Ordinal);
        Assert.Equal(SigningKeyState.Active, key.State);
        Assert.Null(key.RetiredAt);
        Assert.Null(key.RemovableAt);
        Assert.Empty(key.DomainEvents);
    }

    [Fact]
    public void Remove_a_retired_key_once_removable_unpublishes_it()
    {
        var key = Active("kid-1");
        key.Retire(Due, Due.AddHours(2));
        key.ClearDomainEvents();

        key.Remove(Due.AddHours(2));

        Assert.Equal(SigningKeyState.Removed, key.State);
        Assert.False(key.IsPublished);
        Assert.Equal(Due.AddHours(2), key.RemovedAt);
        Assert.Equal("kid-1", Assert.IsType<SigningKeyRemoved>(Assert.Single(key.DomainEvents)).KeyId);
    }

    [Fact]
    public void Remove_before_removable_at_is_refused()
    {
        var key = Active("kid-1");
        key.Retire(Due, Due.AddHours(2));

        AssertRefused("removable_at", () => key.Remove(Due.AddHours(2).AddTicks(-1)));
        Assert.Equal(SigningKeyState.Retired, key.State);
    }

    [Fact]
    public void Remove_an_active_key_is_refused() =>
        AssertRefused("state", () => Active("kid-1").Remove(Due.AddDays(1)));

    [Fact]
    public void Remove_a_pending_key_is_refused() =>
        AssertRefused("state", () => Pending("kid-1").Remove(Due.AddDays(1)));

    public static TheoryData<string> RevocableStates => ["pending", "active", "retired"];

    [Theory]
    [MemberData(nameof(RevocableStates))]
    public void Revoke_a_published_key_unpublishes_it_at_once(string state)
    {
        var key = state switch { "pending" => Pending("kid-1"), "active" => Active("kid-1"), _ => Retired("kid-1") };
        key.ClearDomainEvents();

        key.Revoke(Due);

        Assert.Equal(SigningKeyState.Revoked, key.State);
        Assert.False(key.IsPublished);
        Assert.Equal(Due, key.RevokedAt);
        Assert.Equal("kid-1", Assert.IsType<SigningKeyRevoked>(Assert.Single(key.DomainEvents)).KeyId);
    }

    [Fact]
    public void Revoke_a_removed_key_is_refused() =>
        AssertRefused("state", () => Removed("kid-1").Revoke(Due.AddDays(1)));

    [Fact]
    public void Revoke_a_revoked_key_reports_no_change_and_keeps_the_first_revocation()
    {
        var key = Revoked("kid-1");
        key.ClearDomainEvents();

        Assert.False(key.Revoke(Due.AddDays(1)));
        Assert.Equal(Now.AddHours(1), key.RevokedAt);
        Assert.Empty(key.DomainEvents);
    }

    [Fact]
    public void Activate_a_revoked_key_is_refused() =>
        AssertRefused("state", () => Revoked("kid-1").Activate(Due.AddDays(1)));
}
