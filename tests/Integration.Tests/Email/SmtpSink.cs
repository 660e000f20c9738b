using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// A real SMTP server (SmtpServer 11) on a loopback port, started by the test: it accepts every message and keeps it,
/// parsed with MimeKit, so a test reads what the authorization server really sent over the wire.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly ConcurrentQueue<MimeMessage> _messages = new();

    public SmtpSink()
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_messages));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Messages => [.. _messages];

    /// <summary>Waits for the first message to <paramref name="recipient"/> whose subject is <paramref name="subject"/>, after <paramref name="skip"/> such.</summary>
    public Task<MimeMessage> MessageToAsync(string recipient, string subject, int skip = 0) =>
        Poll.UntilAsync(
            () => Task.FromResult(Messages.Where(m => m.To.Mailboxes.Any(to => to.Address == recipient) && m.Subject == subject).Skip(skip).FirstOrDefault()),
            m => m is not null,
            TimeSpan.FromSeconds(30),
            $"a message \"{subject}\" to {recipient}",
            _ => string.Join(", ", Messages.Select(m => $"{m.Subject} → {m.To}")))!;

    /// <summary>The single-use link of a message (in its text body), made relative to the server for the test's browser.</summary>
    public static string LinkOf(MimeMessage message)
    {
        var match = Link().Match(message.TextBody ?? "");
        Assert.True(match.Success, "The message has no link: " + message.TextBody);
        return match.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"https?://\S+\?token=[A-Za-z0-9_-]+")]
    private static partial Regex Link();

    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
