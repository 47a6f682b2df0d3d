using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Core.Pairing;
using Appliance.Discovery.Tests.Lab;
using Appliance.TestSupport;

namespace Appliance.Discovery.Tests;

/// <summary>The PC command line, run as a process the way an operator runs it.</summary>
[Collection("netns")]
public sealed class CliTests
{
    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "appliance-cli.dll");

    [Fact]
    public async Task Discover_finds_the_terminal_from_another_namespace()
    {
        NetnsLab.SkipUnlessRoot();
        await using var lab = await NetnsLab.StartAsync();
        var (ns, address) = await lab.AddHostAsync();
        using var state = new TempDir();
        lab.StartTerminal(ns, state.Path, "--discovery:instanceName=Window 7");
        await NetnsLab.WaitFor(async () => (await lab.Browse("_signterm._tcp")).Entries.Any(e => e.Event == "=" && e.Name == "Window 7"), "the terminal to be announced", 90);

        var output = "";
        await NetnsLab.WaitFor(async () =>
        {
            var (_, o) = await RunAsync(["ip", "netns", "exec", lab.PcNamespace, "dotnet", CliDll, "discover", "--timeout", "3"], null);
            output = o;
            return o.Contains("Window 7", StringComparison.Ordinal);
        }, "appliance-cli discover to list the terminal", 60);

        var line = output.Split('\n').Single(l => l.StartsWith("Window 7", StringComparison.Ordinal));
        Assert.Contains(address, line);
        Assert.Contains("uos=12349 cam=38088 adm=38090", line);
        Assert.Contains("state=idle", line);
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(state.Path, "tls", "device.crt")));
        Assert.Contains("fp=" + Convert.ToHexStringLower(SHA256.HashData(cert.RawData)), line);
    }

    [Fact]
    public async Task Pair_list_health_and_unpair_with_a_pinned_certificate()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0");
        using var config = new TempDir();
        var env = new Dictionary<string, string> { ["APPLIANCE_CLI_CONFIG"] = config.Combine("terminals.json") };
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(terminal.StateDir, "tls", "device.crt")));
        var fp = Convert.ToHexStringLower(SHA256.HashData(cert.RawData));
        var port = terminal.AdminPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The person reads the code off the terminal's screen and types it into the prompt.
        var pairing = terminal.Service<PairingService>();
        var typed = new TaskCompletionSource<string>();
        pairing.CodeShown += shown => typed.TrySetResult(shown.Code);
        var (code, output) = await RunAsync(["dotnet", CliDll, "pair", "--host", "127.0.0.1", "--port", port, "--name", "Desk PC", "--fingerprint", fp], env, typed.Task);
        Assert.True(code == 0, output);
        Assert.Contains("paired: key id pc_", output);
        Assert.Equal("Desk PC", Assert.Single(pairing.Store.List()).Name);

        (code, output) = await RunAsync(["dotnet", CliDll, "list", "--host", "127.0.0.1"], env);
        Assert.True(code == 0, output);
        Assert.Contains("Desk PC", output);
        (code, output) = await RunAsync(["dotnet", CliDll, "health", "--host", "127.0.0.1"], env);
        Assert.True(code == 0, output);
        Assert.Contains("\"board\":\"sim\"", output);
        (code, output) = await RunAsync(["dotnet", CliDll, "orders", "--host", "127.0.0.1"], env);
        Assert.True(code == 0, output);
        Assert.Contains("\"total\": 0", output);
        (code, output) = await RunAsync(["dotnet", CliDll, "order-start", "--host", "127.0.0.1", "--id", "SO_none"], env);
        Assert.Equal(1, code);
        Assert.Contains("89003002", output); // no such order for this PC

        // A wrong pin refuses to talk at all.
        (code, output) = await RunAsync(["dotnet", CliDll, "pair", "--host", "127.0.0.1", "--port", port, "--fingerprint", new string('0', 64), "--code", "000000"], env);
        Assert.NotEqual(0, code);
        Assert.Contains("cannot reach the terminal", output);

        (code, output) = await RunAsync(["dotnet", CliDll, "unpair", "--host", "127.0.0.1"], env);
        Assert.True(code == 0, output);
        Assert.Empty(pairing.Store.List());
    }

    [Fact]
    public async Task Pair_without_a_known_fingerprint_is_refused_unless_insecure_http_is_asked_for()
    {
        NetnsLab.SkipUnlessRoot();
        await using var lab = await NetnsLab.StartAsync();
        var (ns, address) = await lab.AddHostAsync();
        using var state = new TempDir();
        using var config = new TempDir();
        var env = new Dictionary<string, string> { ["APPLIANCE_CLI_CONFIG"] = config.Combine("terminals.json") };
        // Not announced, so the CLI's own discovery (inside the lab) learns no fp for it.
        lab.StartTerminal(ns, state.Path, "--discovery:enabled=false", "--pairing:minAttemptIntervalMs=0");
        await NetnsLab.WaitFor(async () => await lab.FetchAsync(lab.PcNamespace, $"http://{address}:38090/health") is not null, "the terminal's admin port", 90);
        var audit = Path.Combine(state.Path, "audit.log");

        var (code, output) = await RunAsync(["ip", "netns", "exec", lab.PcNamespace, "dotnet", CliDll, "pair", "--host", address, "--name", "Desk PC", "--code", "000000"], env);
        Assert.Equal(4, code);
        Assert.Contains($"no certificate fingerprint known for {address}: discovery did not find it", output);
        Assert.Contains("appliance-cli discover", output);
        Assert.Contains("--fingerprint", output);
        Assert.DoesNotContain("pair-request", File.Exists(audit) ? File.ReadAllText(audit) : "");
        Assert.False(File.Exists(config.Combine("terminals.json")));

        // Asked for explicitly, plain http goes ahead, with a warning (the made-up code is then refused).
        (code, output) = await RunAsync(["ip", "netns", "exec", lab.PcNamespace, "dotnet", CliDll, "pair", "--host", address, "--name", "Desk PC", "--code", "000000", "--insecure-http"], env);
        Assert.Equal(1, code);
        Assert.Contains("WARNING: --insecure-http", output);
        Assert.Contains("cleartext", output);
        Assert.Contains("pair-request", File.ReadAllText(audit));
        Assert.Contains("pair-confirm", File.ReadAllText(audit));
    }

    [Fact]
    public async Task Pair_with_a_wrong_fingerprint_stops_at_the_handshake_before_anything_is_sent()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0");
        using var config = new TempDir();
        var env = new Dictionary<string, string> { ["APPLIANCE_CLI_CONFIG"] = config.Combine("terminals.json") };
        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(terminal.StateDir, "tls", "device.crt")));
        var fp = Convert.ToHexStringLower(SHA256.HashData(cert.RawData));
        var wrong = new string('a', 64);
        var pairing = terminal.Service<PairingService>();
        var shown = 0;
        pairing.CodeShown += _ => Interlocked.Increment(ref shown);

        var (code, output) = await RunAsync(["dotnet", CliDll, "pair", "--host", "127.0.0.1", "--port", terminal.AdminPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--name", "Desk PC", "--code", "000000", "--fingerprint", wrong], env);

        Assert.Equal(5, code);
        Assert.Contains($"certificate mismatch at 127.0.0.1:{terminal.AdminPort}: expected fingerprint {wrong}, the terminal presented {fp}; nothing was sent", output);
        Assert.Equal(0, shown);
        Assert.Null(pairing.CurrentCode);
        Assert.Empty(pairing.Store.List());
        var audit = Path.Combine(terminal.StateDir, "audit.log");
        Assert.DoesNotContain("pair-", File.Exists(audit) ? File.ReadAllText(audit) : "");
        Assert.False(File.Exists(config.Combine("terminals.json")));
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] command, Dictionary<string, string>? env, Task<string>? stdinLine = null)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in command[1..]) info.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) info.Environment[k] = v;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdinLine is not null)
        {
            var line = await stdinLine.WaitAsync(TimeSpan.FromSeconds(60));
            await p.StandardInput.WriteLineAsync(line);
        }
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }
}
