using AuthService.Domain.Common;
using AuthService.Application.Common.Paging;
using AuthService.Domain.LogoutNotifications;
using MediatR;

namespace AuthService.Application.Logout.Queries;

/// <summary>A back-channel logout notification for the admin API: where it goes, its delivery state and last error (never the token).</summary>
public sealed record LogoutNotificationResponse(
    Guid Id,
    string ClientId,
    Guid SessionId,
    string Subject,
    string BackchannelLogoutUri,
    string Reason,
    string Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    string? LastError)
{
    public static LogoutNotificationResponse From(LogoutNotification n) => new(
        n.Id, n.ClientId, n.SessionId, n.Subject, n.BackchannelLogoutUri, n.Reason, n.Status.ToString().ToLowerInvariant(), n.Attempts,
        n.CreatedAt.ToUniversalTime(), n.Status == OutboxStatus.Pending ? n.NextAttemptAt.ToUniversalTime() : null,
        n.DeliveredAt?.ToUniversalTime(), n.LastError);
}

/// <summary>The newest <see cref="MaxItems"/> notifications, optionally of one client; one page.</summary>
public sealed record ListLogoutNotifications(string? ClientId) : IRequest<Page<LogoutNotificationResponse>>
{
    public const int MaxItems = 200;
}

public sealed class ListLogoutNotificationsHandler(ILogoutNotificationRepository notifications)
    : IRequestHandler<ListLogoutNotifications, Page<LogoutNotificationResponse>>
{
    public async Task<Page<LogoutNotificationResponse>> Handle(ListLogoutNotifications request, CancellationToken cancellationToken) =>
        new([.. (await notifications.ListAsync(request.ClientId, ListLogoutNotifications.MaxItems, cancellationToken)).Select(LogoutNotificationResponse.From)], NextCursor: null);
}
