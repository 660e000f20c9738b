using AuthService.Application.Common.Persistence;
using AuthService.Domain.Common;

namespace AuthService.Application.Tests.Common;

public class ConflictRetryTests
{
    [Fact]
    public async Task A_unit_that_saves_runs_once()
    {
        var runs = 0;

        var result = await ConflictRetry.RunAsync(_ => Task.FromResult(++runs > 0 ? SaveResult.Saved : SaveResult.ConcurrencyConflict), CancellationToken.None);

        Assert.Equal(SaveResult.Saved, result);
        Assert.Equal(1, runs);
    }

    [Theory]
    [InlineData(SaveResult.ConcurrencyConflict)]
    [InlineData(SaveResult.UniquenessConflict)]
    public async Task A_lost_race_reruns_the_whole_unit_until_it_saves(SaveResult conflict)
    {
        var runs = 0;

        var result = await ConflictRetry.RunAsync(_ => Task.FromResult(++runs < 3 ? conflict : SaveResult.Saved), CancellationToken.None);

        Assert.Equal(SaveResult.Saved, result);
        Assert.Equal(3, runs);
    }

    [Fact]
    public async Task A_race_lost_every_time_ends_after_MaxAttempts_and_reports_the_conflict()
    {
        var runs = 0;

        var result = await ConflictRetry.RunAsync(_ =>
        {
            runs++;
            return Task.FromResult(SaveResult.ConcurrencyConflict);
        }, CancellationToken.None);

        Assert.Equal(SaveResult.ConcurrencyConflict, result);
        Assert.Equal(5, ConflictRetry.MaxAttempts);
        Assert.Equal(ConflictRetry.MaxAttempts, runs);
    }

    [Fact]
    public async Task The_answer_is_the_one_of_the_attempt_that_saved()
    {
        var runs = 0;

        var answer = await ConflictRetry.RunAsync(_ =>
        {
            runs++;
            return Task.FromResult(runs == 1 ? ("first", SaveResult.ConcurrencyConflict) : ("second", SaveResult.Saved));
        }, CancellationToken.None);

        Assert.Equal("second", answer);
    }

    [Fact]
    public async Task The_answer_for_a_lost_race_is_returned_when_the_race_is_lost_every_time()
    {
        var runs = 0;

        var answer = await ConflictRetry.RunAsync(_ => Task.FromResult(($"lost {++runs}", SaveResult.UniquenessConflict)), CancellationToken.None);

        Assert.Equal($"lost {ConflictRetry.MaxAttempts}", answer);
    }

    [Fact]
    public async Task A_failure_that_is_not_a_conflict_is_not_retried()
    {
        var runs = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => ConflictRetry.RunAsync(_ =>
        {
            runs++;
            return Task.FromException<SaveResult>(new InvalidOperationException("database down"));
        }, CancellationToken.None));

        Assert.Equal(1, runs);
    }
}
