using System.Collections.Concurrent;
using AuthService.Domain.Common;
using AuthService.Domain.Users.Events;

namespace AuthService.Infrastructure.Caching;

/// <summary>
/// Whether a person may still hold tokens (the account exists and is not disabled), remembered per account on PostgreSQL so
/// that introspecting a person's token reads no account row (docs/adr/0040, "accounts"). Kept exactly as the denylist copy
/// is: a trigger notifies every change of <c>users.disabled</c> and every deletion; <see cref="RevocationListener"/>
/// forgets the account on its notification and forgets everything whenever its connection is lost or reloaded, and this
/// replica forgets an account as soon as it commits a change to it. Nothing is answered while the listener is not current.
/// A read that races a change is not remembered: every change moves <see cref="Epoch"/>, and an answer read under an older
/// epoch is dropped. Bounded: past <see cref="MaxEntries"/> accounts it starts afresh.
/// </summary>
internal sealed class AccountStates
{
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<Guid, bool> _enabled = new();
    private long _epoch;
    private volatile bool _current;

    /// <summary>Moves with every change that may make a remembered answer wrong; snapshot it before reading the account.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    public bool TryGet(Guid userId, out bool enabled)
    {
        enabled = false;
        return _current && _enabled.TryGetValue(userId, out enabled);
    }

    /// <summary>Remembers an answer read from the database under <paramref name="epochBeforeRead"/>, unless anything changed since.</summary>
    public void Store(Guid userId, bool enabled, long epochBeforeRead)
    {
        if (!_current || Epoch != epochBeforeRead)
        {
            return;
        }

        if (_enabled.Count >= MaxEntries)
        {
            _enabled.Clear();
        }

        _enabled[userId] = enabled;
        if (Epoch != epochBeforeRead)
        {
            // A change landed while storing: the answer may predate it.
            _enabled.TryRemove(userId, out _);
        }
    }

    public void Forget(Guid userId)
    {
        Interlocked.Increment(ref _epoch);
        _enabled.TryRemove(userId, out _);
    }

    /// <summary>The accounts this replica has just committed changes to (disabled, enabled, deleted).</summary>
    public void ForgetCommitted(IEnumerable<IDomainEvent> committed)
    {
        foreach (var domainEvent in committed)
        {
            switch (domainEvent)
            {
                case UserDisabled e:
                    Forget(e.UserId);
                    break;
                case UserEnabled e:
                    Forget(e.UserId);
                    break;
                case UserDeleted e:
                    Forget(e.UserId);
                    break;
            }
        }
    }

    /// <summary>The listener is (again) listening: start from nothing, and remember from now on.</summary>
    public void Resume()
    {
        Interlocked.Increment(ref _epoch);
        _enabled.Clear();
        _current = true;
    }

    /// <summary>The listener lost its connection: nothing is answered, and nothing remembered survives.</summary>
    public void Suspend()
    {
        _current = false;
        Interlocked.Increment(ref _epoch);
        _enabled.Clear();
    }
}
