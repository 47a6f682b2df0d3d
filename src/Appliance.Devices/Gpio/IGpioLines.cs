namespace Appliance.Devices.Gpio;

/// <summary>One output line to request, and the value it takes the moment the request is granted (no glitch).</summary>
public readonly record struct GpioOutputLine(int Offset, bool InitialValue);

/// <summary>
/// Output lines of one GPIO chip, held for exclusive use until disposed (the kernel's "line request"). The LED,
/// buzzer and backlight logic drives these; whoever opened them disposes them, which releases the lines.
/// </summary>
public interface IGpioLines : IDisposable
{
    /// <summary>The chip node (<c>/dev/gpiochip3</c>) or the simulated chip's name, for /health and messages.</summary>
    string Location { get; }

    /// <summary>What the chip said of itself: kernel name, label, line count, the uAPI version in use.</summary>
    string Detail { get; }

    /// <summary>The requested line offsets, in request order.</summary>
    IReadOnlyList<int> Offsets { get; }

    /// <summary>Drives one requested line: true = active (high; the profile's lines are active-high).</summary>
    /// <exception cref="GpioException">The line is not part of this request, or the chip refused the write.</exception>
    void Write(int offset, bool value);
}
