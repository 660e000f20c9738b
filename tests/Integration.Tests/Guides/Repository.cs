namespace AuthService.Integration.Tests.Guides;

/// <summary>The repository's files as a reader of the guides sees them.</summary>
internal static class Repository
{
    /// <summary>The folder holding AuthService.sln, found above the test output.</summary>
    public static string Root
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "AuthService.sln")))
            {
                root = root.Parent;
            }

            return root?.FullName ?? throw new InvalidOperationException($"No AuthService.sln above {AppContext.BaseDirectory}.");
        }
    }
}
