using System.Collections.Concurrent;
using System.Security.Cryptography;
using AuthService.Application.Federation;
using AuthService.Domain.Federation;
using AuthService.Infrastructure.Cryptography;
using AuthService.Infrastructure.Federation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthService.Integration.Tests.Federation.Upstreams;

/// <summary>
/// The server's upstream protocols as the server registers them (<c>FederationServices.AddUpstreamProtocols</c>: the real
/// HTTP client factory, discovery and key caches, client secrets under a key-encryption key), without the rest of the
/// server, so a protocol test talks HTTP to a real upstream and nothing else. Log lines are kept in <see cref="Logged"/>
/// (to show that no code, token or secret is ever written).
/// </summary>
public sealed class UpstreamProtocolHost : IDisposable
{
    private readonly ServiceProvider _services;

    public UpstreamProtocolHost(TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(new ListLoggerProvider(Logged)).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddSingleton(new KeyEncryptionKey(RandomNumberGenerator.GetBytes(32)));
        services.AddSingleton<IExternalProviderSecrets, ExternalProviderSecrets>();
        FederationServices.AddUpstreamProtocols(services);
        _services = services.BuildServiceProvider();
    }

    public ConcurrentQueue<string> Logged { get; } = new();

    public IUpstreamProtocol OpenIdConnect => Protocol(ExternalProtocol.OpenIdConnect);

    public IUpstreamProtocol OAuth2 => Protocol(ExternalProtocol.OAuth2);

    public IUpstreamClientSecret ClientSecret => _services.GetRequiredService<IUpstreamClientSecret>();

    /// <summary>A provider named <paramref name="name"/> with <paramref name="secret"/> encrypted as the server stores it.</summary>
    public ExternalProvider Provider(string name, ExternalProviderSettings settings, string? secret) =>
        ExternalProvider.Create(Guid.NewGuid(), name,
            settings with { ProtectedSecret = secret is null ? null : _services.GetRequiredService<IExternalProviderSecrets>().Protect(name, secret) },
            DateTimeOffset.UtcNow);

    /// <summary>A fresh round trip's values, as the sign-in flow makes them (random state, nonce and RFC 7636 verifier).</summary>
    public static UpstreamChallenge Challenge(Uri redirectUri, string? loginHint = null) =>
        new(redirectUri, Random(), Random(), Random() + Random(), loginHint);

    /// <summary>The callback as the flow hands it to the protocol: the answer's parameters and the round trip's own values.</summary>
    public static UpstreamCallback Callback(UpstreamChallenge challenge, IReadOnlyDictionary<string, string> parameters) =>
        new(parameters, challenge.RedirectUri, challenge.Nonce, challenge.CodeVerifier);

    public void Dispose() => _services.Dispose();

    private static string Random() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private IUpstreamProtocol Protocol(ExternalProtocol protocol) =>
        _services.GetServices<IUpstreamProtocol>().Single(p => p.Protocol == protocol);

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}
