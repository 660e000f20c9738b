using AuthService.Application.Common.Behaviours;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Seeding.Commands.ApplySeed;
using FluentValidation;
using MediatR;
using static AuthService.Application.Tests.Seeding.SeedClients;

namespace AuthService.Application.Tests.Behaviours;

public class ValidationBehaviourTests
{
    public sealed record Ping(string? Name) : IRequest<string>;

    private int _nextCalls;

    private Task<string> Next()
    {
        _nextCalls++;
        return Task.FromResult("pong");
    }

    [Fact]
    public async Task Without_validators_next_is_called_once_and_its_value_returned()
    {
        var behaviour = new ValidationBehaviour<Ping, string>([]);

        var response = await behaviour.Handle(new Ping(null), CancellationToken.None, Next);

        Assert.Equal("pong", response);
        Assert.Equal(1, _nextCalls);
    }

    [Fact]
    public async Task With_passing_validators_next_is_called_once()
    {
        var validator = new InlineValidator<Ping>();
        validator.RuleFor(p => p.Name).NotEmpty();
        var behaviour = new ValidationBehaviour<Ping, string>([validator]);

        Assert.Equal("pong", await behaviour.Handle(new Ping("x"), CancellationToken.None, Next));
        Assert.Equal(1, _nextCalls);
    }

    [Fact]
    public async Task With_a_failing_validator_throws_RequestValidationException_and_does_not_call_next()
    {
        var passing = new InlineValidator<Ping>();
        passing.RuleFor(p => p).NotNull();
        var failing = new InlineValidator<Ping>();
        failing.RuleFor(p => p.Name).NotEmpty().OverridePropertyName("name").WithMessage("name is required.");
        var behaviour = new ValidationBehaviour<Ping, string>([passing, failing]);

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => behaviour.Handle(new Ping(null), CancellationToken.None, Next));

        Assert.Equal(0, _nextCalls);
        var error = Assert.Single(refused.Errors);
        Assert.Equal("name", error.Key);
        Assert.Equal(["name is required."], error.Value);
    }

    [Fact]
    public async Task Seed_with_a_short_secret_is_refused_without_the_secret_in_the_exception()
    {
        const string shortSecret = "tiny-secret-42";
        var behaviour = new ValidationBehaviour<ApplySeed, SeedResult>([new ApplySeedValidator()]);

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => behaviour.Handle(
            new ApplySeed(Document(Service("svc", shortSecret))), CancellationToken.None, () => Task.FromResult(new SeedResult(0, 0, 0))));

        Assert.Contains(refused.Errors.Keys, k => k.EndsWith("client_secret", StringComparison.Ordinal));
        Assert.DoesNotContain(shortSecret, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(shortSecret, string.Concat(refused.Errors.SelectMany(e => e.Value)), StringComparison.Ordinal);
    }
}
