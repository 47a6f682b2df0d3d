namespace Appliance.Core.Screen;

/// <summary>
/// WCAG 2.x contrast (relative luminance of sRGB, ratio 1..21). Every label the terminal draws meets AA: 4.5:1, or 3:1
/// for large text (24 px and up here, WCAG's 18 pt). Colours a page sends are honoured when they meet it; a label whose
/// page colour would not be readable is drawn in black or white instead, whichever reads better.
/// </summary>
public static class UiContrast
{
    public const double Normal = 4.5;
    public const double Large = 3.0;

    /// <summary>Text of this size (px) or larger is "large" in WCAG's sense.</summary>
    public const float LargeTextPx = 24;

    public static double Luminance(UiColor c) => 0.2126 * Channel(c.R) + 0.7152 * Channel(c.G) + 0.0722 * Channel(c.B);

    public static double Ratio(UiColor a, UiColor b)
    {
        var (x, y) = (Luminance(a), Luminance(b));
        return (Math.Max(x, y) + 0.05) / (Math.Min(x, y) + 0.05);
    }

    /// <summary>The ratio a label of <paramref name="textPx"/> needs.</summary>
    public static double Needed(float textPx) => textPx >= LargeTextPx ? Large : Normal;

    /// <summary><paramref name="text"/> when it reads on <paramref name="background"/> at AA; else black or white, whichever contrasts more.</summary>
    public static UiColor Readable(UiColor text, UiColor background, float textPx)
    {
        if (Ratio(text, background) >= Needed(textPx)) return text;
        return Ratio(UiColor.Black, background) >= Ratio(UiColor.White, background) ? UiColor.Black : UiColor.White;
    }

    private static double Channel(byte value)
    {
        var c = value / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
