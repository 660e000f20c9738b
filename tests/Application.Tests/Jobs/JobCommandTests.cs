using AuthService.Application.Email.Commands.PurgeEndedEmailTokens;
using AuthService.Application.Jobs.Commands;
using AuthService.Application.Outbox.Commands.PurgeSettledOutbox;
using AuthService.Application.Registration.Commands.PurgeInactiveClients;
using AuthService.Application.Replay.Commands.PurgeUsedIdentifiers;
using AuthService.Application.Revocation.Commands.PurgeExpiredRevocations;
using AuthService.Application.SignIn.Commands.PurgeEndedGrants;
using AuthService.Application.SigningKeys.Commands.EnsureSigningKeys;
using AuthService.Application.SigningKeys.Commands.RotateSigningKeys;
using MediatR;

namespace AuthService.Application.Tests.Jobs;

/// <summary>Each scheduled job sends one command; these are the use cases that command runs, step by step.</summary>
public class JobCommandTests
{
    [Fact]
    public async Task Signing_key_maintenance_ensures_every_algorithm_has_a_key_before_rotating()
    {
        var mediator = new RecordingMediator();

        await new RunSigningKeyMaintenanceHandler(mediator).Handle(new RunSigningKeyMaintenance(), CancellationToken.None);

        Assert.Equal([typeof(EnsureSigningKeys), typeof(RotateSigningKeys)], mediator.Sent);
    }

    [Fact]
    public async Task Clean_up_purges_the_denylist_then_ended_grants_then_used_identifiers_then_inactive_clients_then_email_tokens_and_outbox_rows_and_counts_all()
    {
        var mediator = new RecordingMediator
        {
            Deleted =
            {
                [typeof(PurgeExpiredRevocations)] = 3, [typeof(PurgeEndedGrants)] = 4, [typeof(PurgeUsedIdentifiers)] = 5, [typeof(PurgeInactiveClients)] = 6,
                [typeof(PurgeEndedEmailTokens)] = 7, [typeof(PurgeSettledOutbox)] = 8,
            },
        };

        var deleted = await new RunCleanUpHandler(mediator).Handle(new RunCleanUp(), CancellationToken.None);

        Assert.Equal(
            [typeof(PurgeExpiredRevocations), typeof(PurgeEndedGrants), typeof(PurgeUsedIdentifiers), typeof(PurgeInactiveClients), typeof(PurgeEndedEmailTokens), typeof(PurgeSettledOutbox)],
            mediator.Sent);
        Assert.Equal(33, deleted);
    }

    [Fact]
    public async Task A_failed_recovery_stops_the_run_before_rotating()
    {
        var mediator = new RecordingMediator { FailOn = typeof(EnsureSigningKeys) };

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new RunSigningKeyMaintenanceHandler(mediator).Handle(new RunSigningKeyMaintenance(), CancellationToken.None));

        Assert.Equal([typeof(EnsureSigningKeys)], mediator.Sent);
    }

    /// <summary>Records the commands sent, answers the purges with set counts, and can fail one command type.</summary>
    private sealed class RecordingMediator : IMediator
    {
        public List<Type> Sent { get; } = [];

        public Dictionary<Type, int> Deleted { get; } = [];

        public Type? FailOn { get; init; }

        public Task<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default)
        {
            Sent.Add(request.GetType());
            if (request.GetType() == FailOn)
            {
                throw new InvalidOperationException("The store is unavailable.");
            }

            object response = typeof(TResponse) == typeof(int) ? Deleted.GetValueOrDefault(request.GetType()) : Unit.Value;
            return Task.FromResult((TResponse)response);
        }

        public Task Send(IRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The job commands send only requests with a response.");

        public Task Publish(INotification notification, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
            where TNotification : INotification => Task.CompletedTask;
    }
}
