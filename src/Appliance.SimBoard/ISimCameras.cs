namespace Appliance.SimBoard;

/// <summary>The sim board's cameras, as <c>POST /sim/unplug|plug {"device":"camera","camidx":N}</c> drives them.</summary>
public interface ISimCameras
{
    /// <summary>The <c>camidx</c> of every simulated camera.</summary>
    IReadOnlyList<int> Indexes { get; }

    /// <summary>Pulls the camera out or puts it back, as a person would the USB plug; false when <paramref name="camidx"/> is not simulated.</summary>
    bool SetPlugged(int camidx, bool plugged);
}
