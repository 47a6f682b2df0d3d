namespace Appliance.Core.Capture;

/// <summary>
/// One stream client's view of a camera (<see cref="ICameraChannel.Subscribe"/>): the newest frame, never a backlog,
/// so a slow client skips frames instead of slowing the capture or the other clients. Dispose to leave.
/// </summary>
public interface ICameraFrames : IDisposable
{
    /// <summary>The next frame, or null when the stream ended (see <see cref="EndReason"/>).</summary>
    ValueTask<CameraPicture?> NextAsync(CancellationToken cancel);

    /// <summary>Why the frames stopped; <see cref="CameraStreamEnd.None"/> while they flow.</summary>
    CameraStreamEnd EndReason { get; }

    /// <summary>Set when the camera could not start for this client: no frame ever comes, and this says why.</summary>
    CaptureException? StartFailure { get; }
}

/// <summary>Why a camera's frames stopped: the last part of a stream shows it.</summary>
public enum CameraStreamEnd
{
    /// <summary>Still running.</summary>
    None,
    /// <summary><c>video=close</c> brought the reference count to zero (or the terminal is stopping).</summary>
    Closed,
    /// <summary>The device disappeared.</summary>
    Removed,
    /// <summary>The device failed.</summary>
    Failed,
    /// <summary>The camera was not there when the stream began.</summary>
    NotConnected,
}
