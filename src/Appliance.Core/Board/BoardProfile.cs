namespace Appliance.Core.Board;

/// <summary>
/// Which device sits where on one model of terminal: read from <c>board/&lt;name&gt;/board.json</c>.
/// The literal <see cref="Simulated"/> in a device path means "the sim board's simulator stands here".
/// </summary>
public sealed class BoardProfile
{
    public const string Simulated = "sim";

    public required string Name { get; set; }
    public required string Model { get; set; }
    public string Description { get; set; } = "";
    public required ScreenProfile Screen { get; set; }
    public required PenProfile Pen { get; set; }
    public SerialPorts Serial { get; set; } = new();
    public Dictionary<string, CameraProfile> Cameras { get; set; } = [];
    public GpioProfile? Gpio { get; set; }
    /// <summary>The speaker voice prompts play on; null when the board has no audio.</summary>
    public AudioProfile? Audio { get; set; }
    public required FontProfile Fonts { get; set; }
    public IdentityProfile Identity { get; set; } = new();
    public SmartCardProfile? SmartCard { get; set; }

    /// <summary>Where the profile was read from, for error messages and /info.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Source { get; internal set; } = "";

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsSimulated => Name == Simulated;
}

public sealed class ScreenProfile
{
    /// <summary><c>sim</c> for the in-memory framebuffer, else an fbdev node such as <c>/dev/fb0</c>.</summary>
    public required string Device { get; set; }
    public required int Width { get; set; }
    public required int Height { get; set; }
    /// <summary>Clockwise rotation of the panel relative to how the person sees it: 0, 90, 180 or 270.</summary>
    public int Rotation { get; set; }
    /// <summary><c>xrgb8888</c> or <c>rgb565</c>; a real fbdev reports its own and must agree.</summary>
    public string PixelFormat { get; set; } = "xrgb8888";
    /// <summary>The panel's visible diagonal: how many pixels a millimetre is, so touch targets keep their size in mm.</summary>
    public double DiagonalInches { get; set; } = 10.1;

    /// <summary>Pixels per millimetre on the panel (square pixels).</summary>
    public double PixelsPerMm => Math.Sqrt((double)Width * Width + (double)Height * Height) / (DiagonalInches * 25.4);
}

public sealed class PenProfile
{
    /// <summary><c>sim</c> for the pen pipe, else the evdev device name (as EVIOCGNAME reports it) or a <c>/dev/input/...</c> path.</summary>
    public required string Device { get; set; }
    public PenCalibration Calibration { get; set; } = new();
}

/// <summary>Maps raw ABS_X/ABS_Y to screen pixels. Null min/max means "use the device's EVIOCGABS range".</summary>
public sealed class PenCalibration
{
    public int? XMin { get; set; }
    public int? XMax { get; set; }
    public int? YMin { get; set; }
    public int? YMax { get; set; }
    public bool SwapXY { get; set; }
    public bool InvertX { get; set; }
    public bool InvertY { get; set; }
}

public sealed class SerialPorts
{
    public SerialPortProfile? IdCard { get; set; }
    public SerialPortProfile? Fingerprint { get; set; }
    public SerialPortProfile? Barcode { get; set; }
    /// <summary>A serial stripe reader (port, baud) or a keyboard-wedge one on evdev (device): see <see cref="MagStripeProfile"/>.</summary>
    public MagStripeProfile? MagStripe { get; set; }

    /// <summary>Every device here that sits on a tty (an evdev stripe reader does not).</summary>
    public IEnumerable<(string Role, SerialPortProfile Port)> All()
    {
        if (IdCard is not null) yield return ("idCard", IdCard);
        if (Fingerprint is not null) yield return ("fingerprint", Fingerprint);
        if (Barcode is not null) yield return ("barcode", Barcode);
        if (MagStripe?.SerialPort is { } magStripe) yield return ("magStripe", magStripe);
    }
}

/// <summary>
/// The magnetic-stripe reader. <c>kind</c> <c>serial</c> (the default): a tty reader framing each swipe
/// STX…ETX LRC, at <c>port</c> and <c>baud</c>. <c>kind</c> <c>evdev</c>: a USB keyboard-wedge reader that types the
/// tracks, found by <c>device</c>, its input device name as EVIOCGNAME reports it (or a <c>/dev/input/...</c> path).
/// </summary>
public sealed class MagStripeProfile
{
    public const string SerialKind = "serial", EvdevKind = "evdev";

    public string Kind { get; set; } = SerialKind;
    public string? Port { get; set; }
    public int? Baud { get; set; }
    public string? Device { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEvdev => Kind == EvdevKind;

    /// <summary>The tty when <see cref="Kind"/> is serial and both port and baud are given, else null.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public SerialPortProfile? SerialPort => Kind == SerialKind && Port is { } port && Baud is { } baud
        ? _serialPort ??= new SerialPortProfile { Port = port, Baud = baud }
        : null;

    private SerialPortProfile? _serialPort;
}

public sealed class SerialPortProfile
{
    /// <summary><c>sim</c> for a pty simulator, else a tty path such as <c>/dev/ttyS3</c> or a udev symlink.</summary>
    public required string Port { get; set; }
    public required int Baud { get; set; }
    /// <summary>Optional vendor library (for example the ID-card WLT photo decoder).</summary>
    public string? DecoderLibrary { get; set; }
}

public sealed class CameraProfile
{
    /// <summary><c>sim</c> for the generated scene, else a V4L2 node such as <c>/dev/video0</c>.</summary>
    public required string Device { get; set; }
    /// <summary>What the camera looks at: <c>document</c>, <c>face</c> or <c>face-ir</c>.</summary>
    public required string Role { get; set; }
}

public sealed class GpioProfile
{
    /// <summary>GPIO chip number (<c>/dev/gpiochipN</c>), or <c>-1</c> on the sim board's in-memory GPIO.</summary>
    public int Chip { get; set; }
    public int? Led { get; set; }
    public int? Buzzer { get; set; }
    public int? Backlight { get; set; }
}

public sealed class AudioProfile
{
    /// <summary><c>sim</c> for a WAV recording in the state dir, else an ALSA PCM name: <c>default</c>, <c>plughw:0,0</c>…</summary>
    public required string Device { get; set; }
}

public sealed class FontProfile
{
    /// <summary>A font file with CJK coverage; the screen cannot draw Chinese without it.</summary>
    public required string Cjk { get; set; }
}

public sealed class IdentityProfile
{
    /// <summary>Where the hardware serial number is read from; empty means "generated once and kept in the state dir".</summary>
    public string SerialFile { get; set; } = "";
}

public sealed class SmartCardProfile
{
    /// <summary>Substring of the PC/SC reader name to use; empty means the first reader.</summary>
    public string Reader { get; set; } = "";
}
