using System.Diagnostics;
using System.Globalization;
using System.Net;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using Xunit.Abstractions;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// The e-mail fixture with self-registration on and a per-address budget no test of the class exhausts: the same address
/// is asked for many times.
/// </summary>
public sealed class EnumerationFixture : EmailFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>(base.Overrides)
    {
        ["Auth:SelfRegistration:Enabled"] = "true",
        ["Auth:Email:RequestsPerAddress"] = "1000",
    };
}

/// <summary>
/// Account enumeration, measured (ASVS 6.3.8): many interleaved requests for an address with an account and for addresses
/// without one, on the password-reset request, the sign-in link request and the registration form. What is asserted is
/// what must be equal: the status, the page (modulo the CSP nonce and the address typed) and the headers (modulo the date,
/// the nonce and cookie values). The timings are compared and reported (medians, their difference, a Mann-Whitney U
/// test's z and two-sided p) in the test output, never asserted: a shared test machine's jitter would make any timing
/// assertion flaky, and a reviewer reads the numbers instead.
/// </summary>
public sealed partial class EnumerationTimingTests(EnumerationFixture server, ITestOutputHelper output) : IClassFixture<EnumerationFixture>
{
    private const int Rounds = 40;
    private const int RegistrationRounds = 15;
    private const int WarmUp = 3;

    [Fact]
    public async Task A_reset_request_answers_alike_for_an_address_with_and_without_an_account()
    {
        var (_, known, _) = await server.NewUserAsync("enumr");
        await CompareAsync("password reset request", Rounds,
            (browser, _) => AskAsync(browser, known, AskForResetAsync),
            (browser, i) => AskAsync(browser, Unknown("r", i), AskForResetAsync));
    }

    [Fact]
    public async Task A_sign_in_link_request_answers_alike_for_an_address_with_and_without_an_account()
    {
        var (_, known, _) = await server.NewUserAsync("enumm");
        await CompareAsync("sign-in link request", Rounds,
            (browser, _) => AskAsync(browser, known, MagicLinkTests.AskForMagicLinkAsync),
            (browser, i) => AskAsync(browser, Unknown("m", i), MagicLinkTests.AskForMagicLinkAsync));
    }

    [Fact]
    public async Task The_registration_form_answers_alike_for_an_address_with_and_without_an_account()
    {
        var (_, known, _) = await server.NewUserAsync("enumg");
        await CompareAsync("registration", RegistrationRounds,
            (browser, _) => AskAsync(browser, known, Register),
            (browser, i) => AskAsync(browser, Unknown("g", i), Register));

        static Task<HttpResponseMessage> Register(Browser browser, string email) =>
            SelfRegistrationTests.RegisterAsync(browser, UserAdmin.NewUsername("enumg"), email, "an-enumeration-password-0123");
    }

    private static string Unknown(string flow, int i) => $"nobody-{flow}{i}-{Guid.NewGuid():N}@example.com";

    private static async Task<Answer> AskAsync(Browser browser, string email, Func<Browser, string, Task<HttpResponseMessage>> ask)
    {
        var watch = Stopwatch.StartNew();
        using var response = await ask(browser, email);
        var html = await response.Content.ReadAsStringAsync();
        watch.Stop();
        return new Answer(response.StatusCode, WithoutNonce(html).Replace(email, "{email}", StringComparison.Ordinal), Headers(response), watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Interleaves the two kinds of request (alternating which goes first), after a few unmeasured ones of each, so a
    /// drift of the machine's load falls on both samples alike.
    /// </summary>
    private async Task CompareAsync(string name, int rounds, Func<Browser, int, Task<Answer>> known, Func<Browser, int, Task<Answer>> unknown)
    {
        using var browser = server.NewBrowser();
        var reference = await known(browser, -1);
        Assert.Equal(HttpStatusCode.OK, reference.Status);
        for (var i = 0; i < WarmUp; i++)
        {
            await known(browser, -1);
            await unknown(browser, -1 - i);
        }

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            Answer withAccount, withoutAccount;
            if (i % 2 == 0)
            {
                withAccount = await known(browser, i);
                withoutAccount = await unknown(browser, i);
            }
            else
            {
                withoutAccount = await unknown(browser, i);
                withAccount = await known(browser, i);
            }

            foreach (var answer in new[] { withAccount, withoutAccount })
            {
                Assert.Equal(reference.Status, answer.Status);
                Assert.Equal(reference.Page, answer.Page);
                Assert.Equal(reference.Headers, answer.Headers);
            }

            knownTimes.Add(withAccount.Milliseconds);
            unknownTimes.Add(withoutAccount.Milliseconds);
        }

        var (u, z, p) = MannWhitney(knownTimes, unknownTimes);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: n = {rounds} + {rounds}; median with an account {Median(knownTimes):0.00} ms, without {Median(unknownTimes):0.00} ms "
            + $"(difference {Median(knownTimes) - Median(unknownTimes):+0.00;-0.00} ms); Mann-Whitney U = {u:0.0}, z = {z:0.00}, two-sided p = {p:0.000}"));
    }

    /// <summary>The headers that must not differ: all but the date, with the CSP nonce blanked and cookies reduced to their names.</summary>
    private static string Headers(HttpResponseMessage response) =>
        string.Join('\n', response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not "Date" and not "Content-Length")
            .Select(h => h.Key + ": " + (h.Key == "Set-Cookie"
                ? string.Join("; ", h.Value.Select(c => c[..Math.Max(0, c.IndexOf('=', StringComparison.Ordinal))]).Order(StringComparer.Ordinal))
                : NonceValue().Replace(string.Join(", ", h.Value), "'nonce-'")))
            .Order(StringComparer.Ordinal));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// The Mann-Whitney U of the first sample against the second (ties get their average rank), with the normal
    /// approximation's z (tie-corrected variance) and two-sided p: how likely samples this far apart would be if both
    /// kinds of request took the same time.
    /// </summary>
    private static (double U, double Z, double P) MannWhitney(List<double> first, List<double> second)
    {
        var all = first.Select(v => (Value: v, First: true)).Concat(second.Select(v => (Value: v, First: false))).OrderBy(x => x.Value).ToList();
        var ranks = new double[all.Count];
        var tieTerm = 0.0;
        for (var i = 0; i < all.Count;)
        {
            var j = i;
            while (j + 1 < all.Count && all[j + 1].Value == all[i].Value)
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                ranks[k] = (i + j + 2) / 2.0;
            }

            var t = j - i + 1.0;
            tieTerm += (t * t * t) - t;
            i = j + 1;
        }

        double n1 = first.Count, n2 = second.Count, n = n1 + n2;
        var u = Enumerable.Range(0, all.Count).Where(i => all[i].First).Sum(i => ranks[i]) - (n1 * (n1 + 1) / 2);
        var sigma = Math.Sqrt(n1 * n2 / 12 * ((n + 1) - (tieTerm / (n * (n - 1)))));
        var z = sigma == 0 ? 0 : (u - (n1 * n2 / 2)) / sigma;
        return (u, z, Erfc(Math.Abs(z) / Math.Sqrt(2)));
    }

    /// <summary>The complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7).</summary>
    private static double Erfc(double x)
    {
        double[] c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var t = 1 / (1 + (0.5 * x));
        var polynomial = 0.0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            polynomial = (polynomial * t) + c[i];
        }

        return t * Math.Exp((-x * x) + polynomial);
    }

    [System.Text.RegularExpressions.GeneratedRegex("'nonce-[^']*'")]
    private static partial System.Text.RegularExpressions.Regex NonceValue();

    private sealed record Answer(HttpStatusCode Status, string Page, string Headers, double Milliseconds);
}
