using Appliance.Core.Capture;

namespace Appliance.Adapters.Camera;

/// <summary>
/// Binds the UOS port's <see cref="ICameraCapture"/> to a camera of the <see cref="ICameraSet"/>: previews and photos
/// are grabs on the same channel CameraService <c>video=</c> uses (one reference count, one capture loop).
/// </summary>
public sealed class CameraCaptureAdapter(ICameraChannel channel) : ICameraCapture
{
    /// <summary>The camera-set channel this capture grabs on.</summary>
    public ICameraChannel Channel => channel;

    public async Task<byte[]> GrabPreviewJpegAsync(CancellationToken cancel) => (await channel.GrabAsync(cancel).ConfigureAwait(false)).Jpeg;

    public async Task<byte[]> TakePhotoJpegAsync(CancellationToken cancel) => (await channel.GrabAsync(cancel).ConfigureAwait(false)).Jpeg;
}
