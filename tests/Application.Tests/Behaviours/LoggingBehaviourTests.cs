using AuthService.Application.Common.Behaviours;
using AuthService.Application.Tests.Fakes;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthService.Application.Tests.Behaviours;

public class LoggingBehaviourTests
{
    private const string SecretValue = "do-not-log-me-0123456789";

    public sealed record RequestWithSecret(string ClientId, string ClientSecret) : IRequest<int>;

    private int _nextCalls;

    private Task<int> Next()
    {
        _nextCalls++;
        return Task.FromResult(42);
    }

    [Fact]
    public async Task With_logging_disabled_next_is_called_once_and_its_value_returned()
    {
        var behaviour = new LoggingBehaviour<RequestWithSecret, int>(NullLogger<LoggingBehaviour<RequestWithSecret, int>>.Instance);

        Assert.Equal(42, await behaviour.Handle(new RequestWithSecret("svc", SecretValue), CancellationToken.None, Next));
        Assert.Equal(1, _nextCalls);
    }

    [Fact]
    public async Task With_debug_enabled_logs_the_request_type_name_but_not_the_request()
    {
        var logger = new CapturingLogger<LoggingBehaviour<RequestWithSecret, int>>(LogLevel.Debug);
        var behaviour = new LoggingBehaviour<RequestWithSecret, int>(logger);

        var response = await behaviour.Handle(new RequestWithSecret("svc", SecretValue), CancellationToken.None, Next);

        Assert.Equal(42, response);
        Assert.Equal(1, _nextCalls);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains(nameof(RequestWithSecret), entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_only_information_enabled_nothing_is_logged()
    {
        var logger = new CapturingLogger<LoggingBehaviour<RequestWithSecret, int>>(LogLevel.Information);
        var behaviour = new LoggingBehaviour<RequestWithSecret, int>(logger);

        Assert.Equal(42, await behaviour.Handle(new RequestWithSecret("svc", SecretValue), CancellationToken.None, Next));
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public async Task With_debug_enabled_a_failing_handler_is_still_logged_and_its_exception_propagates()
    {
        var logger = new CapturingLogger<LoggingBehaviour<RequestWithSecret, int>>(LogLevel.Debug);
        var behaviour = new LoggingBehaviour<RequestWithSecret, int>(logger);

        await Assert.ThrowsAsync<InvalidOperationException>(() => behaviour.Handle(
            new RequestWithSecret("svc", SecretValue), CancellationToken.None, () => throw new InvalidOperationException("boom")));

        Assert.Contains(nameof(RequestWithSecret), Assert.Single(logger.Entries).Message, StringComparison.Ordinal);
    }
}
