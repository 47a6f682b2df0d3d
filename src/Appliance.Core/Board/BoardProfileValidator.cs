namespace Appliance.Core.Board;

/// <summary>Checks a parsed profile's values; the first problem found stops start-up with file, key and expectation.</summary>
public static class BoardProfileValidator
{
    private static readonly int[] Rotations = [0, 90, 180, 270];
    private static readonly string[] PixelFormats = ["xrgb8888", "rgb565"];
    private static readonly string[] CameraRoles = ["document", "face", "face-ir"];
    private static readonly int[] BaudRates = [1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

    public static void Validate(BoardProfile p, Func<string, bool> fileExists)
    {
        var file = p.Source;
        void Fail(string key, string expected) => throw new BoardProfileException(file, key, expected);

        if (string.IsNullOrWhiteSpace(p.Name)) Fail("name", "expected a non-empty board name");
        if (string.IsNullOrWhiteSpace(p.Model)) Fail("model", "expected a non-empty model name");

        var s = p.Screen;
        if (!IsSimOrDevicePath(s.Device, "/dev/fb")) Fail("screen.device", $"expected \"sim\" or an fbdev node such as /dev/fb0, found \"{s.Device}\"");
        if (s.Width is < 64 or > 8192) Fail("screen.width", $"expected 64..8192 pixels, found {s.Width}");
        if (s.Height is < 64 or > 8192) Fail("screen.height", $"expected 64..8192 pixels, found {s.Height}");
        if (!Rotations.Contains(s.Rotation)) Fail("screen.rotation", $"expected one of 0, 90, 180, 270, found {s.Rotation}");
        if (s.DiagonalInches is < 3 or > 40) Fail("screen.diagonalInches", $"expected 3..40, found {s.DiagonalInches}");
        if (!PixelFormats.Contains(s.PixelFormat)) Fail("screen.pixelFormat", $"expected \"xrgb8888\" or \"rgb565\", found \"{s.PixelFormat}\"");

        if (string.IsNullOrWhiteSpace(p.Pen.Device)) Fail("pen.device", "expected \"sim\", an evdev device name or a /dev/input path");
        var c = p.Pen.Calibration;
        if (c.XMin is { } x0 && c.XMax is { } x1 && x0 >= x1) Fail("pen.calibration.xMax", $"expected xMax > xMin, found xMin={x0}, xMax={x1}");
        if (c.YMin is { } y0 && c.YMax is { } y1 && y0 >= y1) Fail("pen.calibration.yMax", $"expected yMax > yMin, found yMin={y0}, yMax={y1}");
        if ((c.XMin is null) != (c.XMax is null)) Fail("pen.calibration", "expected xMin and xMax together, or neither");
        if ((c.YMin is null) != (c.YMax is null)) Fail("pen.calibration", "expected yMin and yMax together, or neither");

        if (p.Serial.MagStripe is { } ms) ValidateMagStripe(ms, Fail);

        foreach (var (role, port) in p.Serial.All())
        {
            if (port.Port != BoardProfile.Simulated && !port.Port.StartsWith('/'))
                Fail($"serial.{role}.port", $"expected \"sim\" or an absolute tty path, found \"{port.Port}\"");
            if (!BaudRates.Contains(port.Baud))
                Fail($"serial.{role}.baud", $"expected one of {string.Join(", ", BaudRates)}, found {port.Baud}");
        }

        foreach (var (index, camera) in p.Cameras)
        {
            if (!int.TryParse(index, out var i) || i is < 0 or > 9) Fail($"cameras.{index}", "expected a camera index 0..9 as the key");
            if (!IsSimOrDevicePath(camera.Device, "/dev/"))
                Fail($"cameras.{index}.device", $"expected \"sim\" or a V4L2 node such as /dev/video0, found \"{camera.Device}\"");
            if (!CameraRoles.Contains(camera.Role)) Fail($"cameras.{index}.role", $"expected one of {string.Join(", ", CameraRoles)}, found \"{camera.Role}\"");
        }

        if (p.Gpio is { } g)
        {
            if (g.Chip < -1) Fail("gpio.chip", $"expected a gpiochip number >= 0 (or -1 for in-memory GPIO), found {g.Chip}");
            var taken = new Dictionary<int, string>();
            foreach (var (key, line) in new[] { ("led", g.Led), ("buzzer", g.Buzzer), ("backlight", g.Backlight) })
            {
                if (line is < 0) Fail($"gpio.{key}", $"expected a line number >= 0, found {line}");
                // One line cannot be two functions: the chip would refuse the request (EBUSY) at start-up.
                if (line is { } n && !taken.TryAdd(n, key)) Fail($"gpio.{key}", $"expected a line of its own, found {n}, which is already gpio.{taken[n]}");
            }
        }

        if (p.Audio is { } audio && (string.IsNullOrWhiteSpace(audio.Device) || audio.Device.Any(char.IsWhiteSpace)))
            Fail("audio.device", $"expected \"sim\" or an ALSA PCM name such as default or plughw:0,0, found \"{audio.Device}\"");

        if (!Path.IsPathRooted(p.Fonts.Cjk)) Fail("fonts.cjk", $"expected an absolute path to a CJK font file, found \"{p.Fonts.Cjk}\"");
        if (!fileExists(p.Fonts.Cjk))
            Fail("fonts.cjk", $"expected a CJK font file at {p.Fonts.Cjk} (Debian package fonts-wqy-microhei), but it does not exist");
    }

    private static void ValidateMagStripe(MagStripeProfile ms, Action<string, string> fail)
    {
        const string key = "serial.magStripe";
        switch (ms.Kind)
        {
            case MagStripeProfile.SerialKind:
                if (ms.Device is not null)
                    fail($"{key}.device", "expected no device for a serial reader (it is found by port; \"kind\": \"evdev\" names an input device)");
                if (ms.Port is null) fail($"{key}.port", "expected \"sim\" or an absolute tty path for a serial reader");
                if (ms.Baud is null) fail($"{key}.baud", $"expected one of {string.Join(", ", BaudRates)} for a serial reader");
                break;
            case MagStripeProfile.EvdevKind:
                if (string.IsNullOrWhiteSpace(ms.Device))
                    fail($"{key}.device", "expected the keyboard-wedge reader's input device name as EVIOCGNAME reports it, or a /dev/input path");
                else if (ms.Device == BoardProfile.Simulated)
                    fail($"{key}.device", "expected an input device name: the sim board simulates a serial reader (\"kind\": \"serial\", \"port\": \"sim\")");
                if (ms.Port is not null) fail($"{key}.port", "expected no port for an evdev reader (it is found by device)");
                if (ms.Baud is not null) fail($"{key}.baud", "expected no baud for an evdev reader");
                break;
            default:
                fail($"{key}.kind", $"expected \"serial\" or \"evdev\", found \"{ms.Kind}\"");
                break;
        }
    }

    private static bool IsSimOrDevicePath(string value, string prefix) =>
        value == BoardProfile.Simulated || value.StartsWith(prefix, StringComparison.Ordinal);
}
