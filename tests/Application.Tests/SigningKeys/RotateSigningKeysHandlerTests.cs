using AuthService.Application.SigningKeys;
using AuthService.Application.SigningKeys.Commands.RotateSigningKeys;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tests.SigningKeys;

public class RotateSigningKeysHandlerTests
{
    private const string ES = SigningAlgorithms.ES256;
    private const string RS = SigningAlgorithms.RS256;

    private static readonly DateTimeOffset Start = TestClock.Start;

    private readonly InMemorySigningKeyRepository _keys = new();
    private readonly FakeSigningKeyMaterialFactory _material = new();
    private readonly FakeSigningKeyRing _ring = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly CapturingLogger<RotateSigningKeysHandler> _logger = new(LogLevel.Information);

    private SigningKeyRotationOptions _options = new()
    {
        RotationPeriod = TimeSpan.FromDays(30),
        PropagationTime = TimeSpan.FromDays(2),
        RetentionTime = TimeSpan.FromDays(2),
    };

    private Task Rotate() =>
        new RotateSigningKeysHandler(_keys, _material, _ring, _unitOfWork, Options.Create(_options), _clock, _logger)
            .Handle(new RotateSigningKeys(), CancellationToken.None);

    private static SigningKey ActiveSince(string kid, string alg, DateTimeOffset activatedAt)
    {
        var key = SigningKey.Generate(kid, alg, "{\"kty\":\"EC\"}", [1, 2, 3], "kek1", activatedAt.AddDays(-2), activatedAt);
        key.Activate(activatedAt);
        return key;
    }

    private static SigningKey PendingFrom(string kid, string alg, DateTimeOffset activatesAt) =>
        SigningKey.Generate(kid, alg, "{\"kty\":\"EC\"}", [1, 2, 3], "kek1", activatesAt.AddDays(-2), activatesAt);

    private static SigningKey RetiredUntil(string kid, string alg, DateTimeOffset removableAt)
    {
        var key = ActiveSince(kid, alg, removableAt.AddDays(-32));
        key.Retire(removableAt.AddDays(-2), removableAt);
        return key;
    }

    private IEnumerable<int> LoggedEventIds() => _logger.Entries.Select(e => e.EventId.Id);

    [Fact]
    public async Task Nothing_due_opens_no_transaction_saves_nothing_and_reloads_the_ring_once()
    {
        _keys.Keys.AddRange([ActiveSince("es-1", ES, Start.AddDays(-27)), ActiveSince("rs-1", RS, Start.AddDays(-5))]);

        await Rotate();

        Assert.Empty(_unitOfWork.CommittedTransactions);
        Assert.Equal(0, _unitOfWork.Attempts);
        Assert.Empty(_material.Requested);
        Assert.Equal(0, _keys.Added);
        Assert.All(_keys.Keys, k => Assert.Equal(SigningKeyState.Active, k.State));
        Assert.Equal(1, _ring.Reloads);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public async Task Without_any_key_rotation_leaves_the_first_key_to_EnsureSigningKeys()
    {
        await Rotate();

        Assert.Empty(_unitOfWork.CommittedTransactions);
        Assert.Empty(_material.Requested);
        Assert.Empty(_keys.Keys);
        Assert.Equal(1, _ring.Reloads);
    }

    [Fact]
    public async Task Successors_due_are_published_as_pending_keys_in_one_transaction_of_two_saves()
    {
        var es = ActiveSince("es-1", ES, Start.AddDays(-28));
        var rs = ActiveSince("rs-1", RS, Start.AddDays(-29));
        _keys.Keys.AddRange([es, rs]);

        await Rotate();

        Assert.Equal([2], _unitOfWork.CommittedTransactions);
        Assert.Equal([ES, RS], _material.Requested);
        Assert.Equal(2, _keys.Added);
        var esPending = Assert.Single(_keys.Keys, k => k.KeyId == "kid-ES256-1");
        var rsPending = Assert.Single(_keys.Keys, k => k.KeyId == "kid-RS256-2");
        Assert.Equal((ES, SigningKeyState.Pending, Start, Start.AddDays(2)), (esPending.Algorithm, esPending.State, esPending.CreatedAt, esPending.ActivatesAt));

        // RS256 rotates in one day, but its successor still needs the full two days to propagate.
        Assert.Equal((RS, SigningKeyState.Pending, Start, Start.AddDays(2)), (rsPending.Algorithm, rsPending.State, rsPending.CreatedAt, rsPending.ActivatesAt));
        Assert.Equal(("kek1", "{\"kty\":\"EC\"}"), (esPending.KeyEncryptionKeyId, esPending.PublicJwk));
        Assert.Equal(SigningKeyState.Active, es.State);
        Assert.Equal(SigningKeyState.Active, rs.State);
        Assert.Equal(1, _ring.Reloads);
        Assert.Equal([3101, 3101], LoggedEventIds());
    }

    [Fact]
    public async Task Only_the_algorithm_that_is_due_gets_a_successor()
    {
        _keys.Keys.AddRange([ActiveSince("es-1", ES, Start.AddDays(-5)), ActiveSince("rs-1", RS, Start.AddDays(-28))]);

        await Rotate();

        Assert.Equal([RS], _material.Requested);
        var pending = Assert.Single(_keys.Keys, k => k.State == SigningKeyState.Pending);
        Assert.Equal((RS, Start.AddDays(2)), (pending.Algorithm, pending.ActivatesAt));
        Assert.Equal([2], _unitOfWork.CommittedTransactions);
    }

    [Fact]
    public async Task A_pending_key_not_yet_due_gets_no_second_pending_key()
    {
        _keys.Keys.AddRange([ActiveSince("es-1", ES, Start.AddDays(-29)), PendingFrom("es-2", ES, Start.AddDays(1)), ActiveSince("rs-1", RS, Start)]);

        await Rotate();

        Assert.Empty(_material.Requested);
        Assert.Empty(_unitOfWork.CommittedTransactions);
        Assert.Equal(1, _ring.Reloads);
    }

    [Fact]
    public async Task A_due_switch_retires_the_old_key_and_activates_the_pending_one_in_one_transaction()
    {
        var old = ActiveSince("es-1", ES, Start.AddDays(-30));
        var successor = PendingFrom("es-2", ES, Start);
        var rs = ActiveSince("rs-1", RS, Start.AddDays(-5));
        _keys.Keys.AddRange([old, successor, rs]);

        await Rotate();

        Assert.Equal([2], _unitOfWork.CommittedTransactions);
        Assert.Equal((SigningKeyState.Retired, Start, Start.AddDays(2)), (old.State, old.RetiredAt, old.RemovableAt));
        Assert.Equal((SigningKeyState.Active, Start), (successor.State, successor.ActivatedAt));
        Assert.Equal((SigningKeyState.Active, Start.AddDays(-5)), (rs.State, rs.ActivatedAt));
        Assert.Empty(_material.Requested);
        Assert.Equal(1, _ring.Reloads);
        Assert.Equal([3103, 3102], LoggedEventIds());
    }

    [Fact]
    public async Task The_old_key_is_retired_in_the_first_save_and_its_successor_activated_only_in_the_second()
    {
        var esOld = ActiveSince("es-1", ES, Start.AddDays(-31));
        var esNew = PendingFrom("es-2", ES, Start.AddHours(-20));
        var rsOld = ActiveSince("rs-1", RS, Start.AddDays(-30));
        var rsNew = PendingFrom("rs-2", RS, Start);
        _keys.Keys.AddRange([esOld, esNew, rsOld, rsNew]);
        var saved = new List<Dictionary<string, SigningKeyState>>();
        _unitOfWork.OnSave = () => saved.Add(_keys.Keys.ToDictionary(k => k.KeyId, k => k.State));

        await Rotate();

        Assert.Equal([2], _unitOfWork.CommittedTransactions);
        Assert.Equal(2, saved.Count);
        Assert.Equal(
            new Dictionary<string, SigningKeyState>
            {
                ["es-1"] = SigningKeyState.Retired, ["es-2"] = SigningKeyState.Pending,
                ["rs-1"] = SigningKeyState.Retired, ["rs-2"] = SigningKeyState.Pending,
            },
            saved[0]);
        Assert.Equal(
            new Dictionary<string, SigningKeyState>
            {
                ["es-1"] = SigningKeyState.Retired, ["es-2"] = SigningKeyState.Active,
                ["rs-1"] = SigningKeyState.Retired, ["rs-2"] = SigningKeyState.Active,
            },
            saved[1]);
    }

    [Fact]
    public async Task The_configured_schedule_is_used_for_publication_and_retention()
    {
        _options = new SigningKeyRotationOptions
        {
            RotationPeriod = TimeSpan.FromDays(7),
            PropagationTime = TimeSpan.FromHours(12),
            RetentionTime = TimeSpan.FromHours(30),
        };
        var es = ActiveSince("es-1", ES, Start.AddDays(-7));
        var esNext = PendingFrom("es-2", ES, Start);
        var rs = ActiveSince("rs-1", RS, Start.AddDays(-7).AddHours(12));
        _keys.Keys.AddRange([es, esNext, rs]);

        await Rotate();

        Assert.Equal((SigningKeyState.Retired, Start.AddHours(30)), (es.State, es.RemovableAt));
        Assert.Equal(SigningKeyState.Active, esNext.State);
        var rsNext = Assert.Single(_keys.Keys, k => k.Algorithm == RS && k.State == SigningKeyState.Pending);
        Assert.Equal(Start.AddHours(12), rsNext.ActivatesAt);
    }

    [Fact]
    public async Task At_no_save_does_an_algorithm_have_two_active_keys()
    {
        _keys.Keys.AddRange(
        [
            ActiveSince("es-1", ES, Start.AddDays(-30)), PendingFrom("es-2", ES, Start),
            ActiveSince("rs-1", RS, Start.AddDays(-30)), PendingFrom("rs-2", RS, Start),
            ActiveSince("ed-1", SigningAlgorithms.EdDSA, Start.AddDays(-30)), PendingFrom("ed-2", SigningAlgorithms.EdDSA, Start),
        ]);
        var activePerAlgorithmAtSave = new List<int[]>();
        _unitOfWork.OnSave = () => activePerAlgorithmAtSave.Add(
            [.. SigningAlgorithms.Supported.Select(alg => _keys.Keys.Count(k => k.Algorithm == alg && k.State == SigningKeyState.Active))]);

        await Rotate();

        Assert.Equal([[0, 0, 0], [1, 1, 1]], activePerAlgorithmAtSave);
    }

    [Fact]
    public async Task Retired_keys_are_removed_from_their_removable_date_and_not_before()
    {
        var due = RetiredUntil("es-0", ES, Start);
        var notYet = RetiredUntil("rs-0", RS, Start.AddTicks(1));
        _keys.Keys.AddRange([ActiveSince("es-1", ES, Start.AddDays(-2)), due, ActiveSince("rs-1", RS, Start.AddDays(-2)), notYet]);

        await Rotate();

        Assert.Equal((SigningKeyState.Removed, Start), (due.State, due.RemovedAt));
        Assert.False(due.IsPublished);
        Assert.Equal(SigningKeyState.Retired, notYet.State);
        Assert.Equal([2], _unitOfWork.CommittedTransactions);
        Assert.Empty(_material.Requested);
        Assert.Equal(1, _ring.Reloads);
        Assert.Equal([3104], LoggedEventIds());
    }

    [Fact]
    public async Task Due_retired_keys_are_removed_even_without_an_active_key()
    {
        var due = RetiredUntil("es-0", ES, Start.AddDays(-1));
        _keys.Keys.Add(due);

        await Rotate();

        Assert.Equal(SigningKeyState.Removed, due.State);
        Assert.Empty(_material.Requested);
        Assert.Equal([2], _unitOfWork.CommittedTransactions);
    }

    public static TheoryData<SaveResult> LostRaces => [SaveResult.ConcurrencyConflict, SaveResult.UniquenessConflict];

    [Theory]
    [MemberData(nameof(LostRaces))]
    public async Task Losing_the_race_to_another_replica_is_not_an_error_and_the_ring_still_reloads(SaveResult conflict)
    {
        _keys.Keys.AddRange([ActiveSince("es-1", ES, Start.AddDays(-30)), PendingFrom("es-2", ES, Start), ActiveSince("rs-1", RS, Start.AddDays(-1))]);
        _unitOfWork.ConflictWith = conflict;

        await Rotate();

        Assert.Equal(1, _unitOfWork.Attempts);
        Assert.Empty(_unitOfWork.CommittedTransactions);
        Assert.Equal(1, _ring.Reloads);
        Assert.Equal(3105, _logger.Entries[^1].EventId.Id);
    }

    [Fact]
    public async Task Other_save_failures_escape()
    {
        _keys.Keys.AddRange([ActiveSince("es-1", ES, Start.AddDays(-28)), ActiveSince("rs-1", RS, Start.AddDays(-1))]);
        _unitOfWork.FailWith = new InvalidOperationException("database down");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(Rotate);

        Assert.Equal("database down", thrown.Message);
        Assert.Empty(_unitOfWork.CommittedTransactions);
        Assert.Equal(0, _ring.Reloads);
    }
}
