using Appliance.Core.Capture;

namespace Appliance.Core.Screen;

/// <summary>How a signature window ended.</summary>
public abstract record SignatureOutcome
{
    private SignatureOutcome() { }

    /// <summary>
    /// The person pressed OK: <paramref name="Png"/> is the ink on a transparent background, window-sized;
    /// <paramref name="Samples"/> are the raw pen samples that inked, in window pixels (tilt and pen-up kept).
    /// </summary>
    public sealed record Confirmed(byte[] Png, int Width, int Height, IReadOnlyList<PenSample> Samples, string? Remark) : SignatureOutcome;

    /// <summary>The person pressed the return button.</summary>
    public sealed record Cancelled(string? Remark) : SignatureOutcome;
}
