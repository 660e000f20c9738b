using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// A guide's sample run as its own process, as a reader runs it (<c>dotnet samples/NAME/bin/.../NAME.dll args</c>), with
/// its output captured line by line so a test can wait for what it prints (the URL to open, the code to enter) and act as
/// the person at the browser. Disposing kills it if it still runs.
/// </summary>
public sealed class SampleProcess : IAsyncDisposable
{
    // Bounds, not expectations: a sample starts in well under a second alone, but the machine is shared by the whole suite.
    public static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly List<string> _lines = [];

    private SampleProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Everything it wrote so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static SampleProcess Start(string assembly, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var sample = new SampleProcess(process);
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sample;
    }

    /// <summary>The rest of the first line that starts with <paramref name="prefix"/>; fails with the output if none comes.</summary>
    public async Task<string> WaitForLineAsync(string prefix)
    {
        var deadline = DateTime.UtcNow + LineTimeout;
        while (true)
        {
            lock (_lines)
            {
                if (_lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
                {
                    return line[prefix.Length..];
                }
            }

            if (_process.HasExited || DateTime.UtcNow >= deadline)
            {
                // Output events may still be in flight after exit: one last look before failing.
                await Task.Delay(200);
                lock (_lines)
                {
                    if (_lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
                    {
                        return line[prefix.Length..];
                    }
                }

                Assert.Fail($"The sample printed no line starting with \"{prefix}\" ({(_process.HasExited ? $"exited with {_process.ExitCode}" : "timed out")}). Output:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the process to end and returns its exit code; fails with the output if it does not end in time.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cancellation = new CancellationTokenSource(ExitTimeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The sample did not exit within {ExitTimeout.TotalSeconds} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits for a successful exit and returns the JSON of its <c>SUMMARY</c> line.</summary>
    public async Task<JsonElement> SummaryAsync()
    {
        var exitCode = await WaitForExitAsync();
        Assert.True(exitCode == 0, $"The sample exited with {exitCode}. Output:\n{Output}");
        return JsonDocument.Parse(await WaitForLineAsync("SUMMARY ")).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cancellation.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or could not be waited for: nothing more to clean up from here.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
