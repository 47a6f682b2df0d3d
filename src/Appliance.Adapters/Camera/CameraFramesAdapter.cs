using Appliance.Core.Capture;
using Driver = Appliance.Devices.Camera;

namespace Appliance.Adapters.Camera;

/// <summary>Binds <see cref="ICameraFrames"/> to a driver frame subscription, or stands for a camera that could not start.</summary>
internal sealed class CameraFramesAdapter : ICameraFrames
{
    private readonly Driver.FrameSubscription? _subscription;
    private readonly CameraStreamEnd _refusedEnd;

    public CameraFramesAdapter(Driver.FrameSubscription subscription) => _subscription = subscription;

    private CameraFramesAdapter(CaptureException failure, CameraStreamEnd end) => (StartFailure, _refusedEnd) = (failure, end);

    /// <summary>Frames that are over before the first: the camera was removed while starting, was not there, or failed.</summary>
    public static CameraFramesAdapter Refused(Driver.CameraException e) => new(CameraErrors.ToCapture(e), e.Error switch
    {
        Driver.CameraError.Removed => CameraStreamEnd.Removed,
        Driver.CameraError.Absent => CameraStreamEnd.NotConnected,
        _ => CameraStreamEnd.Failed,
    });

    public CaptureException? StartFailure { get; }

    public CameraStreamEnd EndReason => _subscription is null ? _refusedEnd : _subscription.EndReason switch
    {
        Driver.StreamEndReason.None => CameraStreamEnd.None,
        Driver.StreamEndReason.Removed => CameraStreamEnd.Removed,
        Driver.StreamEndReason.Failed => CameraStreamEnd.Failed,
        _ => CameraStreamEnd.Closed,
    };

    public async ValueTask<CameraPicture?> NextAsync(CancellationToken cancel)
    {
        if (_subscription is null) return null;
        return await _subscription.NextAsync(cancel).ConfigureAwait(false) is { } frame ? CameraChannelAdapter.ToPicture(frame) : null;
    }

    public void Dispose() => _subscription?.Dispose();
}
