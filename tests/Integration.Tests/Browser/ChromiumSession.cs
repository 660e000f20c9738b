using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by scripts/test.sh) driven by Playwright through
/// its own bundled node driver (NuGet Microsoft.Playwright; Playwright's own browser builds cannot be
/// downloaded on these machines, and none is used). Headless, no sandbox (the tests run as root), no
/// background networking, and a fresh profile folder per session: one browser, one cookie jar.
/// Every console message and page error is recorded. Disposing closes the browser, kills whatever is left
/// of it (by process id, found by its unique profile folder) and deletes the profile.
/// </summary>
public sealed class ChromiumSession : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// The bound of every single wait in the browser (navigation, click, selector). 30 s: a step takes well under a second
    /// alone, but a second Chromium started while both cores are busy with other tests once needed more than 15 s to reach
    /// its next page.
    /// </summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;
    private readonly ConcurrentQueue<string> _console = new();
    private readonly ConcurrentQueue<string> _navigations = new();

    private ChromiumSession(IPlaywright playwright, IBrowserContext context, IPage page, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
        context.SetDefaultTimeout((float)StepTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)StepTimeout.TotalMilliseconds);
        context.Console += (_, message) => _console.Enqueue($"[{message.Type}] {message.Text} ({message.Location})");
        context.WebError += (_, error) => _console.Enqueue($"[pageerror] {error.Error}");
        context.Response += (_, response) =>
        {
            if (response.Request.IsNavigationRequest)
            {
                _navigations.Enqueue($"{response.Status} {response.Request.Method} {response.Url}");
            }
        };
        context.RequestFailed += (_, request) =>
        {
            if (request.IsNavigationRequest)
            {
                _navigations.Enqueue($"FAILED ({request.Failure}) {request.Method} {request.Url}");
            }
        };
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Every console message so far, as "[type] text (location)".</summary>
    public IReadOnlyList<string> ConsoleMessages => [.. _console];

    /// <summary>Every navigation response so far (top-level documents, redirects included), as "status method url".</summary>
    public IReadOnlyList<string> Navigations => [.. _navigations];

    /// <summary>
    /// The console messages of type error, and page errors (CSP violations among them: Chromium logs a blocked
    /// form post, or a blocked redirect after one, as "Sending form data to '...' violates the following Content
    /// Security Policy directive: ..."), except Chromium's "Failed to load resource" for the /favicon.ico it asks every
    /// origin for on its own (the server has none: a 404, which no page asked for).
    /// </summary>
    public IReadOnlyList<string> ConsoleErrors => [.. _console.Where(m =>
        (m.StartsWith("[error]", StringComparison.Ordinal) || m.StartsWith("[pageerror]", StringComparison.Ordinal))
        && !(m.Contains("Failed to load resource", StringComparison.Ordinal) && m.Contains("/favicon.ico:", StringComparison.Ordinal)))];

    /// <summary>
    /// Starts Chromium. Fails the test, with what to do, when it is not installed or does not start:
    /// a browser test never passes or skips without a browser. <paramref name="acceptTestCertificates"/>: for a server on
    /// https with a test CA's certificate (<see cref="BrowserFlowServer.Https"/>), which this browser cannot be told to trust.
    /// </summary>
    public static async Task<ChromiumSession> LaunchAsync(bool acceptTestCertificates = false)
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"Chromium is not installed ({ExecutablePath} does not exist). scripts/test.sh installs Debian's `chromium` package "
                + "with apt-get when it is missing (as root; its log is .testrun/chromium-apt.log); run the tests through it, or `apt-get install chromium`.");
        }

        var profile = Directory.CreateTempSubdirectory("authservice-chromium-").FullName;
        IPlaywright? playwright = null;
        try
        {
            playwright = await Playwright.CreateAsync();
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Flags,
                Timeout = 30_000,
                ViewportSize = new ViewportSize { Width = 800, Height = 700 },
                Locale = "en-US",
                IgnoreHTTPSErrors = acceptTestCertificates,
            });
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return new ChromiumSession(playwright, context, page, profile);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            playwright?.Dispose();
            KillLeftovers(profile);
            DeleteProfile(profile);
            Assert.Fail($"Chromium ({ExecutablePath}) could not be started by Playwright: {ex.GetType().Name}: {ex.Message}");
            throw; // not reached
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Context.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            // Killed below.
        }

        _playwright.Dispose();
        KillLeftovers(_profile);
        DeleteProfile(_profile);
    }

    /// <summary>Kills, by process id, every process whose command line names this session's profile folder (Chromium and its helpers).</summary>
    private static void KillLeftovers(string profile)
    {
        var marker = "--user-data-dir=" + profile;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(marker, StringComparison.Ordinal))
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile.
            }
        }
    }

    private static void DeleteProfile(string profile)
    {
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}

/// <summary>Waits on the page that do not depend on Playwright's load-state events.</summary>
public static class PageWaits
{
    /// <summary>
    /// Waits until the page's URL matches, by polling <see cref="IPage.Url"/> (which moves when a navigation commits).
    /// Playwright's <c>WaitForURLAsync</c> checks the URL first and, when the navigation has already committed by then,
    /// waits for a load-state event instead, which can be missed or late on a loaded machine although the browser is
    /// already where the test wants it (seen in CI: the browser at the client's callback, the wait timed out).
    /// </summary>
    public static async Task WaitForUrlAsync(this IPage page, Func<string, bool> match, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? ChromiumSession.StepTimeout);
        while (!match(page.Url))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The page did not reach the expected URL within {(bound ?? ChromiumSession.StepTimeout).TotalSeconds:0} s; it is at {page.Url}.");
            }

            await Task.Delay(25);
        }
    }
}
