using AuthService.Application.Federation.Commands.CreateExternalProvider;
using AuthService.Application.Federation.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using AuthService.Infrastructure.Persistence;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// Upstream providers and links made inside a running server. The links are made through the repository, as the
/// sign-in flow makes them on return from the upstream (that flow has tests of its own).
/// </summary>
internal static class FederationTesting
{
    /// <summary>A generic OpenID Connect provider named <paramref name="name"/>, created unless it exists.</summary>
    public static async Task EnsureProviderAsync(WebApplicationFactory<Program> factory, string name, string displayName, bool enabled = true)
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            if (await scope.ServiceProvider.GetRequiredService<IExternalProviderRepository>().FindByNameAsync(name, CancellationToken.None) is not null)
            {
                return;
            }
        }

        await factory.SendAsync(new CreateExternalProvider(new ExternalProviderMetadata(name, displayName, $"client-of-{name}", $"secret-of-{name}-0123456789",
            Issuer: $"https://{name}.example", Enabled: enabled)));
    }

    /// <summary>Links the upstream person <paramref name="subject"/> at <paramref name="provider"/> to the user; returns the link's id.</summary>
    public static async Task<Guid> LinkAsync(WebApplicationFactory<Program> factory, Guid userId, string provider, string subject, string? email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var found = await services.GetRequiredService<IExternalProviderRepository>().FindByNameAsync(provider, CancellationToken.None);
        var identity = ExternalIdentity.Link(Guid.NewGuid(), userId, found!.Id, subject, email, "linked", DateTimeOffset.UtcNow);
        services.GetRequiredService<IExternalIdentityRepository>().Add(identity);
        Assert.Equal(SaveResult.Saved, await services.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        return identity.Id;
    }

    public static async Task<Guid> UserIdAsync(WebApplicationFactory<Program> factory, string username)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Users.Where(u => u.Username == username).Select(u => u.Id).SingleAsync();
    }

    /// <summary>The user's links, read from the store.</summary>
    public static async Task<IReadOnlyList<ExternalIdentity>> LinksAsync(WebApplicationFactory<Program> factory, Guid userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IExternalIdentityRepository>().ListByUserIdAsync(userId, CancellationToken.None);
    }

    /// <summary>
    /// Leaves the user without a password, as an account provisioned at a first upstream sign-in is; the security stamp
    /// stays, so the browser's session goes on.
    /// </summary>
    public static async Task RemovePasswordAsync(WebApplicationFactory<Program> factory, Guid userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, (string?)null)));
    }

    /// <summary>The audit entries of <paramref name="eventType"/> about the user, with their details JSON.</summary>
    public static async Task<IReadOnlyList<(string ActorType, string? Details)>> AuditAsync(WebApplicationFactory<Program> factory, Guid userId, string eventType)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var subject = userId.ToString();
        return (await scope.ServiceProvider.GetRequiredService<AuthDbContext>().AuditEntries
            .Where(e => e.SubjectId == subject && e.EventType == eventType).Select(e => new { e.ActorType, e.Details }).ToListAsync())
            .Select(e => (e.ActorType, e.Details)).ToList();
    }
}
