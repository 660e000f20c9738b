using AuthService.Domain.SigningKeys;
using static AuthService.Domain.Tests.SigningKeys.Keys;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.SigningKeys;

public class SigningKeyRotationPolicyTests
{
    private const string ES = SigningAlgorithms.ES256;
    private const string RS = SigningAlgorithms.RS256;

    /// <summary>When the active key of most tests started signing.</summary>
    private static readonly DateTimeOffset T0 = Now;

    private static readonly KeyRotationSchedule Schedule = new(TimeSpan.FromDays(30), TimeSpan.FromDays(2), TimeSpan.FromDays(2));

    private static DateTimeOffset Day(double days) => T0.AddDays(days);

    private static KeyRotationPlan Plan(DateTimeOffset now, string algorithm = ES, params SigningKey[] keys) =>
        SigningKeyRotationPolicy.Plan(keys, algorithm, now, Schedule);

    /// <summary>A pending key published at <paramref name="createdAt"/> that may sign from <paramref name="activatesAt"/>.</summary>
    private static SigningKey Successor(string kid, DateTimeOffset createdAt, DateTimeOffset activatesAt, string alg = ES) =>
        Pending(kid, alg, activatesAt, createdAt);

    /// <summary>A key that signed, retired two days before <paramref name="removableAt"/>.</summary>
    private static SigningKey RetiredUntil(string kid, DateTimeOffset removableAt, string alg = ES)
    {
        var key = Active(kid, alg, activatedAt: removableAt.AddDays(-40));
        key.Retire(removableAt.AddDays(-2), removableAt);
        return key;
    }

    private static void AssertNoRotation(KeyRotationPlan plan)
    {
        Assert.Null(plan.GeneratePendingActivatingAt);
        Assert.Null(plan.Activate);
        Assert.Null(plan.Retire);
        Assert.Null(plan.RetiredRemovableAt);
    }

    // ----- Publishing the successor -----

    [Fact]
    public void Before_period_minus_propagation_nothing_is_due_and_the_plan_is_empty()
    {
        var active = Active("es-1", activatedAt: T0);

        var atDay27 = Plan(Day(27), ES, active);
        var oneTickBeforeDay28 = Plan(Day(28).AddTicks(-1), ES, active);

        AssertNoRotation(atDay27);
        Assert.Empty(atDay27.Remove);
        Assert.True(atDay27.IsEmpty);
        Assert.True(oneTickBeforeDay28.IsEmpty);
    }

    [Fact]
    public void At_period_minus_propagation_a_successor_is_published_to_sign_at_the_rotation_date()
    {
        var plan = Plan(Day(28), ES, Active("es-1", activatedAt: T0));

        Assert.Equal(Day(30), plan.GeneratePendingActivatingAt);
        Assert.Null(plan.Activate);
        Assert.Null(plan.Retire);
        Assert.Null(plan.RetiredRemovableAt);
        Assert.Empty(plan.Remove);
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void Published_late_the_successor_still_gets_the_full_propagation_time()
    {
        var plan = Plan(Day(29), ES, Active("es-1", activatedAt: T0));

        Assert.Equal(Day(31), plan.GeneratePendingActivatingAt);
    }

    [Fact]
    public void Well_past_the_rotation_date_after_downtime_the_successor_signs_propagation_time_from_now()
    {
        var now = Day(40).AddMinutes(17);

        var plan = Plan(now, ES, Active("es-1", activatedAt: T0));

        Assert.Equal(now.AddDays(2), plan.GeneratePendingActivatingAt);
        Assert.Null(plan.Activate);
        Assert.Null(plan.Retire);
    }

    [Fact]
    public void Generation_timing_follows_the_schedule_it_is_given()
    {
        var schedule = new KeyRotationSchedule(TimeSpan.FromDays(7), TimeSpan.FromHours(12), TimeSpan.FromHours(6));
        SigningKey[] keys = [Active("es-1", activatedAt: T0)];

        Assert.True(SigningKeyRotationPolicy.Plan(keys, ES, T0.AddDays(7).AddHours(-12).AddTicks(-1), schedule).IsEmpty);
        Assert.Equal(T0.AddDays(7), SigningKeyRotationPolicy.Plan(keys, ES, T0.AddDays(7).AddHours(-12), schedule).GeneratePendingActivatingAt);
    }

    // ----- A pending key exists -----

    [Fact]
    public void A_pending_key_not_yet_due_neither_activates_nor_gets_a_second_pending_key()
    {
        var active = Active("es-1", activatedAt: T0);
        var pending = Successor("es-2", Day(28), Day(30));

        var plan = Plan(Day(29), ES, active, pending);

        AssertNoRotation(plan);
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Overdue_rotation_with_a_pending_key_still_propagating_waits_for_it_and_publishes_no_other()
    {
        var active = Active("es-1", activatedAt: T0);
        var pending = Successor("es-2", Day(40), Day(42));

        var plan = Plan(Day(41), ES, active, pending);

        AssertNoRotation(plan);
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Pending_due_and_rotation_due_activates_the_pending_key_and_retires_the_active_one()
    {
        var active = Active("es-1", activatedAt: T0);
        var pending = Successor("es-2", Day(28), Day(30));

        var plan = Plan(Day(30), ES, active, pending);

        Assert.Same(pending, plan.Activate);
        Assert.Same(active, plan.Retire);
        Assert.Equal(Day(32), plan.RetiredRemovableAt);
        Assert.Null(plan.GeneratePendingActivatingAt);
        Assert.Empty(plan.Remove);
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void A_late_switch_keeps_the_retired_key_published_for_retention_time_from_now()
    {
        var active = Active("es-1", activatedAt: T0);
        var pending = Successor("es-2", Day(28), Day(30));
        var now = Day(33).AddHours(5);

        var plan = Plan(now, ES, active, pending);

        Assert.Same(pending, plan.Activate);
        Assert.Same(active, plan.Retire);
        Assert.Equal(now.AddDays(2), plan.RetiredRemovableAt);
    }

    [Fact]
    public void The_retired_key_stays_published_for_the_retention_time_not_the_propagation_time()
    {
        var schedule = new KeyRotationSchedule(TimeSpan.FromDays(7), TimeSpan.FromHours(12), TimeSpan.FromHours(30));
        var active = Active("es-1", activatedAt: T0);
        var pending = Successor("es-2", T0.AddDays(6), T0.AddDays(7));

        var plan = SigningKeyRotationPolicy.Plan([active, pending], ES, T0.AddDays(7), schedule);

        Assert.Same(active, plan.Retire);
        Assert.Equal(T0.AddDays(7).AddHours(30), plan.RetiredRemovableAt);
    }

    [Fact]
    public void One_tick_before_the_pending_key_may_sign_it_is_not_activated_even_if_rotation_is_overdue()
    {
        var active = Active("es-1", activatedAt: T0);
        var pending = Successor("es-2", Day(31), Day(33));

        var plan = Plan(Day(33).AddTicks(-1), ES, active, pending);

        AssertNoRotation(plan);
    }

    [Fact]
    public void A_due_pending_key_waits_until_the_active_key_has_served_its_period()
    {
        // E.g. an operator published a successor with an early activation date.
        var active = Active("es-1", activatedAt: T0);
        var early = Successor("es-2", Day(1), Day(3));

        var midPeriod = Plan(Day(5), ES, active, early);
        var oneTickBeforeRotation = Plan(Day(30).AddTicks(-1), ES, active, early);
        var atRotation = Plan(Day(30), ES, active, early);

        AssertNoRotation(midPeriod);
        Assert.True(midPeriod.IsEmpty);
        AssertNoRotation(oneTickBeforeRotation);
        Assert.Same(early, atRotation.Activate);
        Assert.Same(active, atRotation.Retire);
    }

    [Fact]
    public void With_two_pending_keys_the_earliest_due_one_is_activated()
    {
        var active = Active("es-1", activatedAt: T0);
        var later = Successor("es-a", Day(28), Day(30).AddHours(1));
        var earlier = Successor("es-b", Day(28), Day(30));

        var plan = Plan(Day(31), ES, active, later, earlier);

        Assert.Same(earlier, plan.Activate);
        Assert.Null(plan.GeneratePendingActivatingAt);
    }

    // ----- Removal -----

    [Fact]
    public void A_retired_key_is_removed_exactly_from_its_removable_date()
    {
        var active = Active("es-1", activatedAt: T0);
        var retired = RetiredUntil("es-0", Day(2));

        var oneTickBefore = Plan(Day(2).AddTicks(-1), ES, active, retired);
        var atRemovableAt = Plan(Day(2), ES, active, retired);
        var later = Plan(Day(9), ES, active, retired);

        Assert.Empty(oneTickBefore.Remove);
        Assert.True(oneTickBefore.IsEmpty);
        Assert.Same(retired, Assert.Single(atRemovableAt.Remove));
        Assert.False(atRemovableAt.IsEmpty);
        AssertNoRotation(atRemovableAt);
        Assert.Same(retired, Assert.Single(later.Remove));
    }

    [Fact]
    public void Only_retired_keys_due_for_removal_are_listed()
    {
        var active = Active("es-1", activatedAt: T0);
        var dueA = RetiredUntil("es-a", Day(1));
        var notDue = RetiredUntil("es-b", Day(3));
        var dueB = RetiredUntil("es-c", Day(2));

        var plan = Plan(Day(2), ES, dueA, active, notDue, dueB);

        Assert.Equal(["es-a", "es-c"], plan.Remove.Select(k => k.KeyId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Retired_keys_of_another_algorithm_are_not_in_this_algorithms_plan()
    {
        var esActive = Active("es-1", ES, activatedAt: T0);
        var rsActive = Active("rs-1", RS, activatedAt: T0);
        var rsRetired = RetiredUntil("rs-0", Day(1), RS);

        var esPlan = Plan(Day(5), ES, esActive, rsActive, rsRetired);
        var rsPlan = Plan(Day(5), RS, esActive, rsActive, rsRetired);

        Assert.Empty(esPlan.Remove);
        Assert.True(esPlan.IsEmpty);
        Assert.Same(rsRetired, Assert.Single(rsPlan.Remove));
    }

    [Fact]
    public void Removed_and_revoked_keys_are_ignored()
    {
        var active = Active("es-1", activatedAt: Now.AddDays(10));
        var removed = Removed("es-removed");
        var revoked = Revoked("es-revoked");
        var revokedPending = Pending("es-revoked-pending");
        revokedPending.Revoke(Now.AddMinutes(5));

        var plan = Plan(Now.AddDays(20), ES, active, removed, revoked, revokedPending);

        Assert.True(plan.IsEmpty);
        Assert.Empty(plan.Remove);
    }

    [Fact]
    public void A_revoked_key_that_was_active_later_than_the_active_one_does_not_drive_rotation()
    {
        // The revoked key was activated at Now; the active one at Now - 29 d, so rotation is due by the active key's date.
        var active = Active("es-1", activatedAt: Now.AddDays(-29));
        var revoked = Revoked("es-revoked");

        var plan = Plan(Now.AddHours(2), ES, active, revoked);

        Assert.Equal(Now.AddHours(2).AddDays(2), plan.GeneratePendingActivatingAt);
    }

    // ----- No active key -----

    [Fact]
    public void Without_an_active_key_nothing_is_generated_or_activated_but_due_retired_keys_are_removed()
    {
        var revokedActive = Revoked("es-revoked");
        var duePending = Successor("es-pending", Day(-10), Day(-8));
        var retired = RetiredUntil("es-old", Day(1));

        var plan = Plan(Day(40), ES, revokedActive, duePending, retired);

        AssertNoRotation(plan);
        Assert.Same(retired, Assert.Single(plan.Remove));
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void Without_any_key_of_the_algorithm_the_plan_is_empty()
    {
        var plan = Plan(Day(100), ES, Active("rs-1", RS, activatedAt: T0), RetiredUntil("rs-0", Day(1), RS));

        AssertNoRotation(plan);
        Assert.Empty(plan.Remove);
        Assert.True(plan.IsEmpty);
    }

    // ----- Algorithms are independent -----

    [Fact]
    public void A_pending_key_of_another_algorithm_does_not_stop_publishing_a_successor()
    {
        var esActive = Active("es-1", ES, activatedAt: T0);
        var rsActive = Active("rs-1", RS, activatedAt: Day(-1));
        var rsPending = Successor("rs-2", Day(27), Day(29), RS);

        var plan = Plan(Day(28), ES, esActive, rsActive, rsPending);

        Assert.Equal(Day(30), plan.GeneratePendingActivatingAt);
    }

    [Fact]
    public void Each_algorithm_rotates_on_its_own_dates_and_only_its_own_keys()
    {
        var esActive = Active("es-1", ES, activatedAt: T0);
        var esPending = Successor("es-2", Day(28), Day(30), ES);
        var rsActive = Active("rs-1", RS, activatedAt: Day(10));
        SigningKey[] keys = [rsActive, esActive, esPending];

        var esPlan = Plan(Day(30), ES, keys);
        var rsPlan = Plan(Day(30), RS, keys);
        var rsLater = Plan(Day(38), RS, keys);

        Assert.Same(esPending, esPlan.Activate);
        Assert.Same(esActive, esPlan.Retire);
        Assert.True(rsPlan.IsEmpty);
        Assert.Equal(Day(40), rsLater.GeneratePendingActivatingAt);
        Assert.Null(rsLater.Activate);
        Assert.Null(rsLater.Retire);
    }

    [Fact]
    public void A_due_pending_key_of_another_algorithm_is_never_activated_in_place_of_a_missing_one()
    {
        var esActive = Active("es-1", ES, activatedAt: T0);
        var rsActive = Active("rs-1", RS, activatedAt: T0);
        var rsPending = Successor("rs-2", Day(28), Day(30), RS);

        var esPlan = Plan(Day(30), ES, esActive, rsActive, rsPending);

        Assert.Null(esPlan.Activate);
        Assert.Null(esPlan.Retire);
        Assert.Equal(Day(32), esPlan.GeneratePendingActivatingAt);
    }

    // ----- Simulated timeline -----

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(25)]
    public void Over_100_days_applying_every_plan_keeps_one_signing_key_and_honours_the_schedule(int checkIntervalHours)
    {
        var interval = TimeSpan.FromHours(checkIntervalHours);

        // A check can find the successor due up to one interval late, and its activation date up to one more.
        var latestSwitch = Schedule.RotationPeriod + interval + interval;
        var keys = new List<SigningKey>
        {
            // As EnsureSigningKeys would have left them; RS256 and EdDSA are offset so they do not all rotate together.
            Initial("es-0", ES, activatedAt: T0),
            Initial("rs-0", RS, activatedAt: T0.AddDays(-11)),
            Initial("ed-0", SigningAlgorithms.EdDSA, activatedAt: T0.AddDays(-5)),
        };
        var initialActivation = keys.ToDictionary(k => k.Algorithm, k => k.ActivatedAt!.Value);
        var activations = new Dictionary<string, List<DateTimeOffset>> { [ES] = [], [RS] = [], [SigningAlgorithms.EdDSA] = [] };
        var generated = 0;

        for (var now = T0; now <= T0.AddDays(100); now += interval)
        {
            var plans = SigningAlgorithms.Supported.Select(alg => (Algorithm: alg, Plan: SigningKeyRotationPolicy.Plan(keys, alg, now, Schedule))).ToList();
            foreach (var (algorithm, plan) in plans)
            {
                if (plan.GeneratePendingActivatingAt is { } activatesAt)
                {
                    keys.Add(SigningKey.Generate($"{algorithm}-{++generated}", algorithm, "{\"kty\":\"EC\"}", [1], "kek1", now, activatesAt));
                }

                plan.Retire?.Retire(now, plan.RetiredRemovableAt!.Value);
                foreach (var removed in plan.Remove)
                {
                    removed.Remove(now);
                }
            }

            foreach (var (algorithm, plan) in plans)
            {
                if (plan.Activate is { } activating)
                {
                    activating.Activate(now);
                    activations[algorithm].Add(now);
                }
            }

            foreach (var algorithm in SigningAlgorithms.Supported)
            {
                var ofAlgorithm = keys.Where(k => k.Algorithm == algorithm).ToList();
                var active = Assert.Single(ofAlgorithm, k => k.State == SigningKeyState.Active);
                Assert.True(now - active.ActivatedAt!.Value < latestSwitch,
                    $"{active.KeyId} has signed since {active.ActivatedAt:O}, too long at {now:O}");
                Assert.True(ofAlgorithm.Count(k => k.State == SigningKeyState.Pending) <= 1, $"two pending {algorithm} keys at {now:O}");
                Assert.DoesNotContain(ofAlgorithm, k => k.State == SigningKeyState.Retired && k.RemovableAt <= now);
            }
        }

        Assert.All(keys.Where(k => k.ActivatedAt is not null), k =>
        {
            Assert.True(k.ActivatedAt!.Value - k.CreatedAt >= Schedule.PropagationTime, $"{k.KeyId} signed {k.ActivatedAt - k.CreatedAt} after it was published");
            Assert.True(k.ActivatedAt.Value >= k.ActivatesAt);
        });
        Assert.All(keys.Where(k => k.RetiredAt is not null), k =>
            Assert.True(k.RemovableAt!.Value - k.RetiredAt!.Value >= Schedule.RetentionTime, $"{k.KeyId} removable too early"));
        Assert.All(keys.Where(k => k.RemovedAt is not null), k =>
            Assert.True(k.RemovedAt!.Value - k.RetiredAt!.Value >= Schedule.RetentionTime, $"{k.KeyId} removed {k.RemovedAt - k.RetiredAt} after retiring"));
        Assert.Contains(keys, k => k.State == SigningKeyState.Removed);
        foreach (var (algorithm, at) in activations)
        {
            Assert.InRange(at.Count, 3, 4);
            var previous = initialActivation[algorithm];
            foreach (var activatedAt in at)
            {
                Assert.InRange(activatedAt - previous, Schedule.RotationPeriod, latestSwitch);
                previous = activatedAt;
            }
        }
    }

    [Fact]
    public void Hourly_rotation_switches_exactly_at_each_rotation_date()
    {
        var keys = new List<SigningKey> { Initial("es-0", ES, activatedAt: T0) };
        var activatedAt = new List<DateTimeOffset>();
        var publishedAt = new List<DateTimeOffset>();

        for (var now = T0; now <= T0.AddDays(100); now += TimeSpan.FromHours(1))
        {
            var plan = SigningKeyRotationPolicy.Plan(keys, ES, now, Schedule);
            if (plan.GeneratePendingActivatingAt is { } activatesAt)
            {
                keys.Add(SigningKey.Generate($"es-{keys.Count}", ES, "{\"kty\":\"EC\"}", [1], "kek1", now, activatesAt));
                publishedAt.Add(now);
            }

            plan.Retire?.Retire(now, plan.RetiredRemovableAt!.Value);
            foreach (var removed in plan.Remove)
            {
                removed.Remove(now);
            }

            if (plan.Activate is { } activating)
            {
                activating.Activate(now);
                activatedAt.Add(now);
            }
        }

        Assert.Equal([Day(30), Day(60), Day(90)], activatedAt);
        Assert.Equal([Day(28), Day(58), Day(88)], publishedAt);
        Assert.Equal(
            [(SigningKeyState.Removed, Day(32)), (SigningKeyState.Removed, Day(62)), (SigningKeyState.Removed, Day(92)), (SigningKeyState.Active, (DateTimeOffset?)null)],
            keys.Select(k => (k.State, k.RemovedAt)));
    }

    /// <summary>A key published propagation time before it started signing at <paramref name="activatedAt"/>.</summary>
    private static SigningKey Initial(string kid, string alg, DateTimeOffset activatedAt)
    {
        var key = SigningKey.Generate(kid, alg, "{\"kty\":\"EC\"}", [1], "kek1", activatedAt - Schedule.PropagationTime, activatedAt);
        key.Activate(activatedAt);
        return key;
    }
}
