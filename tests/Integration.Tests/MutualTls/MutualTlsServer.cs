using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.MutualTls;

/// <summary>
/// The built server in its own process (real Kestrel, real TLS) with the mutual-TLS listener on a second port,
/// the test CA as trust anchor, and the proxy certificate header believed from 127.0.0.1 only. The normal
/// listener is plain http on 127.0.0.1. Seeded with the admin and sign-in fixtures plus the mTLS clients.
/// A subclass may seed more and choose the issuer.
/// </summary>
public class MutualTlsServer : IAsyncLifetime
{
    public const string DnClient = "MT-DN";
    public const string FapiClient = "MT-FAPI2";
    public const string SanClient = "MT-SAN";
    public const string SelfSignedClient = "MT-SELF";

    /// <summary>A secret client registered with <c>tls_client_certificate_bound_access_tokens</c> (RFC 8705 §3.4).</summary>
    public const string BoundClient = "MT-BOUND";
    public const string BoundClientSecret = "mt-bound-secret-0123456789abcdef";
    public const string CertificateHeader = "X-SSL-Client-Cert";
    private const string ServerCertificatePassword = "server-pfx-password";

    private readonly TempDirectory _directory = new();
    private TestDatabase? _database;
    private ServerProcess? _process;

    public TestCertificates Certificates { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public Uri MutualTlsAddress { get; private set; } = null!;

    public int MutualTlsPort => MutualTlsAddress.Port;

    /// <summary>Everything the server printed so far.</summary>
    public string Output => _process?.Output ?? "";

    public ServerProcess Process => _process ?? throw new InvalidOperationException("The server has not been started.");

    public static JsonObject SeedDocument(TestCertificates certificates)
    {
        var seed = AdminClients.SeedDocument();
        var clients = seed["clients"]!.AsArray();
        var byDn = TestClients.Client(DnClient, null, "tls_client_auth", ["client_credentials"], "api.read");
        byDn["tls_client_auth_subject_dn"] = TestCertificates.ClientDn;
        clients.Add(byDn);
        // FAPI 2.0 Security Profile: mTLS authentication, so its tokens are certificate-bound without DPoP (§5.3.2.1).
        var fapi = TestClients.Client(FapiClient, null, "tls_client_auth", ["client_credentials"], "api.read");
        fapi["tls_client_auth_subject_dn"] = TestCertificates.ClientDn;
        fapi["profile"] = "fapi2";
        fapi["id_token_signed_response_alg"] = "ES256";
        clients.Add(fapi);
        var bySan = TestClients.Client(SanClient, null, "tls_client_auth", ["client_credentials"], "api.read");
        bySan["tls_client_auth_san_dns"] = TestCertificates.ClientDns;
        clients.Add(bySan);
        var selfSigned = TestClients.Client(SelfSignedClient, null, "self_signed_tls_client_auth", ["client_credentials"], "api.read");
        selfSigned["jwks"] = TestCertificates.JwksWith(certificates.SelfSigned);
        clients.Add(selfSigned);
        var bound = TestClients.Client(BoundClient, BoundClientSecret, "client_secret_basic", ["client_credentials"], "api.read");
        bound["tls_client_certificate_bound_access_tokens"] = true;
        clients.Add(bound);
        return seed;
    }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var seed = SeedDocument(Certificates);
        AddToSeed(seed);
        var seedFile = _directory.WriteFile("seed.json", seed.ToJsonString());
        var caBundle = _directory.WriteFile("trusted-ca.pem", TestCertificates.Pem(Certificates.Ca));
        var serverPfx = _directory.Combine("server.pfx");
        await File.WriteAllBytesAsync(serverPfx, Certificates.Server.Export(X509ContentType.Pkcs12, ServerCertificatePassword));

        for (var attempt = 1; ; attempt++)
        {
            var port = ServerProcess.FreePort();
            var mutualTlsPort = ServerProcess.FreePort();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ConnectionStrings__AuthDb"] = _database.ConnectionString,
                ["Auth__Issuer"] = IssuerFor(new Uri($"http://127.0.0.1:{port}")),
                ["Auth__KeyEncryptionKey"] = TestClients.KeyEncryptionKey,
                ["Auth__SeedFile"] = seedFile,
                ["Auth__DataDirectory"] = Directory.CreateDirectory(_directory.Combine($"data-{attempt}")).FullName,
                ["Auth__ClientAuthenticationFailureLimit"] = "100000",
                ["Auth__MutualTls__Url"] = $"https://127.0.0.1:{mutualTlsPort}",
                ["Auth__MutualTls__CertificatePath"] = serverPfx,
                ["Auth__MutualTls__CertificatePassword"] = ServerCertificatePassword,
                ["Auth__MutualTls__TrustedCaCertificates"] = caBundle,
                ["Auth__MutualTls__CertificateHeader"] = CertificateHeader,
                ["Auth__MutualTls__TrustedProxies"] = "127.0.0.1",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            AddToEnvironment(environment);
            _process = ServerProcess.Start(["--urls", $"http://127.0.0.1:{port}"], environment);
            BaseAddress = new Uri($"http://127.0.0.1:{port}");
            MutualTlsAddress = new Uri($"https://127.0.0.1:{mutualTlsPort}");
            try
            {
                await _process.WaitUntilReadyAsync(BaseAddress, TimeSpan.FromSeconds(90));
                await WaitUntilListeningAsync(mutualTlsPort, TimeSpan.FromSeconds(30));
                return;
            }
            catch (Exception) when (attempt < 3 && _process.HasExited && _process.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await _process.DisposeAsync();
            }
        }
    }

    /// <summary>More settings (environment variables) for the server.</summary>
    protected virtual void AddToEnvironment(IDictionary<string, string> environment)
    {
    }

    /// <summary>More clients or users for the seed.</summary>
    protected virtual void AddToSeed(JsonObject seed)
    {
    }

    /// <summary>The issuer identifier, given the normal listener's address; <see cref="TestClients.Issuer"/> unless a subclass says otherwise.</summary>
    protected virtual string IssuerFor(Uri plainListener) => TestClients.Issuer;

    /// <summary>
    /// Readiness is answered by the normal listener; on a loaded machine the mTLS listener can still be binding then,
    /// so the tests wait until it accepts connections too.
    /// </summary>
    private static async Task WaitUntilListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A client of the normal (http) listener; with <paramref name="localAddress"/>, its connections come from that address.</summary>
    public HttpClient Plain(IPAddress? localAddress = null)
    {
        var handler = new SocketsHttpHandler();
        if (localAddress is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    /// <summary>A client of the mutual-TLS listener presenting <paramref name="certificate"/> (or none) in the handshake.</summary>
    public HttpClient MutualTls(X509Certificate2? certificate, bool cookies = false)
    {
        var tls = new SslClientAuthenticationOptions
        {
            // The listener's certificate is self-signed and made for this run; what is tested is the client's.
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        };
        if (certificate is not null)
        {
            // Presented whatever CA names the server lists, as a client holding one certificate does.
            tls.ClientCertificates = [certificate];
            tls.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies, SslOptions = tls };
        return new HttpClient(handler) { BaseAddress = MutualTlsAddress };
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Certificates.Dispose();
        _directory.Dispose();
    }
}
