using AuthService.Domain.Common;

namespace AuthService.Domain.LogoutNotifications;

/// <summary>The outbox of back-channel logout notifications (<see cref="IOutbox{TMessage}"/>) and the admin API's view of it.</summary>
public interface ILogoutNotificationRepository : IOutbox<LogoutNotification>
{
    /// <summary>Newest first, optionally of one client.</summary>
    Task<IReadOnlyList<LogoutNotification>> ListAsync(string? clientId, int limit, CancellationToken cancellationToken);
}
