using System.Reflection;

namespace Appliance.Host.Tests;

/// <summary>
/// The layering of docs/ARCHITECTURE.md, read from what each compiled assembly actually references (the compiler drops
/// a project reference nothing uses, and keeps one that any type uses): Core is the only door, Protocols know wire
/// shapes only.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string[] Drivers = ["Appliance.Devices", "Appliance.Ui", "Appliance.Imaging", "Appliance.Documents"];

    public static TheoryData<string, string> Forbidden()
    {
        var data = new TheoryData<string, string>();
        foreach (var layer in Drivers) data.Add("Appliance.Core", layer);
        foreach (var layer in Drivers.Append("SkiaSharp").Append("BouncyCastle.Cryptography").Append("Appliance.Simulators").Append("Appliance.Adapters"))
            data.Add("Appliance.Protocols", layer);
        return data;
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void A_layer_does_not_reference_what_lies_behind_the_ports(string assembly, string forbidden)
    {
        var references = Load(assembly).GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain(forbidden, references);
    }

    [Fact]
    public void Core_references_only_the_framework_and_logging()
    {
        var references = Load("Appliance.Core").GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard")
            .Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["Microsoft.Extensions.Logging.Abstractions"], references.Where(n => n != "Microsoft.Extensions.Options").ToList());
    }

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));
}
