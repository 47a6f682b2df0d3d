namespace Appliance.Imaging.Capture;

/// <summary>Colour of the output image (seed 003 §3.3 <c>color_type</c>).</summary>
public enum CaptureColor
{
    Color = 0,
    Gray = 1,
    BlackWhite = 2,
}

/// <summary>Watermark position: top-left, top-right, bottom-left, bottom-right, centre (the seed's 0..4).</summary>
public enum WatermarkPosition
{
    TopLeft = 0,
    TopRight = 1,
    BottomLeft = 2,
    BottomRight = 3,
    Center = 4,
}

/// <summary>Text stamped on a captured image; empty content means "the current time".</summary>
public sealed record Watermark(string Content, WatermarkPosition Position, int Transparency, int FontSize, string Color);

/// <summary>What to do to a captured frame before it is handed out.</summary>
public sealed record CaptureOptions
{
    /// <summary>Clockwise, a multiple of 90.</summary>
    public int Rotate { get; init; }
    public CaptureColor Color { get; init; } = CaptureColor.Color;
    public int JpegQuality { get; init; } = 75;
    public int XDpi { get; init; } = 200;
    public int YDpi { get; init; } = 200;
    /// <summary>0 = no limit; otherwise the image is scaled down until its file fits.</summary>
    public long MaxFileSize { get; init; }
    public Watermark? Watermark { get; init; }
    /// <summary>Longest side of a thumbnail, when one is wanted.</summary>
    public int ThumbnailSize { get; init; } = 200;
}

/// <summary>The processed image and its thumbnail.</summary>
public sealed record CaptureResult(byte[] Jpeg, int Width, int Height, byte[]? Thumbnail);
