using System.Text;
using System.Text.RegularExpressions;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>One entry of the console logger's <c>simple</c> format: its header line and the indented lines under it.</summary>
public sealed record ConsoleLogEntry(string Level, string Category, int EventId, string Text)
{
    /// <summary>An entry an operator's error alerting counts (<c>fail</c> = Error, <c>crit</c> = Critical).</summary>
    public bool IsError => Level is "fail" or "crit";

    public override string ToString() => Text;
}

/// <summary>
/// Reads a server process's captured output (<see cref="ServerProcess.Output"/>) as log entries, so that a test can count
/// them by level, category and event id. An entry starts with a header such as <c>12:00:00.000 fail: Category[20102]</c>
/// (the timestamp is optional) and runs on over the indented lines of its message and exception; a line that is
/// neither (e.g. the one-line start refusal on stderr) is not an entry.
/// </summary>
public static partial class ConsoleLogEntries
{
    public static List<ConsoleLogEntry> Parse(string output)
    {
        var entries = new List<ConsoleLogEntry>();
        (string Level, string Category, int EventId)? current = null;
        var text = new StringBuilder();
        void Flush()
        {
            if (current is { } header)
            {
                entries.Add(new ConsoleLogEntry(header.Level, header.Category, header.EventId, text.ToString().TrimEnd()));
            }

            current = null;
            text.Clear();
        }

        foreach (var line in output.Split('\n'))
        {
            var match = Header().Match(line);
            if (match.Success)
            {
                Flush();
                current = (match.Groups["level"].Value, match.Groups["category"].Value, int.Parse(match.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture));
                text.AppendLine(line.TrimEnd('\r'));
            }
            else if (current is not null && line.StartsWith(' '))
            {
                text.AppendLine(line.TrimEnd('\r'));
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return entries;
    }

    /// <summary>The <c>fail</c> and <c>crit</c> entries of <paramref name="output"/>.</summary>
    public static List<ConsoleLogEntry> Errors(string output) => [.. Parse(output).Where(e => e.IsError)];

    /// <summary>"3x Category[id]" per kind of entry, for a failure message; then the first entry of each kind in full.</summary>
    public static string Describe(IReadOnlyCollection<ConsoleLogEntry> entries) =>
        entries.Count == 0
            ? "none"
            : string.Join(", ", entries.GroupBy(e => $"{e.Level} {e.Category}[{e.EventId}]").Select(g => $"{g.Count()}x {g.Key}"))
                + "\n" + string.Join("\n", entries.GroupBy(e => (e.Category, e.EventId)).Select(g => g.First().Text));

    [GeneratedRegex(@"^(?:\d\d:\d\d:\d\d\.\d{3} )?(?<level>trce|dbug|info|warn|fail|crit): (?<category>[^\s\[]+)\[(?<id>\d+)\]")]
    private static partial Regex Header();
}
