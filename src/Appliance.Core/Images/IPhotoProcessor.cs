namespace Appliance.Core.Images;

/// <summary>
/// Turns a camera JPEG into the image a grab hands out (CameraService <c>video=grabimage</c>, seed 003 §3.3): rotate,
/// grey or black-and-white, watermark in the board's CJK font, encode at the asked quality and DPI, then shrink until
/// the file fits.
/// </summary>
public interface IPhotoProcessor
{
    /// <param name="withThumbnail">Also a small copy, its longest side <see cref="PhotoProcessing.ThumbnailSize"/>.</param>
    ProcessedPhoto Process(byte[] cameraJpeg, PhotoProcessing options, bool withThumbnail);
}

/// <summary>What to do to a captured frame before it is handed out.</summary>
public sealed record PhotoProcessing
{
    /// <summary>Clockwise, a multiple of 90.</summary>
    public int Rotate { get; init; }
    public PhotoColor Color { get; init; } = PhotoColor.Color;
    public int JpegQuality { get; init; } = 75;
    public int XDpi { get; init; } = 200;
    public int YDpi { get; init; } = 200;
    /// <summary>0 = no limit; otherwise the image is scaled down until its file fits.</summary>
    public long MaxFileSize { get; init; }
    public PhotoWatermark? Watermark { get; init; }
    /// <summary>Longest side of a thumbnail, when one is wanted.</summary>
    public int ThumbnailSize { get; init; } = 200;
}

/// <summary>Colour of the output image (seed 003 §3.3 <c>color_type</c> 0, 1, 2).</summary>
public enum PhotoColor
{
    Color = 0,
    Gray = 1,
    BlackWhite = 2,
}

/// <summary>Where a watermark sits: the seed's <c>pos</c> 0..4.</summary>
public enum WatermarkPosition
{
    TopLeft = 0,
    TopRight = 1,
    BottomLeft = 2,
    BottomRight = 3,
    Center = 4,
}

/// <summary>Text stamped on a photo; empty content means "the current time". Color is a seed colour name or #RRGGBB.</summary>
public sealed record PhotoWatermark(string Content, WatermarkPosition Position, int Transparency, int FontSize, string Color);

/// <summary>The processed image and, when asked, its thumbnail (both JPEG).</summary>
public sealed record ProcessedPhoto(byte[] Jpeg, int Width, int Height, byte[]? Thumbnail);
