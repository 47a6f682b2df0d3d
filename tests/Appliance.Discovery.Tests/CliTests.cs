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

        // A wrong pin refuses to talk at all.
        (code, output) = await RunAsync(["dotnet", CliDll, "pair", "--host", "127.0.0.1", "--port", port, "--fingerprint", new string('0', 64), "--code", "000000"], env);
        Assert.NotEqual(0, code);
        Assert.Contains("cannot reach the terminal", output);

        (code, output) = await RunAsync(["dotnet", CliDll, "unpair", "--host", "127.0.0.1"], env);
        Assert.True(code == 0, output);
        Assert.Empty(pairing.Store.List());
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
