using System.Net;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Host.Tests;

public sealed class AdminHealthTests
{
    [Fact]
    public async Task Health_answers_with_version_board_uptime_and_every_board_device()
    {
        await using var terminal = await RunningTerminal.StartAsync();

        using var response = await terminal.Http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = json.RootElement;
        Assert.Equal("sim", root.GetProperty("board").GetString());
        Assert.Equal(ApplianceHost.Version, root.GetProperty("version").GetString());
        Assert.True(root.GetProperty("uptimeSeconds").GetDouble() >= 0);
        var devices = root.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToHashSet();
        foreach (var expected in new[] { "screen", "pen", "idCard", "fingerprint", "barcode", "magStripe", "camera0", "camera1", "gpio" })
            Assert.Contains(expected, devices);
        Assert.Equal("idle", root.GetProperty("session").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("session").GetProperty("task").ValueKind);
    }

    [Fact]
    public async Task Health_reports_the_process_memory_with_positive_figures()
    {
        await using var terminal = await RunningTerminal.StartAsync();

        var health = JsonDocument.Parse(await terminal.Http.GetStringAsync("/health", TestContext.Current.CancellationToken)).RootElement;
        var memory = health.GetProperty("memory");
        foreach (var name in new[] { "rssBytes", "peakRssBytes", "gcHeapBytes", "gcCommittedBytes" })
            Assert.True(memory.GetProperty(name).GetInt64() > 0, name);
    }

    [Fact]
    public async Task Info_names_the_terminal_and_its_ports()
    {
        await using var terminal = await RunningTerminal.StartAsync();

        var info = JsonDocument.Parse(await terminal.Http.GetStringAsync("/info", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("Appliance SIM-10", info.GetProperty("model").GetString());
        Assert.StartsWith("SIM", info.GetProperty("serial").GetString());
        Assert.Equal(terminal.UosPort, info.GetProperty("ports").GetProperty("uos").GetInt32());
        Assert.Equal(terminal.CameraPort, info.GetProperty("ports").GetProperty("cameraService").GetInt32());
        Assert.Equal(1280, info.GetProperty("screen").GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task Serial_and_uuid_survive_a_restart()
    {
        using var state = new TempDir();
        string first;
        await using (var terminal = await RunningTerminal.StartAsync(state.Path))
            first = await terminal.Http.GetStringAsync("/info", TestContext.Current.CancellationToken);
        await using (var again = await RunningTerminal.StartAsync(state.Path))
        {
            var second = await again.Http.GetStringAsync("/info", TestContext.Current.CancellationToken);
            var a = JsonDocument.Parse(first).RootElement;
            var b = JsonDocument.Parse(second).RootElement;
            Assert.Equal(a.GetProperty("serial").GetString(), b.GetProperty("serial").GetString());
            Assert.Equal(a.GetProperty("uuid").GetString(), b.GetProperty("uuid").GetString());
        }
    }

    [Fact]
    public async Task Admin_routes_are_not_served_on_the_other_ports()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var client = new HttpClient();

        using var onCamera = await client.GetAsync(terminal.CameraUri("/health"), TestContext.Current.CancellationToken);
        var body = await onCamera.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("uptimeSeconds", body);

        using var unknown = await terminal.Http.GetAsync("/no-such-thing", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var wrongMethod = await terminal.Http.PostAsync("/health", new StringContent(""), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }
}
