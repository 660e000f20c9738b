using AuthService.Domain.Common;
using AuthService.Application.Logout;
using AuthService.Domain.Clients;
using AuthService.Domain.LogoutNotifications;
using AuthService.Domain.Sessions;

namespace AuthService.Application.Tests.Fakes;

internal sealed class InMemoryLogoutNotificationRepository : ILogoutNotificationRepository
{
    public List<LogoutNotification> Notifications { get; } = [];

    public static LogoutPropagation Propagation(IClientRepository clients, IUserSessionRepository sessions, InMemoryLogoutNotificationRepository? notifications = null) =>
        new(clients, sessions, notifications ?? new InMemoryLogoutNotificationRepository(), new FakeIssuerProvider());

    public void Add(LogoutNotification notification) => Notifications.Add(notification);

    public Task<IReadOnlyList<Guid>> ListDueAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. Notifications.Where(n => n.Status == OutboxStatus.Pending && n.NextAttemptAt <= now).Take(batchSize).Select(n => n.Id)]);

    public Task<bool> TryClaimAsync(Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<LogoutNotification?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Notifications.SingleOrDefault(n => n.Id == id));

    public Task<IReadOnlyList<LogoutNotification>> ListAsync(string? clientId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LogoutNotification>>([.. Notifications.Where(n => clientId == null || n.ClientId == clientId).Take(limit)]);

    public Task<int> DeleteSettledAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Notifications.RemoveAll(n => n.Status != OutboxStatus.Pending && n.CreatedAt < cutoff));
}
