using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// A program run to completion with its output captured: how the tests run <c>node</c> (interop scripts, newman, the
/// TypeScript SDK's compiler and example) and <c>bash</c> (the curl guide's snippets). Long-running processes that serve
/// requests are <see cref="ServerProcess"/>.
/// </summary>
public static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, writing
    /// <paramref name="standardInput"/> to it when given. Fails the test, with what the program printed, when it cannot be
    /// started or is still running after <paramref name="timeout"/> (its whole process tree is then killed).
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, string? standardInput = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        }
        catch (Win32Exception ex)
        {
            Assert.Fail($"`{fileName}` could not be started ({ex.Message}); the README's \"Run the tests\" says what the tests need.");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput);
                process.StandardInput.Close();
            }

            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout.TotalSeconds} s."
                    + $"\n--- stdout ---\n{await stdout}\n--- stderr ---\n{await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
