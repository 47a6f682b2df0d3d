namespace Appliance.Core.Screen;

/// <summary>
/// Where a picture comes from: a local file, an http(s) URL, or encoded bytes (PNG/JPEG/BMP/WebP/GIF).
/// Seed 003 <c>source_image</c> (<c>filepath</c>/<c>base64</c>; a <c>uuid</c> is resolved to bytes by the protocol layer)
/// and the carousel's <c>piclist</c> entries map onto this.
/// </summary>
public sealed record UiImageSource
{
    private UiImageSource(string? path, Uri? url, ReadOnlyMemory<byte> bytes)
    {
        FilePath = path;
        Url = url;
        Bytes = bytes;
    }

    public string? FilePath { get; }
    public Uri? Url { get; }
    public ReadOnlyMemory<byte> Bytes { get; }

    public static UiImageSource FromFile(string path) => new(path, null, default);
    public static UiImageSource FromUrl(Uri url) => new(null, url, default);
    public static UiImageSource FromBytes(ReadOnlyMemory<byte> encoded) => new(null, null, encoded);

    /// <summary>
    /// Seed 003 §9.18 <c>piclist</c> entry: an absolute path (<c>/tmp/1.jpg</c>, <c>D:/1.jpg</c>), an <c>http(s)://</c>
    /// address, or base64 of the image (optionally a <c>data:image/...;base64,</c> URL).
    /// </summary>
    /// <exception cref="FormatException">when the text is none of the three.</exception>
    public static UiImageSource Parse(string text)
    {
        var s = text.Trim();
        if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return Uri.TryCreate(s, UriKind.Absolute, out var url) ? FromUrl(url) : throw new FormatException($"\"{Shorten(s)}\" is not a valid URL");
        if (s.StartsWith('/') || (s.Length > 2 && char.IsAsciiLetter(s[0]) && s[1] == ':' && s[2] is '/' or '\\'))
            return FromFile(s);
        var comma = s.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? s.IndexOf(',') : -1;
        var b64 = comma >= 0 ? s[(comma + 1)..] : s;
        b64 = string.Concat(b64.Where(c => !char.IsWhiteSpace(c)));
        var buffer = new byte[b64.Length * 3 / 4 + 3];
        if (b64.Length > 0 && Convert.TryFromBase64String(b64, buffer, out var n)) return FromBytes(buffer.AsMemory(0, n));
        throw new FormatException($"\"{Shorten(s)}\" is neither an absolute file path, an http URL nor base64 image data");
    }

    public override string ToString() => FilePath ?? Url?.ToString() ?? $"{Bytes.Length} bytes of image data";

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
