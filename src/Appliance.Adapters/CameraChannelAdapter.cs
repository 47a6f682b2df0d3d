using Appliance.Core.Capture;
using Appliance.Devices.Camera;

namespace Appliance.Adapters;

/// <summary>Binds <see cref="ICameraCapture"/> to one camera channel (JPEG frames from the V4L2 driver or the sim scene).</summary>
public sealed class CameraChannelAdapter(CameraChannel channel) : ICameraCapture
{
    public Task<byte[]> GrabPreviewJpegAsync(CancellationToken cancel) => GrabAsync(cancel);

    public Task<byte[]> TakePhotoJpegAsync(CancellationToken cancel) => GrabAsync(cancel);

    private async Task<byte[]> GrabAsync(CancellationToken cancel)
    {
        try
        {
            return (await channel.GrabAsync(cancel).ConfigureAwait(false)).Data;
        }
        catch (CameraException e)
        {
            throw new CaptureException(e.Error switch
            {
                CameraError.Absent or CameraError.Removed => CaptureFailure.DeviceAbsent,
                CameraError.NotSupported => CaptureFailure.NotSupported,
                CameraError.TimedOut => CaptureFailure.TimedOut,
                _ => CaptureFailure.DeviceFailed,
            }, e.Message, e);
        }
    }
}
