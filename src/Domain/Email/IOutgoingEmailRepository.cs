using AuthService.Domain.Common;

namespace AuthService.Domain.Email;

/// <summary>The outbox of e-mail (<see cref="IOutbox{TMessage}"/>) and the admin API's view of it.</summary>
public interface IOutgoingEmailRepository : IOutbox<OutgoingEmail>
{
    /// <summary>Newest first, optionally of one user.</summary>
    Task<IReadOnlyList<OutgoingEmail>> ListAsync(Guid? userId, int limit, CancellationToken cancellationToken);
}
