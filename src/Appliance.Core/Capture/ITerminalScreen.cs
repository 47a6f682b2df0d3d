namespace Appliance.Core.Capture;

/// <summary>
/// What the session needs from the screen besides the signature window: a prompt telling the person what to do
/// (place a finger, place the card), and the idle screen. Bound to the screen's prompt window by an adapter.
/// </summary>
public interface ITerminalScreen
{
    void ShowPrompt(ScreenPrompt prompt);
    void ShowIdle();
}

/// <param name="Title">The instruction, large (Chinese first, English second line).</param>
/// <param name="Detail">A smaller line: a countdown, a reason.</param>
/// <param name="Window">Where the PC asked the prompt to appear; null for the centre of the screen.</param>
public sealed record ScreenPrompt(string Title, string Detail, ScreenRect? Window = null);

/// <summary>The capture backends this terminal has. A null member means the capability is not there (error 6 on the wire).</summary>
public sealed class CaptureDevices
{
    public ISignatureCapture? Signature { get; init; }
    public IFingerprintCapture? Fingerprint { get; init; }
    public IIdCardCapture? IdCard { get; init; }
    public ICameraCapture? Camera { get; init; }
    public ITerminalScreen? Screen { get; init; }
}
