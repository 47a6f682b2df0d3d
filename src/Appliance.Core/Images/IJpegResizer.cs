namespace Appliance.Core.Images;

/// <summary>
/// Fits JPEG pictures inside a box (seed 003 §5.14 <c>preview_resolution</c>): the picture keeps its own aspect ratio
/// (so the size sent may differ from the one asked, as the seed warns) and is never enlarged.
/// </summary>
public interface IJpegResizer
{
    /// <summary>The largest size with <paramref name="width"/> × <paramref name="height"/>'s aspect ratio inside the box (never larger than the source).</summary>
    (int Width, int Height) Fit(int width, int height, int maxWidth, int maxHeight);

    /// <summary><paramref name="jpeg"/> fitted inside the box; the same bytes when it already fits.</summary>
    byte[] FitWithin(byte[] jpeg, int maxWidth, int maxHeight, int quality);
}
