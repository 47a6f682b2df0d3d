using Appliance.SimBoard;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>barcode_scanner= (seed 003 §11) against the sim board's pty scanner simulator and the real serial driver.</summary>
public sealed class BarcodeScannerTests
{
    [Fact]
    public async Task Open_scan_get_once_then_empty_and_close()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        Assert.Equal("1", (await terminal.JsonAsync("/barcode_scanner=open", """{"baud_rate":"12345"}""")).Code());
        Assert.Equal("2", (await terminal.JsonAsync("/barcode_scanner=get")).Code()); // not open yet
        var open = await terminal.UntilAsync("/barcode_scanner=open", """{"baud_rate":"9600"}""", a => a.Code() != "2"); // the pty simulator starts with the host
        Assert.Equal("""{"code":"0","message":""}""", open.GetRawText());

        terminal.Service<ISimPeripherals>().Scan("6901234567892");
        var got = await terminal.UntilAsync("/barcode_scanner=get", "", a => a.Code() != "0" || a.Str("barcode") != "");
        Assert.Equal("""{"code":"0","message":"","barcode":"6901234567892"}""", got.GetRawText());
        Assert.Equal("""{"code":"0","message":"","barcode":""}""", (await terminal.CallAsync("/barcode_scanner=get")).Raw); // cleared once read

        Assert.Equal("0", (await terminal.JsonAsync("/barcode_scanner=close")).Code());
        Assert.Equal("2", (await terminal.JsonAsync("/barcode_scanner=get")).Code());
    }

    [Fact]
    public async Task Open_without_a_baud_rate_sets_the_line_to_115200_and_an_asked_rate_to_that_rate()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var serial = terminal.Service<Host.Composition.SerialPortPlacement>();
        Assert.Equal("""{"code":"0","message":""}""", (await terminal.UntilAsync("/barcode_scanner=open", "", a => a.Code() != "2")).GetRawText());
        // What the driver set on the scanner's line (the pty's termios), as the module's UART would be clocked.
        Assert.Equal(115200, serial.LineBaudRate("barcode"));
        terminal.Service<ISimPeripherals>().Scan("A-115200");
        Assert.Equal("A-115200", (await terminal.UntilAsync("/barcode_scanner=get", "", a => a.Code() != "0" || a.Str("barcode") != "")).Str("barcode"));

        Assert.Equal("0", (await terminal.JsonAsync("/barcode_scanner=open", """{"baud_rate":"9600"}""")).Code());
        Assert.Equal(9600, serial.LineBaudRate("barcode"));
        Assert.Equal("0", (await terminal.JsonAsync("/barcode_scanner=close")).Code());
    }
}
