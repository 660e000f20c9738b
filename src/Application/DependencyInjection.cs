using System.Reflection;
using AuthService.Application.Authorization;
using AuthService.Application.Common.Behaviours;
using AuthService.Application.Common.Security;
using AuthService.Application.SignIn;
using AuthService.Application.Resources;
using AuthService.Application.Tokens.Common;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5.1.0 has no DI package that fits (see docs/adr/0002), so handlers and validators are
    /// registered by scanning this assembly here. Behaviours run in registration order: logging
    /// outermost, then validation.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var assembly = typeof(DependencyInjection).Assembly;
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        RegisterClosedImplementations(services, assembly, typeof(IRequestHandler<,>));
        RegisterClosedImplementations(services, assembly, typeof(INotificationHandler<>));
        RegisterClosedImplementations(services, assembly, typeof(IValidator<>));

        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));

        services.AddScoped<ClientAuthenticator>();
        services.AddScoped<AuthorizationRequestValidator>();
        services.AddScoped<Authorization.Requests.AuthorizationRequestResolver>();
        services.AddScoped<Authorization.TenantSelector>();
        services.AddScoped<Tokens.Common.TenantClaimsReader>();
        services.AddScoped<BrowserSessions>();
        services.AddScoped<SignIn.Commands.SignIn.PasswordSignIn>();
        services.AddScoped<SignIn.SecondFactorSignIn>();
        services.AddScoped<SignIn.SecondFactorCodes>();
        services.AddScoped<SignIn.SecondFactorStep>();
        services.AddScoped<Passkeys.PasskeyCeremonies>();
        services.AddScoped<Passkeys.Commands.PasskeyAssertions>();
        services.AddScoped<Passkeys.Commands.PasskeySignIn>();
        services.AddScoped<DeviceAuthorizations.DeviceVerification>();
        services.AddScoped<UserTokens>();
        services.AddScoped<ResourceIndicators>();
        services.AddScoped<SenderConstraint>();
        services.AddScoped<AccessTokenOwners>();
        services.AddScoped<GrantRevocation>();
        services.AddScoped<GrantCleanup>();
        services.AddScoped<Logout.LogoutPropagation>();
        services.AddScoped<Email.EmailLinks>();
        services.AddScoped<Email.EmailLinkRequests>();
        services.AddScoped<Email.EmailRequestResolver>();
        services.AddScoped<Email.AuthorizationContinuation>();
        services.AddScoped<Federation.FederatedSignIn>();
        services.AddScoped<Federation.LinkProof>();
        services.AddScoped<SignIn.SignInContinuations>();
        services.AddScoped<Email.Queries.CheckEmailLink.EmailTokenLookup>();
        services.AddScoped<Clients.Common.ClientRemoval>();
        services.AddScoped<Users.UserRemoval>();
        services.AddScoped<Tenants.Common.TenantAdministration>();
        services.AddScoped<Tenants.Common.TenantInvitationLinks>();
        services.AddScoped<Tenants.Common.TenantInvitationMail>();
        services.AddScoped<Webhooks.Common.WebhookScoping>();
        services.AddScoped<Federation.Common.LinkedIdentities>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    private static void RegisterClosedImplementations(IServiceCollection services, Assembly assembly, Type openInterface)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }))
        {
            foreach (var implemented in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface))
            {
                services.AddTransient(implemented, type);
            }
        }
    }
}
