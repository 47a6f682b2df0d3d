using System.Globalization;

namespace Appliance.Core.Screen;

/// <summary>An sRGB colour with alpha. Parses seed 003's <c>0xRRGGBB</c> (and its <c>0xFFFFFFFF</c> "pure white"), <c>#RRGGBB</c> and colour names.</summary>
public readonly record struct UiColor(byte R, byte G, byte B, byte A = 255)
{
    public static UiColor Black => new(0, 0, 0);
    public static UiColor White => new(255, 255, 255);
    public static UiColor Transparent => new(0, 0, 0, 0);
    /// <summary>The blue seed 003 uses for evaluation and floating buttons: <c>0x71A2E4</c>. White on it is 2.6:1, under WCAG AA: our defaults are <see cref="UiPalette.Button"/>.</summary>
    public static UiColor SeedBlue => new(0x71, 0xA2, 0xE4);

    public uint Rgb => ((uint)R << 16) | ((uint)G << 8) | B;

    public bool SameRgb(UiColor other) => R == other.R && G == other.G && B == other.B;

    public UiColor WithAlpha(byte alpha) => this with { A = alpha };

    // The seed's "颜色表" (figure 1) did not survive extraction; the common names a page would send are accepted.
    private static readonly Dictionary<string, UiColor> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["black"] = new(0, 0, 0), ["white"] = new(255, 255, 255), ["red"] = new(255, 0, 0), ["green"] = new(0, 128, 0),
        ["blue"] = new(0, 0, 255), ["yellow"] = new(255, 255, 0), ["gray"] = new(128, 128, 128), ["grey"] = new(128, 128, 128),
        ["orange"] = new(255, 165, 0), ["purple"] = new(128, 0, 128), ["cyan"] = new(0, 255, 255), ["magenta"] = new(255, 0, 255),
        ["黑色"] = new(0, 0, 0), ["白色"] = new(255, 255, 255), ["红色"] = new(255, 0, 0), ["绿色"] = new(0, 128, 0), ["蓝色"] = new(0, 0, 255),
        ["黄色"] = new(255, 255, 0), ["灰色"] = new(128, 128, 128),
    };

    /// <summary>
    /// <c>0xRRGGBB</c>, <c>#RRGGBB</c>, <c>RRGGBB</c>, a colour name, or 8 hex digits. Eight digits are read as
    /// <c>AARRGGBB</c> except that an alpha of 00 is taken as opaque, because pages send <c>0x00RRGGBB</c> meaning a colour.
    /// </summary>
    public static bool TryParse(string? text, out UiColor color)
    {
        color = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (Names.TryGetValue(s, out color)) return true;
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        else if (s.StartsWith('#')) s = s[1..];
        if (s.Length is not (6 or 8) || !uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v)) return false;
        var a = s.Length == 8 ? (byte)(v >> 24) : (byte)255;
        if (a == 0) a = 255;
        color = new UiColor((byte)(v >> 16), (byte)(v >> 8), (byte)v, a);
        return true;
    }

    public static UiColor Parse(string? text) =>
        TryParse(text, out var c) ? c : throw new FormatException($"\"{text}\" is not a colour (expected 0xRRGGBB, #RRGGBB or a colour name)");
}
