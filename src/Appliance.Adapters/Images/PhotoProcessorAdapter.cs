using Appliance.Core.Images;
using Appliance.Imaging.Capture;

namespace Appliance.Adapters.Images;

/// <summary>Binds <see cref="IPhotoProcessor"/> to Imaging's <see cref="CaptureProcessor"/> (libturbojpeg + SkiaSharp, the board's CJK font).</summary>
public sealed class PhotoProcessorAdapter(CaptureProcessor processor) : IPhotoProcessor
{
    public ProcessedPhoto Process(byte[] cameraJpeg, PhotoProcessing options, bool withThumbnail) =>
        ImagingErrors.Guard(() => processor.Process(cameraJpeg, options, withThumbnail));
}
