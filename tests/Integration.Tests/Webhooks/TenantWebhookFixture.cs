using AuthService.Integration.Tests.Tenants;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>
/// The tenant fixture (a client whose code-flow tokens carry <c>tenant_admin</c>) with a <see cref="WebhookReceiver"/> on
/// loopback and the webhook worker's quick test settings, for a tenant administrator's own subscriptions (docs/adr/0039).
/// </summary>
public sealed class TenantWebhookFixture : TenantFixture, IAsyncDisposable
{
    public WebhookReceiver Receiver { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Overrides =>
        new Dictionary<string, string?>(base.Overrides).Concat(WebhookFixture.WorkerSettings("01:00:00")).ToDictionary();

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
