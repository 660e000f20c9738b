using AuthService.Application.Common.Interfaces;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Consents;
using AuthService.Domain.Sessions;

namespace AuthService.Application.Tests.Fakes;

/// <summary>
/// Codes in memory; hands back the same instances it was given, as a tracking persistence context would. A redemption reads
/// the code's person with it, from <paramref name="users"/> (none given: the person is gone).
/// </summary>
internal sealed class InMemoryAuthorizationCodeRepository(InMemoryUserRepository? users = null) : IAuthorizationCodeRepository
{
    public List<AuthorizationCode> Codes { get; } = [];

    public Task<AuthorizationCode?> FindAsync(string codeHash, CancellationToken cancellationToken) =>
        Task.FromResult(Codes.FirstOrDefault(c => string.Equals(c.CodeHash, codeHash, StringComparison.Ordinal)));

    public async Task<(AuthorizationCode Code, Domain.Users.User? User)?> FindWithUserAsync(string codeHash, CancellationToken cancellationToken) =>
        await FindAsync(codeHash, cancellationToken) is { } code ? (code, users?.Users.FirstOrDefault(u => u.Id == code.UserId)) : null;

    public void Add(AuthorizationCode code) => Codes.Add(code);

    public Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken) =>
        Task.FromResult(Codes.RemoveAll(c => (userId is null || c.UserId == userId) && (clientId is null || c.ClientId == clientId)));

    public Task<IReadOnlyList<AuthorizationCode>> ListUsableForSessionAsync(Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuthorizationCode>>([.. Codes.Where(c => c.SessionId == sessionId && c.RedeemedAt is null && c.ExpiresAt > now)]);

    public Task<IReadOnlyList<AuthorizationCode>> ListUsableAsync(Guid userId, string clientId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuthorizationCode>>([.. Codes.Where(c => c.UserId == userId && c.ClientId == clientId && c.RedeemedAt is null && c.ExpiresAt > now)]);

    /// <summary>Stands in for a fresh read after another writer committed: the stored row is now <paramref name="code"/>.</summary>
    public void Replace(AuthorizationCode code)
    {
        Codes.RemoveAll(c => string.Equals(c.CodeHash, code.CodeHash, StringComparison.Ordinal));
        Codes.Add(code);
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        var expired = Codes.Where(c => c.ExpiresAt < cutoff).Take(batchSize).ToList();
        expired.ForEach(c => Codes.Remove(c));
        return Task.FromResult(expired.Count);
    }
}

/// <summary>Issues "id-token-N" and records what it was asked; hints are answered from <see cref="Hints"/> (anything else: null).</summary>
internal sealed class FakeIdTokenIssuer : IIdTokenIssuer
{
    public List<IdTokenDescriptor> Issued { get; } = [];

    public Dictionary<string, IdTokenHint> Hints { get; } = new(StringComparer.Ordinal);

    public List<string> HintsRead { get; } = [];

    public string IssueLogoutToken(LogoutTokenDescriptor descriptor) => $"logout-token-{descriptor.TokenId}";

    public string Issue(IdTokenDescriptor descriptor)
    {
        Issued.Add(descriptor);
        return $"id-token-{Issued.Count}";
    }

    public ValueTask<IdTokenHint?> ReadHintAsync(string idToken, CancellationToken cancellationToken)
    {
        HintsRead.Add(idToken);
        return ValueTask.FromResult(Hints.GetValueOrDefault(idToken));
    }
}

/// <summary>Consents in memory; hands back the same instances it was given.</summary>
internal sealed class InMemoryConsentRepository : IConsentRepository
{
    public List<Consent> Consents { get; } = [];

    public int Lookups { get; private set; }

    public Task<Consent?> FindAsync(Guid userId, string clientId, CancellationToken cancellationToken)
    {
        Lookups++;
        return Task.FromResult(Consents.FirstOrDefault(c => c.UserId == userId && string.Equals(c.ClientId, clientId, StringComparison.Ordinal)));
    }

    public Task<IReadOnlyList<Consent>> ListAsync(
        Guid? userId, string? clientId, (Guid UserId, string ClientId)? after, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Consent>>([.. Consents
            .Where(c => (userId is null || c.UserId == userId) && (clientId is null || c.ClientId == clientId))
            .OrderBy(c => c.UserId).ThenBy(c => c.ClientId, StringComparer.Ordinal)
            .Where(c => after is not { } key || c.UserId.CompareTo(key.UserId) > 0
                || (c.UserId == key.UserId && string.CompareOrdinal(c.ClientId, key.ClientId) > 0))
            .Take(limit)]);

    public void Add(Consent consent) => Consents.Add(consent);

    public void Remove(Consent consent) => Consents.Remove(consent);

    public Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken) =>
        Task.FromResult(Consents.RemoveAll(c => (userId is null || c.UserId == userId) && (clientId is null || c.ClientId == clientId)));
}

/// <summary>Browser sessions in memory; hands back the same instances it was given.</summary>
internal sealed class InMemoryUserSessionRepository : IUserSessionRepository
{
    public List<UserSession> Sessions { get; } = [];

    public Task<UserSession?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions.FirstOrDefault(s => string.Equals(s.HandleHash, handleHash, StringComparison.Ordinal)));

    public Task<UserSession?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions.FirstOrDefault(s => s.Id == id));

    public Task<IReadOnlyList<UserSession>> ListCurrentForUserAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UserSession>>([.. Sessions
            .Where(s => s.UserId == userId && s.EndedAt is null && s.ExpiresAt > now && s.IdleExpiresAt > now)
            .OrderByDescending(s => s.AuthenticatedAt)]);

    public void Add(UserSession session) => Sessions.Add(session);

    public Task<int> DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions.RemoveAll(s => s.UserId == userId));

    /// <summary>Stands in for a fresh read after another writer committed: the stored row is now <paramref name="session"/>.</summary>
    public void Replace(UserSession session)
    {
        Sessions.RemoveAll(s => s.Id == session.Id);
        Sessions.Add(session);
    }

    public Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Sessions.RemoveAll(s => s.EndedAt < cutoff || s.ExpiresAt < cutoff));
}

/// <summary>
/// The sign-in throttle: <see cref="Wait"/> set means "this address waits"; <see cref="Saturated"/> means
/// every password-check slot is busy. Records failures and the slots entered and released.
/// </summary>
internal sealed class FakeLoginThrottle : ILoginThrottle
{
    public TimeSpan? Wait { get; set; }

    public bool Saturated { get; set; }

    public List<string?> Failures { get; } = [];

    public int SlotsEntered { get; private set; }

    public int SlotsReleased { get; private set; }

    /// <summary>True while a slot is held.</summary>
    public bool InSlot => SlotsEntered > SlotsReleased;

    public TimeSpan? RetryAfter(string? remoteAddress) => Wait;

    public void RecordFailure(string? remoteAddress) => Failures.Add(remoteAddress);

    public Task<IDisposable?> EnterPasswordCheckAsync(CancellationToken cancellationToken)
    {
        if (Saturated)
        {
            return Task.FromResult<IDisposable?>(null);
        }

        SlotsEntered++;
        return Task.FromResult<IDisposable?>(new Slot(this));
    }

    private sealed class Slot(FakeLoginThrottle owner) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                owner.SlotsReleased++;
            }
        }
    }
}

/// <summary>
/// Like <see cref="FakePasswordHasher"/> ("hash:" + password; "legacy:" + password asks for a re-hash),
/// but counts every hash and every verification, and remembers the hashes verified against.
/// </summary>
internal sealed class CountingPasswordHasher : IPasswordHasher
{
    public int HashCalls { get; private set; }

    public List<string> VerifiedHashes { get; } = [];

    /// <summary>Called at every verification, e.g. to check that it runs inside a password-check slot.</summary>
    public Action? OnVerify { get; set; }

    public string Hash(string password)
    {
        HashCalls++;
        return FakePasswordHasher.CurrentPrefix + password;
    }

    public PasswordVerification Verify(string passwordHash, string password)
    {
        VerifiedHashes.Add(passwordHash);
        OnVerify?.Invoke();
        return passwordHash == FakePasswordHasher.CurrentPrefix + password ? PasswordVerification.Success
            : passwordHash == FakePasswordHasher.LegacyPrefix + password ? PasswordVerification.SuccessRehashNeeded
            : PasswordVerification.Failed;
    }
}

/// <summary>Pending sign-ins in memory; hands back the same instances it was given.</summary>
internal sealed class InMemoryPendingSignInRepository : IPendingSignInRepository
{
    public List<PendingSignIn> Pending { get; } = [];

    public Task<PendingSignIn?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken) =>
        Task.FromResult(Pending.FirstOrDefault(p => string.Equals(p.HandleHash, handleHash, StringComparison.Ordinal)));

    public void Add(PendingSignIn pendingSignIn) => Pending.Add(pendingSignIn);

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Pending.RemoveAll(p => p.ExpiresAt < cutoff));
}

/// <summary>Second-factor enrolments in memory, by user.</summary>
internal sealed class InMemorySecondFactorEnrolmentRepository : Domain.SecondFactors.ISecondFactorEnrolmentRepository
{
    public List<Domain.SecondFactors.SecondFactorEnrolment> Enrolments { get; } = [];

    public Task<Domain.SecondFactors.SecondFactorEnrolment?> FindByUserIdAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult(Enrolments.FirstOrDefault(e => e.UserId == userId));

    public void Add(Domain.SecondFactors.SecondFactorEnrolment enrolment) => Enrolments.Add(enrolment);
}

/// <summary>Passkeys in memory (the second step asks only whether a person has one, and which).</summary>
internal sealed class InMemoryPasskeyRepository : Domain.Passkeys.IPasskeyRepository
{
    public List<Domain.Passkeys.Passkey> Passkeys { get; } = [];

    public Task<Domain.Passkeys.Passkey?> FindByCredentialIdAsync(byte[] credentialId, CancellationToken cancellationToken) =>
        Task.FromResult(Passkeys.FirstOrDefault(p => p.CredentialId.AsSpan().SequenceEqual(credentialId)));

    public Task<IReadOnlyList<Domain.Passkeys.Passkey>> ListByUserIdAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Domain.Passkeys.Passkey>>([.. Passkeys.Where(p => p.UserId == userId)]);

    public Task<bool> AnyForUserAsync(Guid userId, CancellationToken cancellationToken) => Task.FromResult(Passkeys.Exists(p => p.UserId == userId));

    public void Add(Domain.Passkeys.Passkey passkey) => Passkeys.Add(passkey);

    public void Remove(Domain.Passkeys.Passkey passkey) => Passkeys.Remove(passkey);
}
