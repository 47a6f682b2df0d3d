namespace Appliance.Core.Capture;

/// <summary>
/// The camera the UOS port previews and photographs with (the board's face/document camera as the adapter picks it).
/// Frames are JPEG. Several callers may grab at once; the adapter shares one open device among them.
/// </summary>
public interface ICameraCapture
{
    /// <summary>The latest preview frame (preview resolution), waiting for the first one if the camera just opened.</summary>
    Task<byte[]> GrabPreviewJpegAsync(CancellationToken cancel);

    /// <summary>A photo at the camera's capture resolution.</summary>
    Task<byte[]> TakePhotoJpegAsync(CancellationToken cancel);
}
