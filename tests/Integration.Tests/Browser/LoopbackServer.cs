using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// Starts the built server as its own OS process on a free loopback port (<c>http://127.0.0.1:PORT</c>, or another
/// loopback host name such as <c>localhost</c>, which is also its issuer), configured by environment variables only: the database, the issuer, the
/// test key-encryption key, a seed file and a data folder under <c>directory</c>, plus any extra settings. With <c>tls</c> it listens on
/// https with that test CA's server certificate (Kestrel's default certificate, PEM files under <c>directory</c>).
/// Retries on another port when the probed one was taken before Kestrel could bind it.
/// </summary>
internal static class LoopbackServer
{
    // A bound, not an expectation: alone the server is ready in about 15 s (migrations, two signing keys, Hangfire's schema),
    // but on 2 cores with the rest of the suite running it takes longer (the process tests allow 60 to 90 s).
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    public static async Task<(ServerProcess Process, string Issuer)> StartAsync(
        string connectionString, string seedFile, string directory, IReadOnlyDictionary<string, string>? extraEnvironment = null, string host = "127.0.0.1",
        LoopbackTls? tls = null)
    {
        using var probeHandler = tls?.TrustingHandler();
        for (var attempt = 1; ; attempt++)
        {
            var port = ServerProcess.FreePort();
            var issuer = $"{(tls is null ? "http" : "https")}://{host}:{port}";
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ConnectionStrings__AuthDb"] = connectionString,
                ["Auth__Issuer"] = issuer,
                ["Auth__KeyEncryptionKey"] = TestClients.KeyEncryptionKey,
                ["Auth__SeedFile"] = seedFile,
                ["Auth__DataDirectory"] = Directory.CreateDirectory(Path.Combine(directory, $"data-{attempt}")).FullName,
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
                ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
            };
            if (tls is not null)
            {
                var certificate = Path.Combine(directory, "tls-leaf.pem");
                var key = Path.Combine(directory, "tls-leaf-key.pem");
                tls.WriteLeafPem(certificate, key);
                environment["Kestrel__Certificates__Default__Path"] = certificate;
                environment["Kestrel__Certificates__Default__KeyPath"] = key;
            }

            foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
            {
                environment[name] = value;
            }

            var process = ServerProcess.Start(["--urls", issuer], environment);
            try
            {
                await process.WaitUntilReadyAsync(new Uri(issuer), ReadyTimeout, handler: probeHandler);
                return (process, issuer);
            }
            catch (Exception) when (attempt < 3 && process.HasExited && process.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await process.DisposeAsync(); // the port was taken between the probe and Kestrel's bind: another port
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Stops a server started by <see cref="StartAsync"/>, drops its database and deletes its folder (best effort).</summary>
    public static async Task StopAsync(ServerProcess? process, TestDatabase? database, string directory)
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a temp folder left behind must not hide the test's outcome.
        }
    }
}
