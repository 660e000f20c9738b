using MimeKit;

namespace AuthService.Infrastructure.Email;

/// <summary>
/// Without an SMTP server, each message is written as an RFC 5322 <c>.eml</c> file to a folder (the quick start reads the
/// links from there). The file is named after the message id, written beside and then moved into place, so a repeated
/// delivery (at least once) replaces the same file and a reader never sees half a message.
/// </summary>
internal sealed class PickupDirectoryTransport(string directory) : IEmailTransport
{
    public string Directory { get; } = directory;

    public async Task<string?> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var name = FileNameOf(message);
            var temporary = Path.Combine(Directory, "." + name + ".tmp");
            await using (var stream = File.Create(temporary))
            {
                await message.WriteToAsync(stream, cancellationToken);
            }

            File.Move(temporary, Path.Combine(Directory, name), overwrite: true);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"pickup folder: {ex.GetType().Name}: {ex.Message}";
        }
    }

    /// <summary>The message id's local part (a Guid, see <see cref="EmailWorker"/>), so the name is safe and stable.</summary>
    private static string FileNameOf(MimeMessage message)
    {
        var id = message.MessageId ?? Guid.NewGuid().ToString("N");
        var local = id.Split('@')[0];
        return (Guid.TryParse(local, out var guid) ? guid.ToString("N") : Guid.NewGuid().ToString("N")) + ".eml";
    }
}
