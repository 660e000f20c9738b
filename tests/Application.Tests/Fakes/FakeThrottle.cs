using AuthService.Application.Common.Interfaces;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Records failures; <see cref="Wait"/> set means "throttled".</summary>
internal sealed class FakeThrottle : IClientAuthenticationThrottle
{
    public TimeSpan? Wait { get; set; }

    public List<(string ClientId, string? RemoteAddress)> Failures { get; } = [];

    public TimeSpan? RetryAfter(string clientId, string? remoteAddress) => Wait;

    public void RecordFailure(string clientId, string? remoteAddress) => Failures.Add((clientId, remoteAddress));
}
