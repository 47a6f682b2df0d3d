using Appliance.Core.Images;
using Appliance.Imaging.Capture;

namespace Appliance.Adapters.Images;

/// <summary>Binds <see cref="IPhotoProcessor"/> to Imaging's <see cref="CaptureProcessor"/> (libturbojpeg + SkiaSharp, the board's CJK font).</summary>
public sealed class PhotoProcessorAdapter(CaptureProcessor processor) : IPhotoProcessor
{
    public ProcessedPhoto Process(byte[] cameraJpeg, PhotoProcessing options, bool withThumbnail)
    {
        var capture = new CaptureOptions
        {
            Rotate = options.Rotate,
            Color = (CaptureColor)(int)options.Color,
            JpegQuality = options.JpegQuality,
            XDpi = options.XDpi,
            YDpi = options.YDpi,
            MaxFileSize = options.MaxFileSize,
            Watermark = options.Watermark is { } mark
                ? new Watermark(mark.Content, (Appliance.Imaging.Capture.WatermarkPosition)(int)mark.Position, mark.Transparency, mark.FontSize, mark.Color)
                : null,
            ThumbnailSize = options.ThumbnailSize,
        };
        var result = ImagingErrors.Guard(() => processor.Process(cameraJpeg, capture, withThumbnail));
        return new ProcessedPhoto(result.Jpeg, result.Width, result.Height, result.Thumbnail);
    }
}
