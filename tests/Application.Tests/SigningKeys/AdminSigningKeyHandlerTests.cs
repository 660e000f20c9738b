using AuthService.Application.Common.Exceptions;
using AuthService.Application.SigningKeys;
using AuthService.Application.SigningKeys.Commands.RevokeSigningKey;
using AuthService.Application.SigningKeys.Commands.RotateSigningKeyNow;
using AuthService.Application.SigningKeys.Queries.ListSigningKeys;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using AuthService.Domain.SigningKeys.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tests.SigningKeys;

/// <summary>The admin API's key operations: rotate now, revoke (with a replacement signer), list.</summary>
public class AdminSigningKeyHandlerTests
{
    private const string ES = SigningAlgorithms.ES256;
    private const string RS = SigningAlgorithms.RS256;

    private static readonly DateTimeOffset Start = TestClock.Start;

    private readonly InMemorySigningKeyRepository _keys = new();
    private readonly FakeSigningKeyMaterialFactory _material = new();
    private readonly FakeSigningKeyRing _ring = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly SigningKeyRotationOptions _options = new() { RetentionTime = TimeSpan.FromDays(2) };

    private Task<SigningKeyResponse> RotateNow(string algorithm) =>
        new RotateSigningKeyNowHandler(_keys, _material, _ring, _unitOfWork, Options.Create(_options), _clock, NullLogger<RotateSigningKeyNowHandler>.Instance)
            .Handle(new RotateSigningKeyNow(algorithm), CancellationToken.None);

    private Task<SigningKeyResponse> Revoke(string kid, int? expectedVersion = null) =>
        new RevokeSigningKeyHandler(_keys, _material, _ring, _unitOfWork, _clock, NullLogger<RevokeSigningKeyHandler>.Instance)
            .Handle(new RevokeSigningKey(kid, expectedVersion), CancellationToken.None);

    private static SigningKey Pending(string kid, string alg, DateTimeOffset activatesAt) =>
        SigningKey.Generate(kid, alg, "{\"kty\":\"EC\",\"kid\":\"" + kid + "\"}", [1, 2, 3], "kek1", activatesAt.AddDays(-2), activatesAt);

    private static SigningKey Active(string kid, string alg)
    {
        var key = Pending(kid, alg, Start.AddDays(-10));
        key.Activate(Start.AddDays(-10));
        key.ClearDomainEvents();
        return key;
    }

    private SigningKey Key(string kid) => _keys.Keys.Single(k => k.KeyId == kid);

    // ---- Rotate now ----

    [Fact]
    public async Task Rotate_now_activates_a_new_key_at_once_retires_the_signer_and_reloads_the_ring()
    {
        _keys.Keys.AddRange([Active("es-1", ES), Active("rs-1", RS)]);

        var created = await RotateNow(ES);

        var key = Key(created.Kid);
        Assert.Equal(SigningKeyState.Active, key.State);
        Assert.Equal(Start, key.ActivatedAt);
        Assert.Equal(Start, key.ActivatesAt);
        Assert.Equal(("active", ES), (created.State, created.Alg));
        var old = Key("es-1");
        Assert.Equal(SigningKeyState.Retired, old.State);
        Assert.Equal(Start + _options.RetentionTime, old.RemovableAt);
        Assert.Equal(SigningKeyState.Active, Key("rs-1").State);
        Assert.Equal([ES], _material.Requested);

        // Retire then activate: two saves in one transaction, and the ring reloaded after the commit.
        Assert.Equal([2], _unitOfWork.CommittedTransactions);
        Assert.Equal(1, _ring.Reloads);
    }

    [Fact]
    public async Task Rotate_now_without_a_signer_just_activates_a_new_key()
    {
        _keys.Keys.Add(Active("rs-1", RS));

        var created = await RotateNow(ES);

        Assert.Equal(SigningKeyState.Active, Key(created.Kid).State);
        Assert.Equal([1], _unitOfWork.CommittedTransactions);
    }

    [Fact]
    public async Task Rotate_now_leaves_a_pending_successor_pending()
    {
        _keys.Keys.AddRange([Active("es-1", ES), Pending("es-2", ES, Start.AddDays(1))]);

        var created = await RotateNow(ES);

        Assert.NotEqual("es-2", created.Kid);
        Assert.Equal(SigningKeyState.Pending, Key("es-2").State);
    }

    [Fact]
    public async Task A_lost_race_at_rotation_propagates_as_a_conflict_and_the_ring_is_not_reloaded()
    {
        _keys.Keys.Add(Active("es-1", ES));
        _unitOfWork.ConflictWith = SaveResult.UniquenessConflict;

        await Assert.ThrowsAsync<ConflictException>(() => RotateNow(ES));

        Assert.Empty(_unitOfWork.CommittedTransactions);
        Assert.Equal(0, _ring.Reloads);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("es256")]
    [InlineData("")]
    [InlineData(null)]
    public void The_validator_refuses_an_unsupported_algorithm_naming_algorithm(string? algorithm)
    {
        var result = new RotateSigningKeyNowValidator().Validate(new RotateSigningKeyNow(algorithm));

        Assert.Contains(result.Errors, e => e.PropertyName == "algorithm");
    }

    [Theory]
    [InlineData(ES)]
    [InlineData(RS)]
    public void The_validator_accepts_the_supported_algorithms(string algorithm) =>
        Assert.True(new RotateSigningKeyNowValidator().Validate(new RotateSigningKeyNow(algorithm)).IsValid);

    // ---- Revoke ----

    [Fact]
    public async Task Revoking_the_signer_activates_a_new_key_at_once_in_the_same_transaction()
    {
        _keys.Keys.AddRange([Active("es-1", ES), Active("rs-1", RS)]);

        var revoked = await Revoke("es-1");

        Assert.Equal("revoked", revoked.State);
        Assert.Equal(Start, revoked.RevokedAt);
        Assert.Equal(SigningKeyState.Revoked, Key("es-1").State);
        var replacement = Assert.Single(_keys.Keys, k => k.Algorithm == ES && k.State == SigningKeyState.Active);
        Assert.Equal(Start, replacement.ActivatedAt);
        Assert.Contains(replacement.DomainEvents, e => e is SigningKeyActivated);
        Assert.Equal([2], _unitOfWork.CommittedTransactions);
        Assert.Equal(1, _ring.Reloads);
    }

    [Fact]
    public async Task Revoking_the_signer_promotes_a_due_pending_key_rather_than_making_one()
    {
        _keys.Keys.AddRange([Active("es-1", ES), Pending("es-2", ES, Start.AddHours(-1))]);

        await Revoke("es-1");

        Assert.Equal(SigningKeyState.Active, Key("es-2").State);
        Assert.Empty(_material.Requested);
    }

    [Fact]
    public async Task Revoking_the_signer_does_not_promote_a_pending_key_before_its_time()
    {
        _keys.Keys.AddRange([Active("es-1", ES), Pending("es-2", ES, Start.AddHours(1))]);

        await Revoke("es-1");

        Assert.Equal(SigningKeyState.Pending, Key("es-2").State);
        Assert.Equal([ES], _material.Requested);
        Assert.Single(_keys.Keys, k => k.Algorithm == ES && k.State == SigningKeyState.Active);
    }

    [Fact]
    public async Task Revoking_a_pending_key_leaves_the_signer_alone()
    {
        _keys.Keys.AddRange([Active("es-1", ES), Pending("es-2", ES, Start.AddHours(1))]);

        await Revoke("es-2");

        Assert.Equal(SigningKeyState.Revoked, Key("es-2").State);
        Assert.Equal(SigningKeyState.Active, Key("es-1").State);
        Assert.Empty(_material.Requested);
        Assert.Equal([1], _unitOfWork.CommittedTransactions);
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Revoke("nope"));

        Assert.Equal(0, _unitOfWork.Attempts);
        Assert.Equal(0, _ring.Reloads);
    }

    [Fact]
    public async Task Revoking_twice_is_refused_by_the_key_state()
    {
        _keys.Keys.Add(Active("es-1", ES));
        await Revoke("es-1");
        var saves = _unitOfWork.Attempts;

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => Revoke("es-1"));

        Assert.Equal(["state"], refused.Errors.Keys);
        Assert.Equal(saves, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task A_stale_expected_version_is_a_failed_precondition_and_nothing_changes()
    {
        _keys.Keys.Add(Active("es-1", ES));

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Revoke("es-1", expectedVersion: 7));

        Assert.Equal(SigningKeyState.Active, Key("es-1").State);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    // ---- List ----

    [Fact]
    public async Task The_list_is_newest_first_filters_by_state_and_never_carries_private_material()
    {
        _keys.Keys.AddRange([Active("es-1", ES), Pending("es-2", ES, Start.AddDays(1))]);
        var handler = new ListSigningKeysHandler(_keys);

        var all = await handler.Handle(new ListSigningKeys(), CancellationToken.None);
        var pending = await handler.Handle(new ListSigningKeys("pending"), CancellationToken.None);

        Assert.Equal(["es-2", "es-1"], all.Items.Select(k => k.Kid));
        Assert.Null(all.NextCursor);
        Assert.Equal(["es-2"], pending.Items.Select(k => k.Kid));
        Assert.Equal("es-2", all.Items[0].Jwk.GetProperty("kid").GetString());
        Assert.DoesNotContain(typeof(SigningKeyResponse).GetProperties(), p => p.PropertyType == typeof(byte[]) || p.Name.Contains("Encryption", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bogus", false)]
    [InlineData("Active", false)]
    [InlineData("revoked", true)]
    [InlineData(null, true)]
    public void The_list_validator_accepts_only_the_state_names(string? state, bool valid) =>
        Assert.Equal(valid, new ListSigningKeysValidator().Validate(new ListSigningKeys(state)).IsValid);
}
