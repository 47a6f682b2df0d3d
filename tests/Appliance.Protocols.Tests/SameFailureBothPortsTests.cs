using System.Text.Json;
using Appliance.Protocols.Tests.CameraService;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests;

/// <summary>
/// One failure, one meaning: on the sim board (real drivers against the pty simulators), the same thing going wrong
/// reads as the same shared code on the UOS socket (<c>{"response": CODE}</c>) and on CameraService (<c>"code"</c>):
/// busy 9, device absent 2, timed out 4, cancelled 5 (docs/PROTOCOLS.md, "Shared error codes").
/// </summary>
public sealed class SameFailureBothPortsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Busy_is_9_on_both_ports_whichever_port_holds_the_screen()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await terminal.WaitForDeviceStateAsync("fingerprint", "ready", Ct);
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        // A CameraService signature holds the screen: UOS is refused with 9.
        var start = await terminal.JsonAsync("/sign=start", "{}");
        Assert.Equal("0", start.Code());
        await pc.SendAsync("""{"cmdtype":"getfinger","message":{}}""");
        Assert.Equal("9", (await pc.ReceiveJsonAsync(Long)).GetProperty("response").GetString());
        Assert.Equal("9", (await terminal.JsonAsync("/fp=read", """{"type":"png"}""")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/sign=stop", "{}")).Code());

        // A UOS signature holds the screen: CameraService is refused with 9.
        await pc.SendAsync("""{"cmdtype":"getsign","message":{}}""");
        await UntilBusyAsync(terminal);
        Assert.Equal("9", (await terminal.JsonAsync("/sign=start", "{}")).Code());
        await using var other = await UosClient.ConnectAsync(terminal.UosUri("1"));
        await other.SendAsync("""{"cmdtype":"getsign","message":{}}""");
        Assert.Equal("9", (await other.ReceiveJsonAsync(Long)).GetProperty("response").GetString());
    }

    [Fact]
    public async Task A_device_that_is_not_there_is_2_on_both_ports()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await terminal.WaitForDeviceStateAsync("fingerprint", "ready", Ct);
        await PostAsync(terminal, "/sim/unplug", """{"device":"fingerprint"}""");
        await terminal.WaitForDeviceStateAsync("fingerprint", "absent", Ct);
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("""{"cmdtype":"getfinger","message":{}}""");
        var uos = await pc.ReceiveJsonAsync(Long);
        var camera = await terminal.JsonAsync("/fp=read", """{"type":"png"}""");

        Assert.True(uos.GetProperty("response").GetString() == "2", uos.ToString());
        Assert.True(camera.Code() == "2", camera.ToString());
    }

    [Fact]
    public async Task Nobody_presenting_a_finger_in_time_is_4_on_both_ports()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--session:fingerprintTimeoutSeconds=1");
        await terminal.WaitForDeviceStateAsync("fingerprint", "ready", Ct);
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await pc.SendAsync("""{"cmdtype":"getfinger","message":{}}""");
        var uos = await pc.ReceiveJsonAsync(Long);
        var camera = await terminal.JsonAsync("/fp=read", """{"type":"png"}""");

        Assert.Equal("4", uos.GetProperty("response").GetString());
        Assert.Equal("4", camera.Code());
    }

    [Fact]
    public async Task A_fingerprint_window_closed_before_a_finger_is_5_on_both_ports()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--session:fingerprintTimeoutSeconds=30");
        await terminal.WaitForDeviceStateAsync("fingerprint", "ready", Ct);
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        // UOS asked, closefinger closes it.
        await pc.SendAsync("""{"cmdtype":"getfinger","message":{}}""");
        await UntilBusyAsync(terminal);
        await pc.SendAsync("""{"cmdtype":"closefinger","message":{}}""");
        var uos = await pc.ReceiveJsonAsync(Long);

        // CameraService asked, the same closefinger closes it.
        var read = terminal.JsonAsync("/fp=read", """{"type":"png"}""");
        await UntilBusyAsync(terminal);
        await pc.SendAsync("""{"cmdtype":"closefinger","message":{}}""");
        var camera = await read.WaitAsync(Long, Ct);

        Assert.Equal("5", uos.GetProperty("response").GetString());
        Assert.Equal("5", camera.Code());
    }

    private static async Task PostAsync(RunningTerminal terminal, string path, string json)
    {
        using var response = await terminal.Http.PostAsync(path, new StringContent(json), Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>/health says "busy" once a task is on screen.</summary>
    private static async Task UntilBusyAsync(RunningTerminal terminal)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Long);
        while (true)
        {
            using var health = JsonDocument.Parse(await terminal.Http.GetStringAsync("/health", timeout.Token));
            if (health.RootElement.GetProperty("session").GetProperty("state").GetString() == "busy") return;
            await Task.Delay(20, timeout.Token);
        }
    }
}
