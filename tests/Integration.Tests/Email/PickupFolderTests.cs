using System.Net;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using MimeKit;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// Without an SMTP server every message is written as an <c>.eml</c> file to the pickup folder (the quick start's way to
/// see the whole flow); on a server whose clock the test moves, a reset link past its lifetime is refused.
/// </summary>
public sealed class PickupFolderTests
{
    [Fact]
    public async Task Without_smtp_the_message_is_an_eml_file_and_its_link_expires()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var pickup = new TempDirectory();
        await using var server = await ClockedServer.StartAsync(database, new Dictionary<string, string?>
        {
            ["Auth:Email:PickupDirectory"] = pickup.Path,
            ["Auth:Email:PollInterval"] = "00:00:00.200",
            ["Auth:Email:PasswordResetLifetime"] = "00:10:00",
        }, seedJson: SignInClients.SeedJson());
        using var browser = new Browser(server.Factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("https://localhost"),
        }));

        using var asked = await AskForResetAsync(browser, SignInClients.AliceEmail);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);

        var file = await Poll.UntilAsync(() => Task.FromResult(Directory.GetFiles(pickup.Path, "*.eml").SingleOrDefault()), f => f is not null,
            TimeSpan.FromSeconds(30), "an .eml file in the pickup folder");
        var message = await MimeMessage.LoadAsync(file!);
        Assert.Equal(SignInClients.AliceEmail, message.To.Mailboxes.Single().Address);
        Assert.Equal("Reset your password", message.Subject);
        var link = SmtpSink.LinkOf(message);
        await OpenLinkAsync(browser, link);

        server.Clock.Advance(TimeSpan.FromMinutes(10));

        using var expired = await browser.GetAsync(link);
        await AssertRefusedAsync(expired, "expired");
    }
}
