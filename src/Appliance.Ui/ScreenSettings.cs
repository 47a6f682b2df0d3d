namespace Appliance.Ui;

/// <summary>How the screen is set up on this board (from the board profile).</summary>
public sealed record ScreenSettings
{
    /// <summary>The board profile's <c>fonts.cjk</c>.</summary>
    public required string CjkFontPath { get; init; }
    /// <summary>Clockwise panel rotation: 0, 90, 180, 270.</summary>
    public int Rotation { get; init; }
}
