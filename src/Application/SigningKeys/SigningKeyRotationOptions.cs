using AuthService.Domain.SigningKeys;

namespace AuthService.Application.SigningKeys;

/// <summary>
/// The <c>Auth:SigningKeyRotation</c> section (TimeSpan values, e.g. "30.00:00:00"). Validated at start
/// against the JWKS cache time and the longest access-token lifetime (see Infrastructure's DependencyInjection).
/// </summary>
public sealed class SigningKeyRotationOptions
{
    public const string SectionName = "Auth:SigningKeyRotation";

    /// <summary>How long each key signs before its successor takes over.</summary>
    public TimeSpan RotationPeriod { get; set; } = KeyRotationSchedule.Default.RotationPeriod;

    /// <summary>How long a new key is published before it signs; at least the JWKS cache time.</summary>
    public TimeSpan PropagationTime { get; set; } = KeyRotationSchedule.Default.PropagationTime;

    /// <summary>How long a retired key stays published; at least the longest access-token lifetime.</summary>
    public TimeSpan RetentionTime { get; set; } = KeyRotationSchedule.Default.RetentionTime;

    /// <summary>How often the rotation job runs (once per cluster each time).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    public KeyRotationSchedule ToSchedule() => new(RotationPeriod, PropagationTime, RetentionTime);
}
