using AuthService.Application.SignIn.Commands.PurgeEndedGrants;
using AuthService.Domain.Common;
using AuthService.Domain.DeviceAuthorizations;
using AuthService.Domain.Users;
using AuthService.Integration.Tests.Infrastructure;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.DeviceAuthorization;

/// <summary>
/// Device authorizations on real PostgreSQL: the device code only as its hash, one authorization per user code, racing
/// redemptions through two units of work (as two replicas would) of which exactly one wins, the grown polling interval
/// kept, and expired ones removed by the clean-up job.
/// </summary>
public sealed class DeviceAuthorizationPersistenceTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private AsyncServiceScope NewScope() => server.Factory.Services.CreateAsyncScope();

    private static Domain.DeviceAuthorizations.DeviceAuthorization NewAuthorization(string deviceCode, DateTimeOffset now, string? userCode = null) =>
        Domain.DeviceAuthorizations.DeviceAuthorization.Issue(
            OpaqueToken.HashOf(deviceCode), userCode ?? UserCode.New(), SignInClients.PN, ["openid", "api.read"], [], now, Lifetime, Interval);

    private async Task<string> StoreAsync(Func<DateTimeOffset, Domain.DeviceAuthorizations.DeviceAuthorization> create, Func<Domain.DeviceAuthorizations.DeviceAuthorization, User, Task>? change = null)
    {
        await using var scope = NewScope();
        var authorization = create(DateTimeOffset.UtcNow.AddSeconds(-30));
        if (change is not null)
        {
            var alice = await AliceAsync(scope);
            await change(authorization, alice);
        }

        scope.ServiceProvider.GetRequiredService<IDeviceAuthorizationRepository>().Add(authorization);
        Assert.Equal(SaveResult.Saved, await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        return authorization.DeviceCodeHash;
    }

    private static async Task<User> AliceAsync(AsyncServiceScope scope) =>
        (await scope.ServiceProvider.GetRequiredService<IUserRepository>().FindByNormalizedUsernameAsync(User.Normalize(SignInClients.AliceUsername), CancellationToken.None))!;

    private static Task Approve(Domain.DeviceAuthorizations.DeviceAuthorization authorization, User alice)
    {
        Assert.True(authorization.Approve(alice, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_device_code_is_stored_only_as_its_hash_and_found_by_the_user_code()
    {
        var deviceCode = OpaqueToken.New();
        var userCode = UserCode.New();
        var hash = await StoreAsync(now => NewAuthorization(deviceCode, now, userCode));

        Assert.Equal(0L, await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM device_authorizations WHERE device_code_hash = @code OR scopes LIKE '%' || @code || '%'", ("code", deviceCode)));
        await using var scope = NewScope();
        var found = await scope.ServiceProvider.GetRequiredService<IDeviceAuthorizationRepository>().FindByUserCodeAsync(userCode, CancellationToken.None);
        Assert.NotNull(found);
        Assert.Equal(hash, found.DeviceCodeHash);
        Assert.Equal(["openid", "api.read"], found.Scopes);
        Assert.Equal(DeviceAuthorizationStatus.Pending, found.Status);

        // The request's audit entry is written in the same save, naming the client, never the code.
        Assert.Equal(0L, await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_entries WHERE details::text LIKE '%' || @hash || '%'", ("hash", hash)));
        Assert.True(await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_entries WHERE event_type = 'device_authorization.requested' AND subject_id = 'PN'") >= 1);
    }

    [Fact]
    public async Task Two_authorizations_never_share_a_user_code()
    {
        var userCode = UserCode.New();
        await StoreAsync(now => NewAuthorization(OpaqueToken.New(), now, userCode));

        await using var scope = NewScope();
        scope.ServiceProvider.GetRequiredService<IDeviceAuthorizationRepository>().Add(NewAuthorization(OpaqueToken.New(), DateTimeOffset.UtcNow, userCode));
        Assert.Equal(SaveResult.UniquenessConflict, await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Racing_redemptions_through_two_units_of_work_redeem_once()
    {
        const string Redemptions = "SELECT count(*) FROM audit_entries WHERE event_type = 'device_authorization.redeemed' AND client_id = 'PN'";
        var hash = await StoreAsync(now => NewAuthorization(OpaqueToken.New(), now), Approve);
        var redemptionsBefore = await server.Database.ScalarAsync<long>(Redemptions);

        await using var first = NewScope();
        await using var second = NewScope();
        var a = (await first.ServiceProvider.GetRequiredService<IDeviceAuthorizationRepository>().FindAsync(hash, CancellationToken.None))!;
        var b = (await second.ServiceProvider.GetRequiredService<IDeviceAuthorizationRepository>().FindAsync(hash, CancellationToken.None))!;
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(DevicePoll.Redeemed, a.Poll(SignInClients.PN, await AliceAsync(first), now));
        Assert.Equal(DevicePoll.Redeemed, b.Poll(SignInClients.PN, await AliceAsync(second), now));

        var saves = await Task.WhenAll(
            first.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None),
            second.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));

        Assert.Single(saves, s => s == SaveResult.Saved);
        Assert.Single(saves, s => s == SaveResult.ConcurrencyConflict);
        Assert.Equal(redemptionsBefore + 1, await server.Database.ScalarAsync<long>(Redemptions));

        // The loser's rerun reads fresh state: the code is used.
        await using var rerun = NewScope();
        var fresh = (await rerun.ServiceProvider.GetRequiredService<IDeviceAuthorizationRepository>().FindAsync(hash, CancellationToken.None))!;
        Assert.Equal(DevicePoll.AlreadyRedeemed, fresh.Poll(SignInClients.PN, await AliceAsync(rerun), DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_slow_down_is_kept_for_later_polls()
    {
        var hash = await StoreAsync(now => NewAuthorization(OpaqueToken.New(), now));
        var now = DateTimeOffset.UtcNow;
        foreach (var (at, expected) in new[] { (now, DevicePoll.Pending), (now.AddSeconds(1), DevicePoll.SlowDown) })
        {
            await using var scope = NewScope();
            var authorization = (await scope.ServiceProvider.GetRequiredService<IDeviceAuthorizationRepository>().FindAsync(hash, CancellationToken.None))!;
            Assert.Equal(expected, authorization.Poll(SignInClients.PN, null, at));
            Assert.Equal(SaveResult.Saved, await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        }

        Assert.Equal(10L, await server.Database.ScalarAsync<long>(
            "SELECT extract(epoch FROM interval)::bigint FROM device_authorizations WHERE device_code_hash = @hash", ("hash", hash)));
    }

    [Fact]
    public async Task The_clean_up_job_deletes_expired_authorizations_only()
    {
        var expired = await StoreAsync(now => Domain.DeviceAuthorizations.DeviceAuthorization.Issue(
            OpaqueToken.HashOf(OpaqueToken.New()), UserCode.New(), SignInClients.PN, [], [], now.AddMinutes(-20), TimeSpan.FromMinutes(5), Interval));
        var live = await StoreAsync(now => NewAuthorization(OpaqueToken.New(), now));

        await using var scope = NewScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new PurgeEndedGrants());

        const string Count = "SELECT count(*) FROM device_authorizations WHERE device_code_hash = @hash";
        Assert.Equal(0L, await server.Database.ScalarAsync<long>(Count, ("hash", expired)));
        Assert.Equal(1L, await server.Database.ScalarAsync<long>(Count, ("hash", live)));
    }
}
