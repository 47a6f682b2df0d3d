using System.Net.Sockets;
using System.Text;
using Appliance.Host.Systemd;
using Appliance.TestSupport;

namespace Appliance.Host.Tests;

/// <summary>The real binary under a fake systemd: a datagram socket in NOTIFY_SOCKET, SIGTERM to stop.</summary>
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task Ready_watchdog_pings_and_stopping_reach_the_notify_socket()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var socketPath = dir.Combine("notify.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        var ports = FreePorts.Take(3);

        await using var process = ApplianceProcess.Start(
            ["--board", "sim", "--state-dir", dir.Combine("state"), "--config", "none", "--bind", "127.0.0.1",
             "--uos-port", $"{ports[0]}", "--camera-port", $"{ports[1]}", "--admin-port", $"{ports[2]}"],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "400000" });

        var seen = new List<string>();
        async Task<string> Next()
        {
            var buffer = new byte[4096];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            // Generous: a cold `dotnet exec` on a loaded 2-core machine can take tens of seconds.
            timeout.CancelAfter(TimeSpan.FromSeconds(120));
            var n = await systemd.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            var message = Encoding.UTF8.GetString(buffer, 0, n);
            seen.Add(message);
            return message;
        }

        while (!(await Next()).Contains("READY=1", StringComparison.Ordinal)) { }
        using (var http = new HttpClient())
            Assert.Contains("\"board\":\"sim\"", await http.GetStringAsync($"http://127.0.0.1:{ports[2]}/health", cancel));

        var pings = 0;
        while (pings < 3)
            if ((await Next()) == "WATCHDOG=1") pings++;

        process.Terminate();
        while (!(await Next()).Contains("STOPPING=1", StringComparison.Ordinal)) { }
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.Contains(seen, m => m.Contains($"MAINPID={process.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_board_profile_stops_start_up_naming_file_key_and_expectation()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("boards", "bent"));
        var profile = dir.Combine("boards", "bent", "board.json");
        File.WriteAllText(profile, """
            { "name": "bent", "model": "X", "screen": { "device": "/dev/fb0", "width": 800, "height": 1280, "rotation": 45 },
              "pen": { "device": "pen" }, "fonts": { "cjk": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" } }
            """);

        await using var process = ApplianceProcess.Start(
            ["--board", "bent", "--board-path", dir.Combine("boards"), "--state-dir", dir.Combine("state"), "--config", "none"]);

        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"board profile {profile}: screen.rotation: expected one of 0, 90, 180, 270, found 45", process.Output);
    }

    [Theory]
    [InlineData("1000000", null, 1000.0)]
    [InlineData("1000000", "SELF", 1000.0)]
    [InlineData("1000000", "1", null)]
    [InlineData("0", null, null)]
    [InlineData(null, null, null)]
    public void Watchdog_interval_follows_WATCHDOG_USEC_and_WATCHDOG_PID(string? usec, string? pid, double? expectedMs)
    {
        var own = Environment.ProcessId;
        var interval = SystemdNotifier.WatchdogInterval(usec, pid == "SELF" ? $"{own}" : pid, own);
        Assert.Equal(expectedMs, interval?.TotalMilliseconds);
    }
}
