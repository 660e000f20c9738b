using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Hosting;

/// <summary>
/// The built server in its own process, over real HTTP (Kestrel), configured the way an operator
/// configures it: environment variables, no Auth:Issuer (so the issuer is the listening URL), and the
/// <c>migrate</c> and <c>healthcheck</c> commands. Slow (each test starts a process), so kept in one class.
/// </summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    // RFC 9700 §4.13, RFC 9068 §2.1, ASVS 3.4.4, ASVS 4.1.4, ASVS 16.2.5, ASVS 13.4.2 over a real socket.
    [Fact]
    public async Task The_server_process_issues_verifiable_tokens_and_keeps_secrets_out_of_its_logs()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        using var directory = new TempDirectory();
        var port = ServerProcess.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        string? accessToken = null;
        const string WrongSecret = "wrong-secret-e2e-0123456789";

        await using (var server = ServerProcess.Start(["--urls", baseAddress.ToString().TrimEnd('/')], new Dictionary<string, string>
        {
            ["ConnectionStrings__AuthDb"] = database.ConnectionString,
            ["Auth__SeedFile"] = directory.WriteFile("seed.json", TestClients.SeedJson()),
            ["Auth__KeyEncryptionKey"] = TestClients.KeyEncryptionKey,
            ["Auth__DataDirectory"] = Directory.CreateDirectory(directory.Combine("data")).FullName,
        }))
        {
            await server.WaitUntilReadyAsync(baseAddress, StartTimeout);
            using var client = new HttpClient { BaseAddress = baseAddress };

            // The first request that needs the issuer carries spoofed host headers: the issuer is the
            // listening address all the same, and stays so.
            using (var spoofed = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration"))
            {
                spoofed.Headers.Host = "evil.com";
                spoofed.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.com");
                spoofed.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
                var spoofedMetadata = await (await client.SendAsync(spoofed)).JsonAsync();
                Assert.Equal($"http://127.0.0.1:{port}", spoofedMetadata.GetProperty("issuer").GetString());
            }

            var discovery = await client.GetAsync("/.well-known/openid-configuration");
            OAuthAssert.SecurityHeaders(discovery);
            var metadata = await discovery.JsonAsync();
            var issuer = metadata.GetProperty("issuer").GetString()!;
            Assert.Equal($"http://127.0.0.1:{port}", issuer);
            Assert.Equal(issuer + "/connect/token", metadata.GetProperty("token_endpoint").GetString());

            var jwksResponse = await client.GetAsync(new Uri(metadata.GetProperty("jwks_uri").GetString()!));
            Assert.Equal(HttpStatusCode.OK, jwksResponse.StatusCode);
            OAuthAssert.SecurityHeaders(jwksResponse);
            var jwks = await jwksResponse.Content.ReadAsStringAsync();

            var tokenResponse = await client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.C1, TestClients.C1Secret));
            OAuthAssert.SecurityHeaders(tokenResponse);
            var body = await OAuthAssert.TokenSuccessAsync(tokenResponse);
            accessToken = body.GetProperty("access_token").GetString()!;
            Assert.Equal(issuer, AccessTokens.Read(accessToken).Issuer);
            await AccessTokens.AssertValidAsync(accessToken, jwks, issuer, issuer);

            // A refused attempt, and a secret in the URL: neither may put the secret in a log line.
            var refused = await client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.C1, WrongSecret));
            await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.Unauthorized, "invalid_client");
            OAuthAssert.SecurityHeaders(refused);
            var inUrl = await client.PostTokenAsync(
                Protocol.Form(("grant_type", "client_credentials"), ("client_id", TestClients.CP)), path: "/connect/token?client_secret=" + TestClients.CPSecret);
            await OAuthAssert.TokenErrorAsync(inUrl, HttpStatusCode.BadRequest, "invalid_request");

            // Kestrel drops the body of a HEAD response; TRACE is refused before routing.
            var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/.well-known/jwks.json"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Trace, "/"))).StatusCode);

            // The container health check probes the same process.
            var (healthExit, healthOutput) = await ServerProcess.RunAsync(["healthcheck"],
                new Dictionary<string, string> { ["ASPNETCORE_URLS"] = baseAddress.ToString() }, TimeSpan.FromSeconds(30));
            Assert.True(healthExit == 0, $"healthcheck exited {healthExit}: {healthOutput}");

            // The failed attempt is logged as a security event: proof that the log is being captured.
            Assert.True(await server.WaitForOutputAsync("client_authentication_failed", TimeSpan.FromSeconds(10)), $"No security event logged. Output:\n{server.Output}");
            AssertNoSecrets(server.Output, TestClients.C1Secret, WrongSecret, TestClients.CPSecret, accessToken, accessToken.Split('.')[2], TestClients.KeyEncryptionKey);
        }
    }

    // The default mode: no connection string, so an embedded SQLite database in the data directory,
    // and no key-encryption key, so a key file is generated there.
    [Fact]
    public async Task Without_a_connection_string_the_server_runs_on_embedded_sqlite()
    {
        using var directory = new TempDirectory();
        var dataDirectory = Directory.CreateDirectory(directory.Combine("data")).FullName;
        var port = ServerProcess.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");

        await using var server = ServerProcess.Start(["--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>
        {
            ["Auth__SeedFile"] = directory.WriteFile("seed.json", TestClients.SeedJson()),
            ["Auth__DataDirectory"] = dataDirectory,
        });
        await server.WaitUntilReadyAsync(baseAddress, StartTimeout);
        using var client = new HttpClient { BaseAddress = baseAddress };

        var body = await OAuthAssert.TokenSuccessAsync(
            await client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.C1, TestClients.C1Secret)));
        var jwks = await client.GetStringAsync("/.well-known/jwks.json");
        await AccessTokens.AssertValidAsync(body.GetProperty("access_token").GetString()!, jwks, baseAddress.ToString().TrimEnd('/'), baseAddress.ToString().TrimEnd('/'));

        Assert.True(File.Exists(Path.Combine(dataDirectory, "authservice.db")), "authservice.db was not created in the data directory");
        Assert.True(File.Exists(Path.Combine(dataDirectory, "signing-keys.kek")), "no key-encryption key file was generated");
        AssertNoSecrets(server.Output, TestClients.C1Secret, await File.ReadAllTextAsync(Path.Combine(dataDirectory, "signing-keys.kek")));
    }

    [Fact]
    public async Task The_migrate_command_creates_the_schema_and_exits()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        using var directory = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__AuthDb"] = database.ConnectionString,
            ["Auth__DataDirectory"] = directory.Path,
        };

        var (exitCode, output) = await ServerProcess.RunAsync(["migrate"], environment, TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, $"migrate exited {exitCode}: {output}");
        Assert.Equal("clients", await database.ScalarAsync<string>("SELECT coalesce(to_regclass('public.clients')::text, '')"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM signing_keys"));

        // Running it again is a no-op.
        var (again, againOutput) = await ServerProcess.RunAsync(["migrate"], environment, TimeSpan.FromSeconds(60));
        Assert.True(again == 0, $"second migrate exited {again}: {againOutput}");
    }

    [Fact]
    public async Task The_healthcheck_command_fails_when_nothing_listens()
    {
        var port = ServerProcess.FreePort();

        var (exitCode, output) = await ServerProcess.RunAsync(["healthcheck"],
            new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }, TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 1, $"healthcheck exited {exitCode}: {output}");
    }

    private static void AssertNoSecrets(string output, params string[] secrets)
    {
        Assert.False(string.IsNullOrWhiteSpace(output), "The server wrote nothing: the log capture does not work");
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
        {
            Assert.False(output.Contains(secret.Trim(), StringComparison.Ordinal), $"The server's output contains a secret ({secret[..Math.Min(4, secret.Length)]}…)");
        }
    }
}
