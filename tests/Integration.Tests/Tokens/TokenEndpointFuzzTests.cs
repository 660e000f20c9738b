using System.Net.Http.Headers;
using System.Text;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Tokens;

/// <summary>
/// Random malformed requests never reach a 5xx (ASVS 16.5.4: errors are handled, not thrown at the
/// caller). Each case is seeded, so a failure names the seed that reproduces it.
/// </summary>
public sealed class TokenEndpointFuzzTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private static readonly string[] Names = ["grant_type", "client_id", "client_secret", "scope", "client_assertion", "code", "x", ""];

    private static readonly string[] ContentTypes =
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-8",
        "application/x-www-form-urlencoded; charset=iso-8859-1",
        "application/x-www-form-urlencoded; charset=bogus",
        "application/x-www-form-urlencoded; boundary=x",
        "multipart/form-data; boundary=zz",
        "multipart/form-data",
        "text/plain",
    ];

    private readonly HttpClient _client = server.Client;

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 30)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_random_malformed_request_never_gets_a_5xx(int seed)
    {
        var random = new Random(seed);
        using var request = new HttpRequestMessage(HttpMethod.Post, Protocol.TokenPath + (random.Next(4) == 0 ? "?" + RandomForm(random) : ""))
        {
            Content = new ByteArrayContent(RandomBody(random)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentTypes[random.Next(ContentTypes.Length)]);
        switch (random.Next(4))
        {
            case 0:
                request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(RandomBytes(random, random.Next(0, 64))));
                break;
            case 1:
                request.Headers.TryAddWithoutValidation("Authorization", RandomHeaderValue(random));
                break;
            case 2:
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
                    Encoding.UTF8.GetBytes(RandomText(random, 10) + ":" + RandomText(random, 20))));
                break;
        }

        for (var i = random.Next(3); i > 0; i--)
        {
            request.Headers.TryAddWithoutValidation("X-Fuzz-" + i, RandomHeaderValue(random));
        }

        var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode < 500, $"Seed {seed}: {(int)response.StatusCode} {text}");
        Assert.DoesNotContain("access_token", text, StringComparison.Ordinal);
    }

    private static byte[] RandomBody(Random random) => random.Next(3) switch
    {
        0 => RandomBytes(random, random.Next(0, 4096)),
        1 => Encoding.UTF8.GetBytes(RandomForm(random)),
        _ => Encoding.Latin1.GetBytes("grant_type=client_credentials&" + RandomText(random, random.Next(0, 300))),
    };

    /// <summary>name=value pairs with random percent-escapes, repeats, and stray separators.</summary>
    private static string RandomForm(Random random)
    {
        var parts = new List<string>();
        for (var i = random.Next(0, 12); i > 0; i--)
        {
            var name = random.Next(3) == 0 ? RandomText(random, 8) : Names[random.Next(Names.Length)];
            parts.Add(name + (random.Next(5) == 0 ? "" : "=") + RandomText(random, random.Next(0, 40)));
        }

        return string.Join(random.Next(6) == 0 ? ";" : "&", parts);
    }

    /// <summary>Printable ASCII plus '%' sequences (valid or not) and a few non-ASCII characters.</summary>
    private static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(10) switch
            {
                0 => "%" + random.Next(256).ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
                1 => "%" + (char)random.Next(0x20, 0x7F),
                2 => (char)random.Next(0xA0, 0x2FF),
                _ => (char)random.Next(0x20, 0x7F),
            });
        }

        return builder.ToString();
    }

    /// <summary>Header-safe (no CR, LF or NUL) but otherwise arbitrary Latin-1 text.</summary>
    private static string RandomHeaderValue(Random random)
    {
        var chars = new char[random.Next(1, 200)];
        for (var i = 0; i < chars.Length; i++)
        {
            do
            {
                chars[i] = (char)random.Next(0x01, 0x100);
            }
            while (chars[i] is '\r' or '\n' or '\0' || char.IsControl(chars[i]));
        }

        return new string(chars).Trim();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
