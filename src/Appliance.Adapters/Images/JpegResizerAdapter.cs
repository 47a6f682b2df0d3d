using Appliance.Core.Images;
using Appliance.Imaging.Jpeg;

namespace Appliance.Adapters.Images;

/// <summary>Binds <see cref="IJpegResizer"/> to Imaging's <see cref="JpegResizer"/> (libturbojpeg decode at a reduced scale, SkiaSharp resize).</summary>
public sealed class JpegResizerAdapter : IJpegResizer
{
    public (int Width, int Height) Fit(int width, int height, int maxWidth, int maxHeight) => JpegResizer.Fit(width, height, maxWidth, maxHeight);

    public byte[] FitWithin(byte[] jpeg, int maxWidth, int maxHeight, int quality) =>
        ImagingErrors.Guard(() => JpegResizer.FitWithin(jpeg, maxWidth, maxHeight, quality));
}
