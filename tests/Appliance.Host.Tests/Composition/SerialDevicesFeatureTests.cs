using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Appliance.Devices;
using Appliance.Devices.Barcode;
using Appliance.Devices.Fingerprint;
using Appliance.Devices.IdCard;
using Appliance.TestSupport;

namespace Appliance.Host.Tests.Composition;

/// <summary>The sim board: simulators on ptys, the real drivers on their slaves, POST /sim/... driving them, /health showing them.</summary>
public sealed class SerialDevicesFeatureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<JsonElement> DeviceAsync(RunningTerminal t, string name) => t.DeviceHealthAsync(name, Ct);

    private static Task WaitForStateAsync(RunningTerminal t, string name, string state) => t.WaitForDeviceStateAsync(name, state, Ct);

    [Fact]
    public async Task Placed_card_is_read_by_the_real_driver_over_a_pty()
    {
        await using var t = await RunningTerminal.StartAsync();
        await WaitForStateAsync(t, "idCard", "ready");
        using var placed = await t.Http.PostAsync("/sim/card", new StringContent("""{"preset":"hkmotw"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);

        var data = await t.Service<IIdCardReader>().ReadAsync(new IdCardReadOptions(), Ct);
        Assert.Equal("J", data.CardType);
        Assert.True(IdCardCodes.HasValidCheckCharacter(data.IdNumber));
        Assert.Null(data.PhotoBmp);
        Assert.NotEmpty(data.PhotoUnavailableReason);

        using var removed = await t.Http.DeleteAsync("/sim/card", Ct);
        Assert.False(await t.Service<IIdCardReader>().IsCardPresentAsync(Ct));
        using var bad = await t.Http.PostAsync("/sim/card", new StringContent("""{"preset":"nosuch"}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Finger_and_barcode_reach_their_drivers()
    {
        await using var t = await RunningTerminal.StartAsync();
        await WaitForStateAsync(t, "fingerprint", "ready");
        (await t.Http.PostAsync("/sim/finger", new StringContent("""{"person":5,"finger":1}"""), Ct)).Dispose();
        var capture = await t.Service<IFingerprintSensor>().CaptureAsync(new FingerprintCaptureOptions(), Ct);
        Assert.Equal(256 * 288, capture.Image!.Pixels.Length);

        var scanner = t.Service<IBarcodeScanner>();
        await scanner.OpenAsync(9600, Ct);
        (await t.Http.PostAsync("/sim/barcode", new StringContent("""{"code":"6901234567892"}"""), Ct)).Dispose();
        Assert.Equal("6901234567892", await scanner.WaitForCodeAsync(TimeSpan.FromSeconds(20), Ct));
    }

    [Fact]
    public async Task Unplug_shows_absent_on_health_and_replug_brings_the_device_back()
    {
        await using var t = await RunningTerminal.StartAsync();
        await WaitForStateAsync(t, "idCard", "ready");
        (await t.Http.PostAsync("/sim/unplug", new StringContent("""{"device":"idCard"}"""), Ct)).Dispose();
        await WaitForStateAsync(t, "idCard", "absent");
        var e = await Assert.ThrowsAsync<IdCardException>(() => t.Service<IIdCardReader>().ReadSamIdAsync(Ct));
        Assert.Equal(2, e.SharedCode);

        (await t.Http.PostAsync("/sim/plug", new StringContent("""{"device":"idCard"}"""), Ct)).Dispose();
        await WaitForStateAsync(t, "idCard", "ready");
        Assert.StartsWith("05.01-", await t.Service<IIdCardReader>().ReadSamIdAsync(Ct));
    }

    [Fact]
    public async Task A_keyboard_wedge_stripe_reader_is_looked_for_by_its_device_name()
    {
        using var dir = new TempDir();
        var sim = await File.ReadAllTextAsync(Repository.Combine("board", "sim", "board.json"), Ct);
        var wedge = sim.Replace("\"magStripe\":   { \"port\": \"sim\", \"baud\": 9600 }",
            "\"magStripe\":   { \"kind\": \"evdev\", \"device\": \"No Such Swipe Reader\" }", StringComparison.Ordinal);
        Assert.NotEqual(sim, wedge);
        var board = Path.Combine(dir.Path, "board.json");
        await File.WriteAllTextAsync(board, wedge, Ct);

        await using var t = await RunningTerminal.StartAsync(null, "--board", board);
        await WaitForStateAsync(t, "magStripe", "absent");
        var health = await DeviceAsync(t, "magStripe");
        Assert.Equal("evdev", health.GetProperty("kind").GetString());
        Assert.Contains("No Such Swipe Reader", health.GetProperty("detail").GetString());

        using var http = new HttpClient();
        using var response = await http.PostAsync(t.CameraUri("/card=magcard"), new StringContent("""{"timeout":"1"}"""), Ct);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("2", answer.GetProperty("code").GetString());
        Assert.Contains("No Such Swipe Reader", answer.GetProperty("message").GetString());
    }
}
