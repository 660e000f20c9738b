namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// The Chromium test classes run one after the other, not side by side: each starts a server process and a
/// browser, and two of each at once on a small machine (2 cores, other builds running) push a server's start or a
/// browser step past its bound. Each class keeps its own server (its class fixture).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection
{
    public const string Name = "Chromium";
}
