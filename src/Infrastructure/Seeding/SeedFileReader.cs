using System.Text.Json;
using System.Text.Json.Serialization;
using AuthService.Application.Seeding.Commands.ApplySeed;

namespace AuthService.Infrastructure.Seeding;

/// <summary>
/// Reads the seed file strictly: duplicate members (ASVS 1.5.3) and unknown members (a typo such as
/// <c>redirect_uri</c> would otherwise be ignored silently) are errors. Error messages carry the JSON
/// path and line, never the file's values, which include secrets.
/// </summary>
public static class SeedFileReader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    public static async Task<SeedDocument> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Auth:SeedFile points to {path}, which does not exist.");
        }

        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<SeedDocument>(stream, Options, cancellationToken)
                ?? throw new InvalidOperationException($"The seed file {path} is empty (null).");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException(
                $"The seed file {path} is not valid: {ex.GetType().Name} at path {ex.Path ?? "$"}, line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}. " +
                "Expected {\"clients\": [...], \"users\": [...]} with RFC 7591 member names; duplicate and unknown members are refused.");
        }
    }
}
