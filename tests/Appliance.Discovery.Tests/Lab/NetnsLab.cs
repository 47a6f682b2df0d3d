using System.Diagnostics;
using System.Text;
using Appliance.TestSupport;

namespace Appliance.Discovery.Tests.Lab;

/// <summary>
/// A private link made of network namespaces: namespace "pc" holds a bridge (10.77.0.1/24, fd77::1/64) and
/// avahi on its own D-Bus; each terminal gets its own namespace joined to the bridge by a veth pair
/// (10.77.0.N, fd77::N, and its link-local fe80:: address). Duplicate address detection is off, so IPv6
/// addresses are usable at once. Nothing leaves these namespaces. Needs root (CI runs as root); <see cref="SkipUnlessRoot"/> says why otherwise.
/// </summary>
public sealed class NetnsLab : IAsyncDisposable
{
    private static int _counter;
    private readonly string _id;
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _processes = [];
    private int _nextHost = 2;

    public TempDir Dir { get; } = new("appliance-lab-");
    public string PcNamespace { get; }
    public string BusAddress { get; }

    private readonly bool _avahiOverIPv6;

    private NetnsLab(bool avahiOverIPv6)
    {
        _avahiOverIPv6 = avahiOverIPv6;
        _id = $"{Environment.ProcessId % 10000}{Interlocked.Increment(ref _counter)}";
        PcNamespace = $"apl{_id}pc";
        BusAddress = $"unix:path={Dir.Combine("bus")}";
    }

    public static void SkipUnlessRoot()
    {
        if (LabNative.GetEuid() != 0)
            Assert.Skip("needs root to create network namespaces and veth pairs (CI runs the tests as root)");
    }

    /// <param name="avahiOverIPv6">avahi with <c>use-ipv4=no, use-ipv6=yes</c>: everything it learns came over ff02::fb.</param>
    public static async Task<NetnsLab> StartAsync(bool avahiOverIPv6 = false)
    {
        var lab = new NetnsLab(avahiOverIPv6);
        try
        {
            await lab.CreatePcNamespaceAsync();
            await lab.StartAvahiAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task CreatePcNamespaceAsync()
    {
        await Run("ip", "netns", "add", PcNamespace);
        _namespaces.Add(PcNamespace);
        // Devices made from here on (the bridge, every veth pair) skip DAD: no tentative IPv6 addresses.
        await NoDuplicateAddressDetection(PcNamespace);
        await Ip(PcNamespace, "link set lo up");
        await Ip(PcNamespace, "link add br0 type bridge mcast_snooping 0");
        await Ip(PcNamespace, "addr add 10.77.0.1/24 dev br0");
        await Ip(PcNamespace, "addr add fd77::1/64 dev br0 nodad");
        await Ip(PcNamespace, "link set br0 up");
    }

    /// <summary>A new namespace on the bridge; returns its name and address.</summary>
    public async Task<(string Namespace, string Address)> AddHostAsync()
    {
        var n = _nextHost++;
        var ns = $"apl{_id}t{n}";
        await Run("ip", "netns", "add", ns);
        _namespaces.Add(ns);
        await NoDuplicateAddressDetection(ns);
        await Ip(ns, "link set lo up");
        await Ip(PcNamespace, $"link add v{n} type veth peer name eth0 netns {ns}");
        await Ip(PcNamespace, $"link set v{n} master br0");
        await Ip(PcNamespace, $"link set v{n} up");
        var address = $"10.77.0.{n}";
        await Ip(ns, $"addr add {address}/24 dev eth0");
        await Ip(ns, $"addr add {IPv6Of(address)}/64 dev eth0 nodad");
        await Ip(ns, "link set eth0 up");
        return (ns, address);
    }

    /// <summary>The ULA a host got beside its IPv4 address: 10.77.0.N → fd77::N.</summary>
    public static string IPv6Of(string address) => "fd77::" + address.Split('.')[^1];

    /// <summary>Every IPv6 address on <paramref name="device"/> in <paramref name="ns"/> (global and link-local).</summary>
    public static async Task<List<System.Net.IPAddress>> IPv6AddressesAsync(string ns, string device)
    {
        var (_, output) = await Capture("ip", ["-n", ns, "-6", "-o", "addr", "show", "dev", device]);
        return System.Text.RegularExpressions.Regex.Matches(output, @"inet6 ([0-9a-f:]+)/").Select(m => System.Net.IPAddress.Parse(m.Groups[1].Value)).ToList();
    }

    /// <summary>The kernel's index of <paramref name="device"/> in <paramref name="ns"/> (the IPv6 scope id).</summary>
    public static async Task<int> InterfaceIndexAsync(string ns, string device)
    {
        var (_, output) = await Capture("ip", ["-n", ns, "-o", "link", "show", "dev", device]);
        return int.Parse(output[..output.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task NoDuplicateAddressDetection(string ns) =>
        Run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");

    private async Task StartAvahiAsync()
    {
        File.WriteAllText(Dir.Combine("dbus.conf"), $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>{BusAddress}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/>
                <allow own="*"/>
                <allow send_destination="*" eavesdrop="true"/>
                <allow receive_sender="*"/>
              </policy>
            </busconfig>
            """);
        File.WriteAllText(Dir.Combine("avahi-daemon.conf"), $"""
            [server]
            host-name=pc-lab
            domain-name=local
            use-ipv4={(_avahiOverIPv6 ? "no" : "yes")}
            use-ipv6={(_avahiOverIPv6 ? "yes" : "no")}
            allow-interfaces=br0
            enable-dbus=yes
            ratelimit-interval-usec=1000000
            ratelimit-burst=1000
            [wide-area]
            enable-wide-area=no
            [publish]
            publish-addresses=yes
            publish-hinfo=no
            publish-workstation=no
            publish-domain=no
            [reflector]
            enable-reflector=no
            """);
        Spawn("ip", ["netns", "exec", PcNamespace, "dbus-daemon", "--config-file=" + Dir.Combine("dbus.conf"), "--nofork", "--nopidfile"]);
        await WaitFor(() => File.Exists(Dir.Combine("bus")), "the private D-Bus socket");
        // avahi keeps its pid file in /run/avahi-daemon: a private tmpfs there (in ip-netns-exec's own mount
        // namespace) lets labs run side by side and leaves the machine's avahi alone.
        Spawn("ip", ["netns", "exec", PcNamespace, "sh", "-c",
            "mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && exec avahi-daemon -f \"$0\" --no-drop-root --no-chroot --no-rlimits",
            Dir.Combine("avahi-daemon.conf")], new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress });
        await WaitFor(async () => (await Browse("_signterm._tcp")).Ok, "avahi-daemon on the private bus");
    }

    /// <summary>avahi-browse -rpt: one dump of what avahi has resolved for <paramref name="type"/>.</summary>
    public async Task<(bool Ok, List<AvahiEntry> Entries, string Output)> Browse(string type)
    {
        var (code, output) = await Capture("avahi-browse", ["-r", "-p", "-t", "-k", type], new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress });
        return (code == 0, output.Split('\n').Select(AvahiEntry.Parse).OfType<AvahiEntry>().ToList(), output);
    }

    /// <summary>A long-running avahi-browse whose output lines the test watches (for removals).</summary>
    public Process BrowseContinuously(string type, Action<string> onLine)
    {
        var p = Spawn("avahi-browse", ["-r", "-p", "-k", type], new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress }, onLine);
        return p;
    }

    /// <summary>The real appliance binary in <paramref name="ns"/>, bound to every address there.</summary>
    public Process StartTerminal(string ns, string stateDir, params string[] extra)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "appliance.dll");
        return Spawn("ip", ["netns", "exec", ns, "dotnet", "exec", dll, "--board", "sim", "--state-dir", stateDir, "--config", "none", "--bind", "*", .. extra]);
    }

    public Process Spawn(string file, IEnumerable<string> args, Dictionary<string, string>? env = null, Action<string>? onLine = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("NOTIFY_SOCKET");
        if (env is not null) foreach (var (k, v) in env) info.Environment[k] = v;
        var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var log = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is null) return; lock (Output) Output.AppendLine($"[{file}] {e.Data}"); onLine?.Invoke(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is null) return; lock (Output) Output.AppendLine($"[{file}!] {e.Data}"); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _processes.Add(p);
        return p;
    }

    /// <summary>Everything the lab's processes printed, for failure messages.</summary>
    public StringBuilder Output { get; } = new();

    public string OutputText { get { lock (Output) return Output.ToString(); } }

    private Task Ip(string ns, string command) => Run("ip", ["-n", ns, .. command.Split(' ')]);

    /// <summary>An <c>ip</c> command inside <paramref name="ns"/>, e.g. <c>addr add 10.77.0.250/24 dev eth0</c>.</summary>
    public Task IpAsync(string ns, string command) => Ip(ns, command);

    /// <summary>GET <paramref name="url"/> from inside <paramref name="ns"/> (curl); the body, or null when it did not answer 2xx.</summary>
    public async Task<byte[]?> FetchAsync(string ns, string url)
    {
        var file = Dir.Combine($"fetch-{Guid.NewGuid():N}");
        var (code, _) = await Capture("ip", ["netns", "exec", ns, "curl", "-s", "-f", "-o", file, url]);
        if (code != 0 || !File.Exists(file)) return null;
        var body = await File.ReadAllBytesAsync(file);
        File.Delete(file);
        return body;
    }

    private static async Task Run(string file, params string[] args)
    {
        var (code, output) = await Capture(file, args);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({code}): {output}");
    }

    internal static async Task<(int Code, string Output)> Capture(string file, string[] args, Dictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    public static async Task WaitFor(Func<bool> condition, string what, int seconds = 60) =>
        await WaitFor(() => Task.FromResult(condition()), what, seconds);

    public static async Task WaitFor(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {seconds} s for {what}");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in Enumerable.Reverse(_processes))
        {
            try
            {
                if (!p.HasExited) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
            }
            catch (InvalidOperationException) { }
            p.Dispose();
        }
        foreach (var ns in Enumerable.Reverse(_namespaces))
            try { await Run("ip", "netns", "del", ns); } catch (InvalidOperationException) { }
        Dir.Dispose();
    }
}

/// <summary>One resolved line of <c>avahi-browse -p -r</c>: <c>=;iface;IPv4;name;type;domain;host;address;port;"k=v" …</c>.</summary>
public sealed record AvahiEntry(string Event, string Name, string Type, string Host, string Address, int Port, Dictionary<string, string> Txt, string Protocol = "")
{
    public static AvahiEntry? Parse(string line)
    {
        var f = line.Split(';');
        if (f.Length < 6 || f[0] is not ("=" or "+" or "-")) return null;
        var name = Unescape(f[3]);
        if (f[0] != "=" || f.Length < 10) return new AvahiEntry(f[0], name, f[4], "", "", 0, [], f[2]);
        var txt = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(string.Join(';', f[9..]), "\"([^\"]*)\""))
        {
            var kv = m.Groups[1].Value;
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) txt.TryAdd(kv[..eq], kv[(eq + 1)..]);
        }
        return new AvahiEntry("=", name, f[4], f[6], f[7], int.Parse(f[8], System.Globalization.CultureInfo.InvariantCulture), txt, f[2]);
    }

    /// <summary>avahi-browse writes unusual characters as \DDD (decimal).</summary>
    private static string Unescape(string s) =>
        System.Text.RegularExpressions.Regex.Replace(s, @"\\(\d{3})", m => ((char)int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToString());
}

internal static partial class LabNative
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    internal const int CloneNewNet = 0x40000000;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(int fd, int nstype);
}
