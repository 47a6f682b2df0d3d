using Appliance.Devices.Barcode;
using Appliance.Simulators.Barcode;
using Appliance.TestSupport;

namespace Appliance.Devices.Tests.Barcode;

/// <summary>The real serial scanner driver against the pty scanner simulator.</summary>
public sealed class SerialBarcodeScannerTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();
    private BarcodeScannerSimulator _sim = null!;
    private SerialBarcodeScanner _scanner = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = new BarcodeScannerSimulator(_dir.Combine("barcode"));
        _sim.Plug();
        _scanner = SerialBarcodeScanner.ForPort(_sim.PortPath, new SerialBarcodeScannerSettings { InterCharacterTimeout = TimeSpan.FromMilliseconds(300) });
        await _scanner.OpenAsync(9600, Timeout());
    }

    public async ValueTask DisposeAsync()
    {
        await _scanner.DisposeAsync();
        await _sim.DisposeAsync();
        _dir.Dispose();
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Generous).Token;

    [Fact]
    public async Task Last_code_is_returned_once_then_cleared()
    {
        _sim.Scan("6901234567892");
        Assert.Equal("6901234567892", await _scanner.WaitForCodeAsync(Generous, Timeout()));
        _sim.Scan("第二个码 second");
        Assert.Equal("第二个码 second", await _scanner.WaitForCodeAsync(Generous, Timeout()));
        _sim.Scan("https://example.invalid/q?a=1");
        await WaitUntil(() => _scanner.TakeLastCode() is "https://example.invalid/q?a=1");
        Assert.Null(_scanner.TakeLastCode());
    }

    [Theory]
    [InlineData(1200)]
    [InlineData(2400)]
    [InlineData(4800)]
    [InlineData(19200)]
    [InlineData(38400)]
    [InlineData(57600)]
    [InlineData(115200)]
    public async Task Opens_at_every_rate_of_seed_11_1(int baud)
    {
        await _scanner.OpenAsync(baud, Timeout());
        _sim.Scan($"AT{baud}");
        Assert.Equal($"AT{baud}", await _scanner.WaitForCodeAsync(Generous, Timeout()));
    }

    [Fact]
    public async Task An_unsupported_rate_is_a_bad_request()
    {
        var e = await Assert.ThrowsAsync<BarcodeScannerException>(() => _scanner.OpenAsync(12345, Timeout()));
        Assert.Equal(1, e.SharedCode);
    }

    [Fact]
    public async Task Lf_only_and_cr_only_terminators_frame_too()
    {
        _sim.SendRaw("LFCODE\n"u8.ToArray());
        Assert.Equal("LFCODE", await _scanner.WaitForCodeAsync(Generous, Timeout()));
        _sim.SendRaw("CRCODE\r"u8.ToArray());
        Assert.Equal("CRCODE", await _scanner.WaitForCodeAsync(Generous, Timeout()));
    }

    [Fact]
    public async Task Corrupt_frame_is_dropped_not_reported()
    {
        _sim.SendRaw([0x41, 0xC3, 0x28, 0x42, 0x0D]); // invalid UTF-8: line noise or a baud mismatch
        _sim.Scan("CLEAN");
        Assert.Equal("CLEAN", await _scanner.WaitForCodeAsync(Generous, Timeout()));
        Assert.Equal(1, _scanner.DroppedFrames);
    }

    [Fact]
    public async Task Truncated_frame_is_dropped_after_the_quiet_gap()
    {
        _sim.SendRaw("HALF-A-CO"u8.ToArray());
        await WaitUntil(() => _scanner.DroppedFrames == 1);
        _sim.Scan("WHOLE");
        Assert.Equal("WHOLE", await _scanner.WaitForCodeAsync(Generous, Timeout()));
    }

    [Fact]
    public async Task Waiting_with_nothing_scanned_times_out()
    {
        var e = await Assert.ThrowsAsync<BarcodeScannerException>(() => _scanner.WaitForCodeAsync(TimeSpan.FromMilliseconds(200), Timeout()));
        Assert.Equal(4, e.SharedCode);
    }

    [Fact]
    public async Task Get_before_open_is_an_error()
    {
        await _scanner.CloseAsync();
        Assert.False(_scanner.IsOpen);
        Assert.Equal(2, Assert.Throws<BarcodeScannerException>(() => _scanner.TakeLastCode()).SharedCode);
    }

    [Fact]
    public async Task Unplug_mid_code_fails_the_wait_then_the_scanner_comes_back()
    {
        var waiting = _scanner.WaitForCodeAsync(Generous, Timeout());
        _sim.ScanThenUnplug("PARTIAL-CODE-");
        var e = await Assert.ThrowsAsync<BarcodeScannerException>(() => waiting);
        Assert.Equal(Devices.DeviceErrorKind.Disconnected, e.Kind);
        await WaitUntil(() => _scanner.Link!.State != Devices.Serial.SerialLinkState.Ready);
        Assert.Equal(2, Assert.Throws<BarcodeScannerException>(() => _scanner.TakeLastCode()).SharedCode);

        _sim.Plug();
        await _scanner.Link!.WaitReadyAsync(Timeout());
        _sim.Scan("AFTER-REPLUG");
        Assert.Equal("AFTER-REPLUG", await _scanner.WaitForCodeAsync(Generous, Timeout()));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
