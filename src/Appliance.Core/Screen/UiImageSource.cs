namespace Appliance.Core.Screen;

/// <summary>
/// A picture the screen may draw: encoded bytes (PNG/JPEG/BMP/WebP/GIF) or a file the terminal itself holds (a grabbed
/// image in a page's space). What a page names (base64, a uuid, an allowed URL) is turned into one of these by the
/// protocol layer (<c>PagePictures</c>), which alone decides what a page may make the terminal read.
/// </summary>
public sealed record UiImageSource
{
    private UiImageSource(string? path, ReadOnlyMemory<byte> bytes)
    {
        FilePath = path;
        Bytes = bytes;
    }

    /// <summary>A file the terminal holds; never a path a page sent.</summary>
    public string? FilePath { get; }

    public ReadOnlyMemory<byte> Bytes { get; }

    public static UiImageSource FromFile(string path) => new(path, default);
    public static UiImageSource FromBytes(ReadOnlyMemory<byte> encoded) => new(null, encoded);

    /// <summary>For messages a page may see: no path of the terminal's.</summary>
    public override string ToString() => FilePath is null ? $"{Bytes.Length} bytes of image data" : "a stored picture";
}
