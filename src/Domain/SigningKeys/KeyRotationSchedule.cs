namespace AuthService.Domain.SigningKeys;

/// <summary>
/// The timings of scheduled rotation. A new key is published <see cref="PropagationTime"/> before it
/// signs (every resource server's JWKS cache has fetched it by then), each key signs for
/// <see cref="RotationPeriod"/>, and a retired key stays published for <see cref="RetentionTime"/>
/// (every token it signed has expired by then).
/// </summary>
public sealed record KeyRotationSchedule(TimeSpan RotationPeriod, TimeSpan PropagationTime, TimeSpan RetentionTime)
{
    public static readonly KeyRotationSchedule Default = new(TimeSpan.FromDays(30), TimeSpan.FromDays(2), TimeSpan.FromDays(2));
}

/// <summary>What rotation must do for one algorithm now. Empty when nothing is due.</summary>
public sealed record KeyRotationPlan(
    DateTimeOffset? GeneratePendingActivatingAt,
    SigningKey? Activate,
    SigningKey? Retire,
    DateTimeOffset? RetiredRemovableAt,
    IReadOnlyList<SigningKey> Remove)
{
    public bool IsEmpty => GeneratePendingActivatingAt is null && Activate is null && Remove.Count == 0;
}

/// <summary>
/// The rotation rules as a pure function of the keys, the clock and the schedule (unit-tested apart
/// from storage and scheduling, as ASP.NET Core's DefaultKeyResolver).
/// </summary>
public static class SigningKeyRotationPolicy
{
    public static KeyRotationPlan Plan(IReadOnlyList<SigningKey> keys, string algorithm, DateTimeOffset now, KeyRotationSchedule schedule)
    {
        var ofAlgorithm = keys.Where(k => k.Algorithm == algorithm).ToList();
        var active = SigningKeyPolicy.SelectSigningKey(ofAlgorithm, algorithm);
        var remove = ofAlgorithm.Where(k => k.State == SigningKeyState.Retired && k.RemovableAt <= now).ToList();
        if (active is null)
        {
            // No signing key at all is EnsureSigningKeys' case (first start, emergency revocation).
            return new KeyRotationPlan(null, null, null, null, remove);
        }

        var pending = ofAlgorithm.Where(k => k.State == SigningKeyState.Pending)
            .OrderBy(k => k.ActivatesAt).ThenBy(k => k.KeyId, StringComparer.Ordinal).FirstOrDefault();
        var rotationDue = active.ActivatedAt!.Value + schedule.RotationPeriod;
        if (pending is null)
        {
            // Publish the successor early enough that it has propagated when the rotation is due. Once
            // that moment has come, now + propagation is at or past the due date: the successor always
            // gets its full propagation time, even when the check runs late (e.g. after downtime).
            var generate = now >= rotationDue - schedule.PropagationTime
                ? now + schedule.PropagationTime
                : (DateTimeOffset?)null;
            return new KeyRotationPlan(generate, null, null, null, remove);
        }

        return pending.ActivatesAt <= now && now >= rotationDue
            ? new KeyRotationPlan(null, pending, active, now + schedule.RetentionTime, remove)
            : new KeyRotationPlan(null, null, null, null, remove);
    }
}
