namespace Appliance.Core.Capture;

/// <summary>
/// The board's cameras by <c>camidx</c> (0 = document, 1 = face, 2 = second face/IR, as the board profile maps them).
/// Every protocol reaches a camera through this set, so CameraService <c>video=</c> and the UOS camera commands
/// share one <see cref="ICameraChannel"/> per index: one reference count, one capture loop.
/// </summary>
public interface ICameraSet
{
    /// <summary>In <c>camidx</c> order.</summary>
    IReadOnlyList<ICameraChannel> All { get; }

    /// <summary>Null when the board has no camera at <paramref name="index"/>.</summary>
    ICameraChannel? Get(int index);

    /// <summary>The property names <see cref="ICameraChannel.GetProperty"/> and <see cref="ICameraChannel.SetProperty"/> know, in the seed's order (seed 003 §3.7).</summary>
    IReadOnlyList<string> PropertyNames { get; }
}
