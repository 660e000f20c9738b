using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Guides;

namespace AuthService.Integration.Tests.Sdk;

/// <summary>
/// The checked-in SDKs (sdk/, docs/adr/0046) are what scripts/generate-sdks.sh makes from the admin API as it is now:
/// sdk/openapi.json equals the document the server serves (compared as JSON values, so formatting and key order do not
/// matter), and every generated file still has the SHA-256 that sdk/GENERATED.sha256 recorded when the script generated it
/// from that document, with no generated file added or removed since.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class SdkFreshnessTests(SdkServer server)
{
    private const string Regenerate = "Run `bash scripts/generate-sdks.sh` and commit sdk/.";

    private static string SdkDirectory => Path.Combine(Repository.Root, "sdk");

    [Fact]
    public async Task The_checked_in_OpenAPI_document_is_the_one_the_server_serves()
    {
        using var client = server.NewClient();
        var served = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(SdkDirectory, "openapi.json")));

        var difference = FirstDifference(served, checkedIn, "");
        Assert.True(difference is null, $"sdk/openapi.json is not the admin API's OpenAPI document as served (first difference at {difference}). {Regenerate}");
    }

    [Fact]
    public async Task The_generated_SDK_files_were_generated_from_the_checked_in_document()
    {
        var stampFile = Path.Combine(SdkDirectory, "GENERATED.sha256");
        Assert.True(File.Exists(stampFile), $"sdk/GENERATED.sha256 is missing. {Regenerate}");
        var recorded = (await File.ReadAllLinesAsync(stampFile))
            .Where(line => line.Length > 0)
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0], StringComparer.Ordinal);

        // What the script stamps: the document, the TypeScript types and all of Kiota's output.
        var generated = new[] { "openapi.json", "typescript/src/schema.d.ts" }
            .Concat(Directory.EnumerateFiles(Path.Combine(SdkDirectory, "dotnet", "Generated"), "*", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(SdkDirectory, file).Replace(Path.DirectorySeparatorChar, '/')))
            .ToList();

        Assert.True(recorded.ContainsKey("openapi.json"), $"sdk/GENERATED.sha256 does not name openapi.json. {Regenerate}");
        var unstamped = generated.Except(recorded.Keys, StringComparer.Ordinal).ToList();
        Assert.True(unstamped.Count == 0, $"Generated files the script did not make: {string.Join(", ", unstamped)}. {Regenerate}");
        var missing = recorded.Keys.Except(generated, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"Generated files missing: {string.Join(", ", missing)}. {Regenerate}");

        var changed = new List<string>();
        foreach (var (file, sha256) in recorded)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(SdkDirectory, file));
            if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha256, StringComparison.Ordinal))
            {
                changed.Add(file);
            }
        }

        Assert.True(changed.Count == 0,
            $"Changed since scripts/generate-sdks.sh generated the SDKs (a document edited without regenerating, or a generated file edited by hand): {string.Join(", ", changed)}. {Regenerate}");
    }

    /// <summary>The JSON Pointer (RFC 6901) of the first place where the two values differ, or null when they are equal.</summary>
    private static string? FirstDifference(JsonNode? expected, JsonNode? actual, string pointer)
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject left, JsonObject right):
                foreach (var name in left.Select(p => p.Key).Union(right.Select(p => p.Key), StringComparer.Ordinal))
                {
                    var child = $"{pointer}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    if (!left.ContainsKey(name) || !right.ContainsKey(name))
                    {
                        return child;
                    }

                    if (FirstDifference(left[name], right[name], child) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case (JsonArray left, JsonArray right):
                for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
                {
                    if (i >= left.Count || i >= right.Count)
                    {
                        return $"{pointer}/{i}";
                    }

                    if (FirstDifference(left[i], right[i], $"{pointer}/{i}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : pointer.Length == 0 ? "/" : pointer;
        }
    }
}
