using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>barcode_scanner= (seed 003 §11). Until the scanner's host wiring lands, the sim terminal honestly has none.</summary>
public sealed class BarcodeScannerTests
{
    [Fact]
    public async Task Without_a_wired_scanner_every_call_says_device_absent_and_bad_baud_rates_are_refused()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        Assert.Equal("1", (await terminal.JsonAsync("/barcode_scanner=open", """{"baud_rate":"12345"}""")).Code());
        Assert.Equal("2", (await terminal.JsonAsync("/barcode_scanner=open", """{"baud_rate":"9600"}""")).Code());
        Assert.Equal("2", (await terminal.JsonAsync("/barcode_scanner=get")).Code());
        Assert.Equal("2", (await terminal.JsonAsync("/barcode_scanner=close")).Code());
    }
}
