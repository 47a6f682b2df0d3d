using SkiaSharp;

namespace Appliance.Ui.Text;

/// <summary>The screen's font missing or unreadable: start-up stops with this message.</summary>
public sealed class FontLoadException(string message) : IOException(message);

/// <summary>
/// The typeface every screen draws with, loaded from the board profile's <c>fonts.cjk</c> file. The NativeAOT build
/// carries Skia without fontconfig, so there is no system font lookup: without this file Chinese cannot be drawn.
/// </summary>
public sealed class FontSet : IDisposable
{
    private FontSet(SKTypeface typeface, string path)
    {
        Typeface = typeface;
        Path = path;
    }

    public SKTypeface Typeface { get; }
    public string Path { get; }

    /// <exception cref="FontLoadException">when the file is missing, unreadable or lacks CJK glyphs.</exception>
    public static FontSet Load(string path)
    {
        if (!File.Exists(path))
            throw new FontLoadException($"the CJK font file {path} (board profile fonts.cjk) does not exist; install it (Debian: fonts-wqy-microhei) or fix the profile");
        var typeface = SKTypeface.FromFile(path, 0)
            ?? throw new FontLoadException($"the CJK font file {path} (board profile fonts.cjk) is not a font Skia can read");
        using var probe = new SKFont(typeface, 12);
        if (probe.GetGlyph('签') == 0)
        {
            typeface.Dispose();
            throw new FontLoadException($"the font {path} (board profile fonts.cjk) has no Chinese glyphs");
        }
        return new FontSet(typeface, path);
    }

    /// <summary>Every size asked for is multiplied by this: 1 normally, more in large-text mode (<see cref="ScreenService.TextScale"/>).</summary>
    public float Scale { get; set; } = 1;

    /// <summary>The smallest text drawn, in pixels (<see cref="ScreenSettings.MinTextPx"/>): a page asking for less gets this.</summary>
    public float MinSize { get; set; }

    /// <summary>The size text asked at <paramref name="size"/> is drawn at: scaled, never under <see cref="MinSize"/>.</summary>
    public float SizeOf(float size) => Math.Max(size * Scale, MinSize);

    public SKFont Font(float size) => new(Typeface, SizeOf(size)) { Subpixel = true, Edging = SKFontEdging.Antialias };

    public void Dispose() => Typeface.Dispose();
}
