using Appliance.Core.Journal;

namespace Appliance.Protocols.Uos;

/// <summary>The open connections of the UOS port, so results reach every page of the PC that asked.</summary>
public sealed class UosConnectionRegistry
{
    private readonly Lock _gate = new();
    private readonly List<UosConnection> _open = [];

    public event Action<UosConnection>? Connected;

    public int Count
    {
        get { lock (_gate) return _open.Count; }
    }

    public void Add(UosConnection connection)
    {
        lock (_gate) _open.Add(connection);
        Connected?.Invoke(connection);
    }

    public void Remove(UosConnection connection)
    {
        lock (_gate) _open.Remove(connection);
    }

    /// <summary>Flushes and closes every connection (terminal shutdown).</summary>
    public Task CloseAllAsync(TimeSpan flush)
    {
        UosConnection[] open;
        lock (_gate) open = [.. _open];
        return Task.WhenAll(open.Select(c => c.ShutdownAsync(flush)));
    }

    /// <summary>docs/PROTOCOLS.md: a result goes to the connection that asked and to every <c>/1</c> connection of the same PC.</summary>
    public IReadOnlyList<UosConnection> RecipientsFor(TaskRequester requester)
    {
        lock (_gate)
            return [.. _open.Where(c => c.Id == requester.Connection || (c.Kind == UosClientKind.PcPage && c.Peer == requester.Peer))];
    }
}
