using System.Reflection;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Common;
using NetArchTest.Rules;

namespace AuthService.Application.Tests.Architecture;

/// <summary>
/// Keeps the picture of docs/adr/0001 true: dependencies point inward (WebApi → Infrastructure →
/// Application → Domain), Domain references no package, Application knows neither persistence nor HTTP.
/// Checked twice: on the types (NetArchTest reads the IL, so a single field, parameter or call counts) and
/// on the assemblies' reference tables (which catch a reference no type uses yet).
/// </summary>
public sealed class LayerDependencyTests
{
    private static readonly Assembly Domain = typeof(AggregateRoot).Assembly;
    private static readonly Assembly Application = typeof(OAuthError).Assembly;
    private static readonly Assembly Infrastructure = typeof(AuthService.Infrastructure.DependencyInjection).Assembly;

    private const string ApplicationNamespace = "AuthService.Application";
    private const string InfrastructureNamespace = "AuthService.Infrastructure";
    private const string WebApiNamespace = "AuthService.WebApi";

    /// <summary>Namespaces of packages and frameworks that belong to the outer layers.</summary>
    private static readonly string[] OuterFrameworks =
    [
        "Microsoft.EntityFrameworkCore",
        "Microsoft.AspNetCore",
        "Npgsql",
        "Microsoft.Data.Sqlite",
        "Microsoft.IdentityModel",
        "Org.BouncyCastle",
        "Hangfire",
    ];

    [Fact]
    public void Domain_depends_on_no_other_layer_and_no_package()
    {
        AssertNoDependency(Domain, [ApplicationNamespace, InfrastructureNamespace, WebApiNamespace, .. OuterFrameworks,
            "MediatR", "FluentValidation", "Mapster", "Microsoft.Extensions"]);

        // Only the base class library: any other referenced assembly is a package.
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name!).Where(name => !IsBaseClassLibrary(name));
        Assert.Empty(references);
    }

    [Fact]
    public void Application_depends_on_neither_Infrastructure_nor_WebApi_nor_EF_Core_nor_ASP_NET_Core()
    {
        AssertNoDependency(Application, [InfrastructureNamespace, WebApiNamespace, .. OuterFrameworks]);
        AssertNoReferencedAssembly(Application, ["AuthService.Infrastructure", "AuthService.WebApi", .. OuterFrameworks]);
    }

    [Fact]
    public void Infrastructure_does_not_depend_on_WebApi()
    {
        AssertNoDependency(Infrastructure, [WebApiNamespace]);
        AssertNoReferencedAssembly(Infrastructure, ["AuthService.WebApi"]);
    }

    private static void AssertNoDependency(Assembly assembly, string[] forbidden)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful,
            $"{assembly.GetName().Name} depends on an outer layer or framework ({string.Join(", ", forbidden)}): "
            + string.Join(", ", result.FailingTypeNames ?? []));
    }

    private static void AssertNoReferencedAssembly(Assembly assembly, string[] forbiddenPrefixes)
    {
        var offending = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => forbiddenPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();
        Assert.True(offending.Count == 0, $"{assembly.GetName().Name} references {string.Join(", ", offending)}");
    }

    private static bool IsBaseClassLibrary(string name) =>
        name is "mscorlib" or "netstandard" || name.StartsWith("System", StringComparison.Ordinal);
}
