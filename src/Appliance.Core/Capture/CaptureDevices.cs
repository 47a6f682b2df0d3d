using Appliance.Core.Screen;

namespace Appliance.Core.Capture;

/// <summary>The capture backends this terminal has. A null member means the capability is not there (error 6 on the wire).</summary>
public sealed class CaptureDevices
{
    public IFingerprintCapture? Fingerprint { get; init; }
    public IIdCardCapture? IdCard { get; init; }
    public ICameraCapture? Camera { get; init; }
    /// <summary>The screen: the signature window and the prompts of every task.</summary>
    public ITerminalScreen? Screen { get; init; }
}
