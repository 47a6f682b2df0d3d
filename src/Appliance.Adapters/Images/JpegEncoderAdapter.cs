using Appliance.Core.Capture;
using Appliance.Core.Images;
using Appliance.Imaging.Jpeg;

namespace Appliance.Adapters.Images;

/// <summary>Binds <see cref="IJpegEncoder"/> to libjpeg-turbo (<see cref="JpegCodec.Shared"/>).</summary>
public sealed class JpegEncoderAdapter : IJpegEncoder
{
    public byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PixelLayout layout, int quality)
    {
        var jpegLayout = layout switch
        {
            PixelLayout.Rgba => JpegPixels.Rgba,
            PixelLayout.Bgra => JpegPixels.Bgra,
            _ => JpegPixels.Gray,
        };
        try
        {
            return JpegCodec.Shared.Encode(pixels, width, height, jpegLayout, quality);
        }
        catch (JpegException e)
        {
            // Not through ImagingErrors.Guard: a span cannot be captured by its lambda.
            throw new CaptureException(CaptureFailure.DeviceFailed, e.Message, e);
        }
    }
}
