using AuthService.Application.Common.Security;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Answers <see cref="Failure"/> (null: the assertion verifies) and records which client each assertion was checked for.</summary>
internal sealed class FakeAssertionValidator : IClientAssertionValidator
{
    public string? Failure { get; set; }

    public List<(string ClientId, string Assertion)> Calls { get; } = [];

    public Task<string?> ValidateAsync(ClientSnapshot client, string assertion, CancellationToken cancellationToken)
    {
        Calls.Add((client.ClientId, assertion));
        return Task.FromResult(Failure);
    }
}
