namespace AuthService.ResourceServer.Tests.Infrastructure;

/// <summary>A fresh fake authority and protected API per test, configured by <see cref="Configure"/>.</summary>
public abstract class ApiTests : IAsyncLifetime
{
    protected FakeAuthority Authority { get; private set; } = null!;

    protected ProtectedApi Api { get; private set; } = null!;

    protected DateTimeOffset Now => Api.Clock.GetUtcNow();

    /// <summary>Changes to the API's options for every test of the class.</summary>
    protected virtual void Configure(AuthServiceTokenOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        Authority = await FakeAuthority.StartAsync();
        Api = await ProtectedApi.StartAsync(Authority, Configure);
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Authority.DisposeAsync();
    }
}
