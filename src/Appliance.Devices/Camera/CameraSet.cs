namespace Appliance.Devices.Camera;

/// <summary>The board's cameras by <c>camidx</c> (0 = document, 1 = face, 2 = second face/IR, as the board profile maps them).</summary>
public sealed class CameraSet(IEnumerable<CameraChannel> channels) : IAsyncDisposable
{
    private readonly SortedDictionary<int, CameraChannel> _byIndex = new(channels.ToDictionary(c => c.Index));

    public IEnumerable<CameraChannel> All => _byIndex.Values;

    public CameraChannel? Get(int index) => _byIndex.GetValueOrDefault(index);

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _byIndex.Values) await c.DisposeAsync().ConfigureAwait(false);
    }
}
