using AuthService.Application.Email;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tests.Fakes;

/// <summary>An outbox in a list: every claim succeeds (one worker), settled messages older than the cutoff are purged.</summary>
internal abstract class InMemoryOutbox<TMessage> : IOutbox<TMessage>
    where TMessage : OutboxMessage
{
    protected List<TMessage> Messages { get; } = [];

    public void Add(TMessage message) => Messages.Add(message);

    public Task<IReadOnlyList<Guid>> ListDueAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. Messages.Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now).Take(batchSize).Select(m => m.Id)]);

    public Task<bool> TryClaimAsync(Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<TMessage?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Messages.SingleOrDefault(m => m.Id == id));

    public Task<int> DeleteSettledAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Messages.RemoveAll(m => m.Status != OutboxStatus.Pending && m.CreatedAt < cutoff));
}

internal sealed class InMemoryOutgoingEmailRepository : InMemoryOutbox<OutgoingEmail>, IOutgoingEmailRepository
{
    public List<OutgoingEmail> Emails => Messages;

    public Task<IReadOnlyList<OutgoingEmail>> ListAsync(Guid? userId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OutgoingEmail>>([.. Emails.Where(e => userId == null || e.UserId == userId).Take(limit)]);
}

internal sealed class InMemoryEmailRequestRepository : InMemoryOutbox<EmailRequest>, IEmailRequestRepository
{
    public List<EmailRequest> Requests => Messages;
}

internal sealed class InMemoryEmailTokenRepository : IEmailTokenRepository
{
    public List<EmailToken> Tokens { get; } = [];

    public void Add(EmailToken token) => Tokens.Add(token);

    public Task<EmailToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        Task.FromResult(Tokens.SingleOrDefault(t => t.TokenHash == tokenHash));

    public Task<IReadOnlyList<EmailToken>> ListOpenAsync(Guid userId, EmailTokenPurpose purpose, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EmailToken>>([.. Tokens.Where(t => t.UserId == userId && t.Purpose == purpose && t.ConsumedAt == null && t.RevokedAt == null && t.ExpiresAt > now)]);

    public Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Tokens.RemoveAll(t => t.ExpiresAt < cutoff || t.ConsumedAt < cutoff || t.RevokedAt < cutoff));
}

/// <summary>An <see cref="EmailLinks"/> writing into the two in-memory stores.</summary>
internal sealed record EmailFakes(InMemoryEmailTokenRepository Tokens, InMemoryOutgoingEmailRepository Outbox)
{
    public EmailFakes()
        : this(new InMemoryEmailTokenRepository(), new InMemoryOutgoingEmailRepository())
    {
    }

    public EmailLinks Links => new(Tokens, Outbox, new FakeIssuerProvider(), Options.Create(new EmailOptions()));
}
