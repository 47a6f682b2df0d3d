using System.Threading.Channels;

namespace Appliance.Devices.Camera;

/// <summary>Why a camera's frames stopped: the last part of a stream shows it.</summary>
public enum StreamEndReason
{
    /// <summary>Still running.</summary>
    None,
    /// <summary><c>video=close</c> brought the reference count to zero (or the terminal is stopping).</summary>
    Closed,
    /// <summary>The device disappeared.</summary>
    Removed,
    /// <summary>The device failed.</summary>
    Failed,
}

/// <summary>
/// One stream client's view of a camera: the newest JPEG frame, never a backlog (a slow client skips frames,
/// it does not slow the capture or the other clients).
/// </summary>
public sealed class FrameSubscription : IDisposable
{
    private readonly Channel<CameraFrame> _frames = Channel.CreateBounded<CameraFrame>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
    private readonly Action<FrameSubscription> _unsubscribe;

    internal FrameSubscription(Action<FrameSubscription> unsubscribe) => _unsubscribe = unsubscribe;

    public StreamEndReason EndReason { get; private set; }
    public string EndMessage { get; private set; } = "";

    internal void Publish(CameraFrame frame) => _frames.Writer.TryWrite(frame);

    internal void End(StreamEndReason reason, string message)
    {
        if (EndReason != StreamEndReason.None) return;
        EndMessage = message;
        EndReason = reason;
        _frames.Writer.TryComplete();
    }

    /// <summary>The next frame, or null when the stream ended (see <see cref="EndReason"/>).</summary>
    public async ValueTask<CameraFrame?> NextAsync(CancellationToken cancellationToken)
    {
        while (await _frames.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            if (_frames.Reader.TryRead(out var frame)) return frame;
        return null;
    }

    public void Dispose() => _unsubscribe(this);
}
