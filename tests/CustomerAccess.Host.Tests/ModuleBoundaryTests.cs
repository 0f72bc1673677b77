using System.Reflection;
using CustomerAccess.Host;

namespace CustomerAccess.Host.Tests;

/// <summary>A module references platform and contracts, never another module (no NetArchTest here: reflection).</summary>
public class ModuleBoundaryTests
{
    private static readonly Assembly[] ModuleAssemblies = HostComposition.Modules.Select(m => m.GetType().Assembly).ToArray();

    [Test]
    public void There_are_six_modules() =>
        Assert.That(HostComposition.Modules.Select(m => m.Name),
            Is.EquivalentTo(new[] { "tenancy", "customer", "case", "payments", "waste", "bookings" }));

    [TestCaseSource(nameof(ModuleAssemblies))]
    public void A_module_never_references_another_module(Assembly module)
    {
        var moduleNames = ModuleAssemblies.Select(a => a.GetName().Name).ToHashSet();
        var referenced = module.GetReferencedAssemblies().Select(r => r.Name).Where(moduleNames.Contains).ToList();
        Assert.That(referenced, Is.Empty, $"{module.GetName().Name} references another module");
    }

    [TestCaseSource(nameof(ModuleAssemblies))]
    public void A_module_project_file_has_no_reference_to_another_module(Assembly module)
    {
        // Assembly references vanish when no type is used, so check the project files as well.
        var name = module.GetName().Name!;
        var root = FindRepositoryRoot();
        var csproj = Directory.GetFiles(Path.Combine(root, "modules"), name + ".csproj", SearchOption.AllDirectories).Single();
        var text = File.ReadAllText(csproj);
        Assert.That(text, Does.Not.Contain("modules/").And.Not.Contain("modules\\"));
        var references = text.Split("<ProjectReference Include=").Skip(1).Select(r => r.Split('"')[1]).ToList();
        var strays = references.Where(r => !r.Contains("/platform/", StringComparison.Ordinal) && !r.Contains("/contracts/", StringComparison.Ordinal));
        Assert.That(strays, Is.Empty, $"{name} may reference only platform and contracts");
    }

    [Test]
    public void Contracts_and_platform_reference_no_module()
    {
        var moduleNames = ModuleAssemblies.Select(a => a.GetName().Name).ToHashSet();
        foreach (var assembly in new[] { typeof(Platform.Modules.IModule).Assembly, typeof(Contracts.ContractsAssembly).Assembly })
            Assert.That(assembly.GetReferencedAssemblies().Select(r => r.Name).Where(moduleNames.Contains), Is.Empty);
    }

    internal static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CustomerAccess.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CustomerAccess.sln not found above the test binaries.");
    }
}
