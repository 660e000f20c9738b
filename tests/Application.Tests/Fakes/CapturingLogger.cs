using Microsoft.Extensions.Logging;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Keeps every formatted message at or above <see cref="MinimumLevel"/>.</summary>
internal sealed class CapturingLogger<T>(LogLevel minimumLevel = LogLevel.Debug) : ILogger<T>
{
    public LogLevel MinimumLevel { get; } = minimumLevel;

    public List<(LogLevel Level, EventId EventId, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Entries.Add((logLevel, eventId, formatter(state, exception)));
        }
    }
}
