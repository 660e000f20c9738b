using AuthService.Domain.DeviceAuthorizations;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class DeviceAuthorizationRepository(AuthDbContext db) : IDeviceAuthorizationRepository
{
    public Task<DeviceAuthorization?> FindAsync(string deviceCodeHash, CancellationToken cancellationToken) =>
        db.DeviceAuthorizations.SingleOrDefaultAsync(d => d.DeviceCodeHash == deviceCodeHash, cancellationToken);

    public Task<DeviceAuthorization?> FindByUserCodeAsync(string userCode, CancellationToken cancellationToken) =>
        db.DeviceAuthorizations.SingleOrDefaultAsync(d => d.UserCode == userCode, cancellationToken);

    public void Add(DeviceAuthorization authorization) => db.DeviceAuthorizations.Add(authorization);

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        db.DeviceAuthorizations
            .Where(d => d.ExpiresAt < cutoff)
            .OrderBy(d => d.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
