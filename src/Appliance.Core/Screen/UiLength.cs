using System.Globalization;

namespace Appliance.Core.Screen;

/// <summary>
/// A coordinate as seed 003 writes it: <c>"120"</c>, <c>"120px"</c> or <c>"50%"</c>. Percentages are resolved
/// against a reference size (the screen for a window's <c>pos</c>, the window for <c>valid_sign_rect</c> and
/// <c>button_rect</c>).
/// </summary>
public readonly record struct UiLength(double Value, bool IsPercent)
{
    public static UiLength Px(double value) => new(value, false);
    public static UiLength Percent(double value) => new(value, true);

    public int Resolve(int reference) =>
        (int)Math.Round(IsPercent ? Value * reference / 100.0 : Value, MidpointRounding.AwayFromZero);

    /// <summary>Parses <c>"12"</c>, <c>"12px"</c>, <c>"12.5%"</c> (spaces tolerated).</summary>
    public static bool TryParse(string? text, out UiLength length)
    {
        length = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var percent = false;
        if (s.EndsWith('%')) { percent = true; s = s[..^1]; }
        else if (s.EndsWith("px", StringComparison.OrdinalIgnoreCase)) s = s[..^2];
        if (!double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v)) return false;
        length = new UiLength(v, percent);
        return true;
    }

    /// <exception cref="FormatException">with the offending text.</exception>
    public static UiLength Parse(string? text) =>
        TryParse(text, out var l) ? l : throw new FormatException($"\"{text}\" is not a length (expected a number, \"NNpx\" or \"NN%\")");

    public override string ToString() =>
        Value.ToString(CultureInfo.InvariantCulture) + (IsPercent ? "%" : "px");
}
