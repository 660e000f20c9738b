using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// The built server run as an operator runs it: <c>dotnet AuthService.WebApi.dll ...</c> in its own
/// process, configured by environment variables only, with stdout and stderr captured. Disposing kills
/// the process tree.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The operating-system process id.</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Kills the process tree at once, as a crash or an OOM kill would (SIGKILL on Unix: no graceful
    /// shutdown, no hosted-service stop, no flush), and waits until it is gone. <see cref="Output"/>
    /// stays readable afterwards.
    /// </summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
    }

    /// <summary>The server's assembly, built with the same configuration as this test assembly.</summary>
    public static string ServerAssembly => BuiltAssembly(Path.Combine("src", "WebApi"), "AuthService.WebApi.dll");

    /// <summary>
    /// The assembly <paramref name="assemblyName"/> of the project in <paramref name="projectFolder"/> (relative to the
    /// repository root), built with the same configuration and target framework as this test assembly.
    /// </summary>
    public static string BuiltAssembly(string projectFolder, string assemblyName)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent?.Name ?? throw new InvalidOperationException($"Unexpected test output folder {testOutput}.");
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AuthService.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"No AuthService.sln above {AppContext.BaseDirectory}.");
        }

        var assembly = Path.Combine(root.FullName, projectFolder, "bin", configuration, testOutput.Name, assemblyName);
        return File.Exists(assembly)
            ? assembly
            : throw new InvalidOperationException($"{assembly} does not exist: build the solution ({configuration}) first.");
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <c>dotnet AuthService.WebApi.dll args</c>. The environment is this process's, minus anything
    /// that configures ASP.NET Core or the server, plus <paramref name="environment"/>. As in the in-process servers, the
    /// warm-up before readiness (docs/adr/0044) is off and new RS256 keys have 2048 bits, unless <paramref name="environment"/>
    /// names <c>Auth__WarmUp__Enabled</c> or <c>Auth__SigningKeys__RsaKeySize</c>.
    /// </summary>
    public static ServerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var withDefaults = new Dictionary<string, string>(environment);
        foreach (var (key, value) in TestDefaults)
        {
            withDefaults.TryAdd(key, value);
        }

        return Start(ServerAssembly, args, withDefaults);
    }

    /// <summary>What the in-process servers set too (<see cref="ServerSettings.For"/>), unless the test's environment names it.</summary>
    private static readonly Dictionary<string, string> TestDefaults = new()
    {
        ["Auth__WarmUp__Enabled"] = "false",
        [ServerSettings.RsaKeySizeSetting.Replace(":", "__", StringComparison.Ordinal)] = ServerSettings.TestRsaKeySize,
    };

    /// <summary>
    /// Starts <c>dotnet assembly args</c> for another built application (e.g. a sample API), with the same
    /// environment rules as the server.
    /// </summary>
    public static ServerProcess Start(string assembly, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment) =>
        StartProgram(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet",
            Path.GetDirectoryName(assembly)!, [assembly, .. args], environment);

    /// <summary>
    /// Starts any program (e.g. <c>node server.mjs</c> of a sample) in <paramref name="workingDirectory"/>, with the
    /// same environment rules and output capture as the server.
    /// </summary>
    public static ServerProcess StartProgram(string fileName, string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Auth__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase)
                || key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase) || key.Equals(TestDatabase.AdminVariable, StringComparison.Ordinal))
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Runs a command to completion (e.g. <c>migrate</c>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        await using var process = Start(args, environment);
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process._process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"`{string.Join(' ', args)}` did not exit within {timeout.TotalSeconds} s. Output:\n{process.Output}");
        }

        return (process._process.ExitCode, process.Output);
    }

    /// <summary>
    /// Polls <c>/readyz</c> (or <paramref name="probe"/>) until it answers <paramref name="expected"/> (200); fails with the captured output otherwise.
    /// <paramref name="handler"/> (not disposed here) is for a server on https with a test CA's certificate.
    /// </summary>
    public async Task WaitUntilReadyAsync(Uri baseAddress, TimeSpan timeout, string probe = "/readyz", HttpStatusCode expected = HttpStatusCode.OK,
        HttpMessageHandler? handler = null)
    {
        using var client = new HttpClient(handler ?? new HttpClientHandler(), disposeHandler: handler is null) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The server exited with code {_process.ExitCode} before it was ready. Output:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(probe);
                if (response.StatusCode == expected)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The server was not ready within {timeout.TotalSeconds} s (last: {last}). Output:\n{Output}");
    }

    /// <summary>Waits until the output contains <paramref name="text"/> (log lines are written asynchronously).</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow >= deadline || _process.HasExited)
            {
                return Output.Contains(text, StringComparison.Ordinal);
            }

            await Task.Delay(100);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or could not be waited for: nothing more to clean up from here.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
