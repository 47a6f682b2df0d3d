
namespace Appliance.Core.Screen;

/// <summary>Seed 003 <c>tip_message</c>: text, size in pixels and colour.</summary>
public sealed record TipMessage
{
    public string Content { get; init; } = "";
    /// <summary><c>fontsize</c>, pixels.</summary>
    public float FontSize { get; init; } = 24;
    /// <summary><c>color</c> (sign window) / <c>textcolor</c> (evaluation window).</summary>
    public UiColor TextColor { get; init; } = UiColor.Black;
}
