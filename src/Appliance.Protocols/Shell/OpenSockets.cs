using System.Collections.Concurrent;
using Appliance.Core.Session;

namespace Appliance.Protocols.Shell;

/// <summary>
/// The open message sockets of one port, so a terminal shutdown ends each with a close frame "going away" (1001)
/// after what is queued went out, rather than a dropped connection (issue 25). The UOS port keeps its own registry,
/// which also routes results; CameraService has only this.
/// </summary>
public sealed class OpenSockets : IResultDelivery
{
    private readonly ConcurrentDictionary<MessageSocket, byte> _open = new();

    public int Count => _open.Count;

    /// <summary>Tracks <paramref name="socket"/> until the returned handle is disposed (when its loop ends).</summary>
    public IDisposable Track(MessageSocket socket)
    {
        _open[socket] = 0;
        return new Untrack(this, socket);
    }

    public Task CloseAsync(TimeSpan flush) => Task.WhenAll(_open.Keys.Select(s => s.ShutdownAsync(flush)));

    private sealed class Untrack(OpenSockets owner, MessageSocket socket) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(socket, out _);
    }
}
