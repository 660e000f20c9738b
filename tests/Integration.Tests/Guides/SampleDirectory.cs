namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// The folders of the Node.js samples under <c>samples/</c> that the guides in <c>docs/guides/</c> describe, each with its own
/// package.json and package-lock.json, installed by scripts/test.sh (<c>npm ci</c>, its NPM_DIRS).
/// </summary>
internal static class SampleDirectory
{
    /// <summary><c>samples/<paramref name="name"/></c>; fails the test, saying what to do, unless each package is installed there.</summary>
    public static string Require(string name, params string[] packages)
    {
        var directory = Path.Combine(Repository.Root, "samples", name);
        foreach (var package in packages)
        {
            if (!File.Exists(Path.Combine(directory, "node_modules", package, "package.json")))
            {
                Assert.Fail($"{package} is not installed in {directory}/node_modules: run `npm ci` there (scripts/test.sh does; see .testrun/npm-{Path.GetFileName(directory)}.log).");
            }
        }

        return directory;
    }

    /// <summary>The last <paramref name="length"/> characters of a process's output, for assertion messages.</summary>
    public static string Tail(string text, int length = 4000) => text.Length <= length ? text : text[^length..];
}
