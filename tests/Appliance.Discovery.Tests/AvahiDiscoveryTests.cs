using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Discovery.Tests.Lab;
using Appliance.Host;
using Appliance.TestSupport;

namespace Appliance.Discovery.Tests;

/// <summary>
/// The real terminal in one network namespace, avahi (a third-party mDNS stack) in another, joined by veth:
/// what a PC on the LAN would see.
/// </summary>
[Collection("netns")]
public sealed class AvahiDiscoveryTests
{
    [Fact]
    public async Task Avahi_browse_finds_the_terminal_with_its_TXT()
    {
        NetnsLab.SkipUnlessRoot();
        await using var lab = await NetnsLab.StartAsync();
        var (ns, address) = await lab.AddHostAsync();
        using var state = new TempDir();
        lab.StartTerminal(ns, state.Path, "--discovery:instanceName=Counter 3");

        var entry = await WaitForInstance(lab, "_signterm._tcp", "Counter 3");

        var serial = File.ReadAllText(Path.Combine(state.Path, "serial")).Trim();
        var uuid = File.ReadAllText(Path.Combine(state.Path, "uuid")).Trim();
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(state.Path, "tls", "device.crt")));
        Assert.Equal(address, entry.Address);
        Assert.Equal(12349, entry.Port);
        Assert.Equal($"signterm-{serial.ToLowerInvariant()}.local", entry.Host);
        Assert.Equal("1", entry.Txt["txtvers"]);
        Assert.Equal("Appliance SIM-10", entry.Txt["model"]);
        Assert.Equal(serial, entry.Txt["serial"]);
        Assert.Equal(ApplianceHost.Version, entry.Txt["fw"]);
        Assert.Equal(uuid, entry.Txt["uuid"]);
        Assert.Equal("12349", entry.Txt["uos"]);
        Assert.Equal("38088", entry.Txt["cam"]);
        Assert.Equal("38090", entry.Txt["adm"]);
        Assert.Equal("both", entry.Txt["tls"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(cert.RawData)), entry.Txt["fp"]);
        Assert.Equal("idle", entry.Txt["state"]);

        var admin = await WaitForInstance(lab, "_http._tcp", "Counter 3");
        Assert.Equal(38090, admin.Port);
    }

    [Fact]
    public async Task Avahi_over_IPv6_only_finds_the_terminal_at_an_IPv6_address()
    {
        NetnsLab.SkipUnlessRoot();
        // avahi with use-ipv4=no: it has no IPv4 socket, so all it learns came over ff02::fb.
        await using var lab = await NetnsLab.StartAsync(avahiOverIPv6: true);
        var (ns, address) = await lab.AddHostAsync();
        using var state = new TempDir();
        lab.StartTerminal(ns, state.Path, "--discovery:instanceName=Counter 6");

        var entry = await WaitForInstance(lab, "_signterm._tcp", "Counter 6");

        var serial = File.ReadAllText(Path.Combine(state.Path, "serial")).Trim();
        Assert.Equal("IPv6", entry.Protocol);
        Assert.Equal($"signterm-{serial.ToLowerInvariant()}.local", entry.Host);
        Assert.Equal(12349, entry.Port);
        Assert.Equal(serial, entry.Txt["serial"]);
        var own = await NetnsLab.IPv6AddressesAsync(ns, "eth0");
        // "IPv6" is the transport avahi heard it on; the address it picks may be the A record heard there.
        Assert.Contains(System.Net.IPAddress.Parse(entry.Address.Split('%')[0]), own.Append(System.Net.IPAddress.Parse(address)));

        // And the host name resolves over IPv6 to one of the terminal's addresses (an AAAA record).
        var (code, output) = await NetnsLab.Capture("avahi-resolve", ["-6", "-n", entry.Host], new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = lab.BusAddress });
        Assert.True(code == 0, output);
        var resolved = output.Trim().Split('\t');
        Assert.Equal(entry.Host, resolved[0]);
        Assert.Contains(System.Net.IPAddress.Parse(resolved[1].Split('%')[0]), own);
    }

    [Fact]
    public async Task Two_terminals_with_one_name_end_up_with_two_names()
    {
        NetnsLab.SkipUnlessRoot();
        await using var lab = await NetnsLab.StartAsync();
        var first = await lab.AddHostAsync();
        var second = await lab.AddHostAsync();
        using var state1 = new TempDir();
        using var state2 = new TempDir();

        lab.StartTerminal(first.Namespace, state1.Path, "--discovery:instanceName=Front desk");
        await WaitForInstance(lab, "_signterm._tcp", "Front desk");
        lab.StartTerminal(second.Namespace, state2.Path, "--discovery:instanceName=Front desk");
        var renamed = await WaitForInstance(lab, "_signterm._tcp", "Front desk (2)");

        Assert.Equal(second.Address, renamed.Address);
        var all = (await lab.Browse("_signterm._tcp")).Entries.Where(e => e.Event == "=").ToList();
        Assert.Equal(first.Address, all.Single(e => e.Name == "Front desk").Address);
    }

    [Fact]
    public async Task Shutdown_sends_goodbyes_and_avahi_drops_the_terminal()
    {
        NetnsLab.SkipUnlessRoot();
        await using var lab = await NetnsLab.StartAsync();
        var (ns, _) = await lab.AddHostAsync();
        using var state = new TempDir();
        var lines = new List<string>();
        lab.BrowseContinuously("_signterm._tcp", l => { lock (lines) lines.Add(l); });
        var terminal = lab.StartTerminal(ns, state.Path, "--discovery:instanceName=Leaving soon");
        await NetnsLab.WaitFor(() => { lock (lines) return lines.Any(l => l.StartsWith("=;", StringComparison.Ordinal) && l.Contains("Leaving", StringComparison.Ordinal)); },
            "avahi to resolve the terminal");

        // SIGTERM as systemd stops the service. Without goodbyes avahi would keep the PTR for its 75-minute TTL.
        LabSignal.Terminate(terminal.Id);
        await terminal.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await NetnsLab.WaitFor(() => { lock (lines) return lines.Any(l => l.StartsWith("-;", StringComparison.Ordinal) && l.Contains("Leaving", StringComparison.Ordinal)); },
            "avahi to report the terminal gone (goodbye packets)", seconds: 20);
    }

    private static async Task<AvahiEntry> WaitForInstance(NetnsLab lab, string type, string name)
    {
        AvahiEntry? found = null;
        string last = "";
        try
        {
            await NetnsLab.WaitFor(async () =>
            {
                var (_, entries, output) = await lab.Browse(type);
                last = output;
                found = entries.FirstOrDefault(e => e.Event == "=" && e.Name == name);
                return found is not null;
            }, $"avahi to resolve \"{name}\" ({type})", seconds: 90);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nlast avahi-browse:\n{last}\nlab output:\n{lab.OutputText}", e);
        }
        return found!;
    }
}

internal static partial class LabSignal
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    public static void Terminate(int pid) => Kill(pid, 15);
}

[CollectionDefinition("netns", DisableParallelization = true)]
public sealed class NetnsCollection;
