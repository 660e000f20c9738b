using AuthService.Application.Federation;
using AuthService.Domain.Federation;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Upstream round trips in memory; hands back the same instances it was given.</summary>
internal sealed class InMemoryExternalSignInRepository : IExternalSignInRepository
{
    public List<ExternalSignIn> SignIns { get; } = [];

    public Task<ExternalSignIn?> FindByStateHashAsync(string stateHash, CancellationToken cancellationToken) =>
        Task.FromResult(SignIns.SingleOrDefault(s => s.StateHash == stateHash));

    public Task<ExternalSignIn?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(SignIns.SingleOrDefault(s => s.Id == id));

    public void Add(ExternalSignIn signIn) => SignIns.Add(signIn);

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(SignIns.RemoveAll(s => s.ExpiresAt < cutoff - ExternalSignIn.ProofLifetime));
}

/// <summary>
/// An upstream that answers what the test sets (<see cref="Outcome"/>), and records the round trips' values it was given;
/// the protocols themselves are tested against real upstreams in the integration tests.
/// </summary>
internal sealed class ScriptedUpstreamProtocol : IUpstreamProtocol
{
    public ExternalProtocol Protocol => ExternalProtocol.OpenIdConnect;

    public UpstreamOutcome Outcome { get; set; } = new UpstreamOutcome.Refused("not_scripted");

    public bool Down { get; set; }

    public List<UpstreamChallenge> Challenges { get; } = [];

    public List<UpstreamCallback> Callbacks { get; } = [];

    public Task<Uri> BuildAuthorizationUrlAsync(ExternalProvider provider, UpstreamChallenge challenge, CancellationToken cancellationToken)
    {
        if (Down)
        {
            throw new UpstreamUnavailableException("discovery failed");
        }

        Challenges.Add(challenge);
        return Task.FromResult(new Uri($"https://idp.example/authorize?state={Uri.EscapeDataString(challenge.State)}"));
    }

    public Task<UpstreamOutcome> CompleteAsync(ExternalProvider provider, UpstreamCallback callback, CancellationToken cancellationToken)
    {
        Callbacks.Add(callback);
        return Task.FromResult(Outcome);
    }
}

/// <summary>No device authorizations (the tests of the account page's sign-in never continue to a device).</summary>
internal sealed class NoDeviceAuthorizations : Domain.DeviceAuthorizations.IDeviceAuthorizationRepository
{
    public Task<Domain.DeviceAuthorizations.DeviceAuthorization?> FindAsync(string deviceCodeHash, CancellationToken cancellationToken) =>
        Task.FromResult<Domain.DeviceAuthorizations.DeviceAuthorization?>(null);

    public Task<Domain.DeviceAuthorizations.DeviceAuthorization?> FindByUserCodeAsync(string userCode, CancellationToken cancellationToken) =>
        Task.FromResult<Domain.DeviceAuthorizations.DeviceAuthorization?>(null);

    public void Add(Domain.DeviceAuthorizations.DeviceAuthorization authorization) => throw new InvalidOperationException("Not expected in these tests.");

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) => Task.FromResult(0);
}
