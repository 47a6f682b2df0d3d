using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Shell;

/// <summary>
/// A protocol's handlers by name, matched tolerantly (<see cref="WireName"/>): <c>"Preview camera"</c> finds
/// <c>previewcamera</c>, <c>/Video = GrabImage</c> finds <c>video=grabimage</c>. Mapping one name twice is a
/// programming error.
/// </summary>
/// <param name="what">What the names are, for that error (<c>"UOS command"</c>, <c>"CameraService route"</c>).</param>
public sealed class CommandTable<THandler>(string what) where THandler : class
{
    private readonly Dictionary<string, THandler> _handlers = new(StringComparer.Ordinal);

    public CommandTable<THandler> Map(string name, THandler handler)
    {
        if (!_handlers.TryAdd(WireName.Normalize(name), handler)) throw new InvalidOperationException($"{what} {name} is mapped twice");
        return this;
    }

    public THandler? Find(string name) => _handlers.GetValueOrDefault(WireName.Normalize(name));

    /// <summary>Every mapped name, normalised.</summary>
    public IEnumerable<string> Names => _handlers.Keys;
}
