using Appliance.Devices.Serial;
using Appliance.Simulators.IdCard;

// vm-idcard-module --port /dev/ttyGS0 --card mainland [--baud 115200]
//
// Runs the simulated SAM module (Appliance.Simulators, the same one the sim board uses) and carries its
// bytes to and from the USB gadget serial port. The module serves a pty; this program relays between
// that pty and the gadget port, so every GA 467 frame crosses the emulated USB link unchanged and the
// firmware's real driver reads it from /dev/ttyACM0 on the host side of the link.
var port = "/dev/ttyGS0";
var preset = "mainland";
var baud = 115200;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = args[i + 1]; break;
        case "--card": preset = args[i + 1]; break;
        case "--baud": baud = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine("usage: vm-idcard-module [--port /dev/ttyGS0] [--card mainland|none|...] [--baud 115200]");
            return 2;
    }
}

var ptyLink = Path.Combine(Path.GetTempPath(), "vm-idcard-module.pty");
await using var module = new SamModuleSimulator(ptyLink);
if (preset != "none") module.PlaceCard(FictionalCard.FromPreset(preset));
module.Plug();

using var modulePort = TtyStream.Open(ptyLink, baud);
using var usbPort = TtyStream.Open(port, baud);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

Console.WriteLine($"vm-idcard-module: SAM module with card '{preset}' on {port} ({baud} baud)");
var toUsb = RelayAsync(modulePort, usbPort, "module -> usb", stop.Token);
var toModule = RelayAsync(usbPort, modulePort, "usb -> module", stop.Token);
await Task.WhenAny(toUsb, toModule);
stop.Cancel();
return 0;

static async Task RelayAsync(Stream from, Stream to, string name, CancellationToken token)
{
    var buffer = new byte[4096];
    long total = 0;
    try
    {
        while (!token.IsCancellationRequested)
        {
            var n = await from.ReadAsync(buffer, token);
            if (n == 0) break;
            await to.WriteAsync(buffer.AsMemory(0, n), token);
            total += n;
            Console.WriteLine($"vm-idcard-module: {name} {n} bytes ({total} in all)");
        }
    }
    catch (OperationCanceledException)
    {
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"vm-idcard-module: {name}: {e.Message}");
    }
}
