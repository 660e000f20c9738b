using System.Diagnostics;

namespace AuthService.Infrastructure.Observability;

/// <summary>The names under which AuthService's own spans and metrics are published (docs/operations.md "Observability").</summary>
public static class AuthServiceTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> and of the <see cref="ActivitySource"/>.</summary>
    public const string Name = "AuthService";

    /// <summary>
    /// The spans of the use cases (one per MediatR request). Static, as activity sources are meant to be: with no
    /// listener, <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and allocates nothing.
    /// </summary>
    public static readonly ActivitySource Source = new(Name);
}
