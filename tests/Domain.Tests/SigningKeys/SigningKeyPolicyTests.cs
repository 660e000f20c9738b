using AuthService.Domain.SigningKeys;
using static AuthService.Domain.Tests.SigningKeys.Keys;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.SigningKeys;

public class SigningKeyPolicyTests
{
    [Fact]
    public void SelectSigningKey_returns_the_active_key_of_the_algorithm()
    {
        SigningKey[] keys = [Active("es-1", "ES256"), Active("rs-1", "RS256"), Pending("es-2", "ES256")];

        Assert.Equal("es-1", SigningKeyPolicy.SelectSigningKey(keys, "ES256")?.KeyId);
        Assert.Equal("rs-1", SigningKeyPolicy.SelectSigningKey(keys, "RS256")?.KeyId);
    }

    [Fact]
    public void SelectSigningKey_returns_null_without_an_active_key() =>
        Assert.Null(SigningKeyPolicy.SelectSigningKey([Active("rs-1", "RS256")], "ES256"));

    [Fact]
    public void SelectSigningKey_never_returns_a_pending_retired_removed_or_revoked_key() =>
        Assert.Null(SigningKeyPolicy.SelectSigningKey(
            [Pending("p"), Retired("r"), Removed("x"), Revoked("v")], "ES256"));

    [Fact]
    public void SelectSigningKey_with_two_active_keys_prefers_the_most_recently_activated()
    {
        var older = Active("b-newer-name", activatedAt: Now);
        var newer = Active("a-older-name", activatedAt: Now.AddMinutes(1));

        Assert.Same(newer, SigningKeyPolicy.SelectSigningKey([older, newer], "ES256"));
        Assert.Same(newer, SigningKeyPolicy.SelectSigningKey([newer, older], "ES256"));
    }

    [Fact]
    public void SelectSigningKey_with_two_keys_activated_together_breaks_the_tie_by_key_id()
    {
        var b = Active("kid-b");
        var a = Active("kid-a");

        Assert.Same(a, SigningKeyPolicy.SelectSigningKey([b, a], "ES256"));
        Assert.Same(a, SigningKeyPolicy.SelectSigningKey([a, b], "ES256"));
    }

    [Fact]
    public void Published_lists_active_then_pending_then_retired_and_drops_the_rest()
    {
        SigningKey[] keys =
        [
            Retired("retired-es"), Pending("pending-rs", "RS256"), Removed("removed-es"), Active("active-rs", "RS256"),
            Revoked("revoked-es"), Active("active-es"), Pending("pending-es"),
        ];

        var published = SigningKeyPolicy.Published(keys);

        Assert.Equal(["active-es", "active-rs", "pending-es", "pending-rs", "retired-es"], published.Select(k => k.KeyId));
    }

    [Fact]
    public void NeedsImmediateKey_is_true_without_an_active_key_even_with_a_pending_one_not_yet_due()
    {
        SigningKey[] keys = [Pending("es-later", activatesAt: Now.AddDays(1)), Retired("es-old"), Active("rs-1", "RS256")];

        Assert.True(SigningKeyPolicy.NeedsImmediateKey(keys, "ES256"));
    }

    [Fact]
    public void NeedsImmediateKey_is_true_for_no_keys_at_all() =>
        Assert.True(SigningKeyPolicy.NeedsImmediateKey([], "RS256"));

    [Fact]
    public void NeedsImmediateKey_is_false_with_an_active_key_of_that_algorithm() =>
        Assert.False(SigningKeyPolicy.NeedsImmediateKey([Active("es-1"), Pending("es-2")], "ES256"));

    [Fact]
    public void DuePendingKey_picks_the_earliest_due_pending_key_of_the_algorithm()
    {
        var laterDue = Pending("es-b", activatesAt: Now.AddMinutes(30));
        var earliestDue = Pending("es-a", activatesAt: Now.AddMinutes(10));
        var notDue = Pending("es-c", activatesAt: Now.AddHours(5));
        var otherAlgorithm = Pending("rs-1", "RS256", activatesAt: Now);

        var due = SigningKeyPolicy.DuePendingKey([notDue, laterDue, otherAlgorithm, earliestDue], "ES256", Now.AddHours(1));

        Assert.Same(earliestDue, due);
    }

    [Fact]
    public void DuePendingKey_ignores_keys_not_yet_due()
    {
        SigningKey[] keys = [Pending("es-1", activatesAt: Now.AddHours(1))];

        Assert.Null(SigningKeyPolicy.DuePendingKey(keys, "ES256", Now.AddHours(1).AddTicks(-1)));
        Assert.Equal("es-1", SigningKeyPolicy.DuePendingKey(keys, "ES256", Now.AddHours(1))?.KeyId);
    }

    [Fact]
    public void DuePendingKey_ignores_keys_that_are_not_pending() =>
        Assert.Null(SigningKeyPolicy.DuePendingKey([Active("es-1"), Retired("es-2"), Revoked("es-3")], "ES256", Now.AddDays(1)));
}
