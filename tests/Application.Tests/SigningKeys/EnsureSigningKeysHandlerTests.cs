using AuthService.Application.SigningKeys.Commands.EnsureSigningKeys;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthService.Application.Tests.SigningKeys;

public class EnsureSigningKeysHandlerTests
{
    private static readonly DateTimeOffset Start = TestClock.Start;

    private readonly InMemorySigningKeyRepository _keys = new();
    private readonly FakeSigningKeyMaterialFactory _material = new();
    private readonly FakeSigningKeyRing _ring = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);

    private Task Ensure() =>
        new EnsureSigningKeysHandler(_keys, _material, _ring, _unitOfWork, _clock, NullLogger<EnsureSigningKeysHandler>.Instance)
            .Handle(new EnsureSigningKeys(), CancellationToken.None);

    private static SigningKey Key(string kid, string alg, DateTimeOffset activatesAt) =>
        SigningKey.Generate(kid, alg, "{\"kty\":\"EC\"}", [1, 2, 3], "kek1", Start.AddDays(-1), activatesAt);

    private static SigningKey ActiveKey(string kid, string alg)
    {
        var key = Key(kid, alg, Start.AddDays(-1));
        key.Activate(Start.AddDays(-1));
        return key;
    }

    [Fact]
    public async Task With_no_keys_one_key_per_algorithm_is_generated_and_activated()
    {
        _clock.Advance(TimeSpan.FromSeconds(7));

        await Ensure();

        Assert.Equal(["ES256", "RS256", "EdDSA"], _material.Requested);
        Assert.Equal(["kid-ES256-1", "kid-RS256-2", "kid-EdDSA-3"], _keys.Keys.Select(k => k.KeyId));
        Assert.All(_keys.Keys, k =>
        {
            Assert.Equal(SigningKeyState.Active, k.State);
            Assert.Equal(Start.AddSeconds(7), k.ActivatedAt);
            Assert.Equal("kek1", k.KeyEncryptionKeyId);
        });
        Assert.Equal(["ES256", "RS256", "EdDSA"], _keys.Keys.Select(k => k.Algorithm));
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Equal(1, _ring.Reloads);
    }

    [Fact]
    public async Task With_active_keys_for_every_algorithm_nothing_is_generated_or_saved_but_the_ring_reloads()
    {
        _keys.Keys.AddRange([ActiveKey("es-1", "ES256"), ActiveKey("rs-1", "RS256"), ActiveKey("ed-1", "EdDSA")]);

        await Ensure();

        Assert.Empty(_material.Requested);
        Assert.Equal(3, _keys.Keys.Count);
        Assert.Equal(0, _unitOfWork.Attempts);
        Assert.Equal(1, _ring.Reloads);
    }

    [Fact]
    public async Task A_due_pending_key_is_activated_instead_of_generating_one()
    {
        var pending = Key("es-pending", "ES256", Start.AddMinutes(-5));
        _keys.Keys.AddRange([pending, ActiveKey("rs-1", "RS256"), ActiveKey("ed-1", "EdDSA")]);

        await Ensure();

        Assert.Empty(_material.Requested);
        Assert.Equal(SigningKeyState.Active, pending.State);
        Assert.Equal(Start, pending.ActivatedAt);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Equal(1, _ring.Reloads);
    }

    [Fact]
    public async Task A_pending_key_not_yet_due_stays_pending_and_a_new_key_signs()
    {
        var notDue = Key("es-later", "ES256", Start.AddHours(1));
        _keys.Keys.AddRange([notDue, ActiveKey("rs-1", "RS256"), ActiveKey("ed-1", "EdDSA")]);

        await Ensure();

        Assert.Equal(SigningKeyState.Pending, notDue.State);
        Assert.Equal(["ES256"], _material.Requested);
        Assert.Equal(SigningKeyState.Active, Assert.Single(_keys.Keys, k => k.KeyId == "kid-ES256-1").State);
    }

    [Fact]
    public async Task Losing_the_race_to_another_replica_is_not_an_error_and_the_ring_still_reloads()
    {
        _unitOfWork.ConflictWith = SaveResult.UniquenessConflict;

        await Ensure();

        Assert.Equal(1, _unitOfWork.Attempts);
        Assert.Equal(1, _ring.Reloads);
    }

    [Fact]
    public async Task A_concurrency_conflict_is_also_treated_as_a_lost_race()
    {
        _unitOfWork.ConflictWith = SaveResult.ConcurrencyConflict;

        await Ensure();

        Assert.Equal(1, _ring.Reloads);
    }

    [Fact]
    public async Task Other_save_failures_escape_and_the_ring_is_not_reloaded()
    {
        _unitOfWork.FailWith = new InvalidOperationException("database down");

        await Assert.ThrowsAsync<InvalidOperationException>(Ensure);

        Assert.Equal(0, _ring.Reloads);
    }
}
