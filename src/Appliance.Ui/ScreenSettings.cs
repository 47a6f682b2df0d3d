namespace Appliance.Ui;

/// <summary>How the screen is set up on this board (from the board profile).</summary>
public sealed record ScreenSettings
{
    /// <summary>The board profile's <c>fonts.cjk</c>.</summary>
    public required string CjkFontPath { get; init; }
    /// <summary>Clockwise panel rotation: 0, 90, 180, 270.</summary>
    public int Rotation { get; init; }

    /// <summary>Pixels per millimetre (board profile <c>screen.diagonalInches</c>); 10.1-inch 1280x800 by default.</summary>
    public double PixelsPerMm { get; init; } = 5.91;

    /// <summary>Large-text mode at start (configuration <c>textScale</c>, 1 to 2); a PC may change it (<c>param=set large_text</c>).</summary>
    public float TextScale { get; init; } = 1;

    /// <summary>The smallest side of a touch target: 9 mm, as touch guidelines for public kiosks ask (issue 23).</summary>
    public const double MinTargetMm = 9;

    /// <summary>
    /// The smallest text, as the font's em height: 3.2 mm is 22 minutes of arc at a 50 cm reading distance, the top of
    /// ISO 9241-303's preferred character height, for readers with weak eyes (issue 23).
    /// </summary>
    public const double MinTextMm = 3.2;

    /// <summary><see cref="MinTextMm"/> in pixels on this panel.</summary>
    public int MinTextPx => (int)Math.Ceiling(MinTextMm * PixelsPerMm);

    /// <summary><see cref="MinTargetMm"/> in pixels on this panel.</summary>
    public int MinTargetPx => (int)Math.Ceiling(MinTargetMm * PixelsPerMm);
}
