
namespace Appliance.Core.Screen;

/// <summary>Seed 003 §9.15 <c>sign=showefloatingbuttongroup</c>, every parameter with the seed's defaults.</summary>
public sealed record FloatingButtonGroupOptions
{
    /// <summary>Default <c>{"top":"700","left":"950","width":"256","height":"64"}</c>.</summary>
    public UiPos Pos { get; init; } = UiPos.FromSize(950, 700, 256, 64);

    /// <summary>Default: 确认 and 取消, fontsize 18, white on 0x71A2E4, no icon.</summary>
    public IReadOnlyList<FloatingButton> Buttons { get; init; } = DefaultButtons;

    /// <summary>The group's own background; buttons of the same colour are drawn transparent (seed).</summary>
    public UiColor BackgroundColor { get; init; } = UiColor.Transparent;

    public static IReadOnlyList<FloatingButton> DefaultButtons { get; } =
    [
        new() { Content = "确认" },
        new() { Content = "取消" },
    ];
}

/// <summary>One floating button (§9.15 <c>buttons[]</c>).</summary>
public sealed record FloatingButton
{
    public required string Content { get; init; }
    public float FontSize { get; init; } = 18;
    public UiColor TextColor { get; init; } = UiColor.White;
    public UiColor ButtonColor { get; init; } = UiPalette.Button;
    /// <summary>The key of the icon drawn left of the text (what the page sent); empty for none.</summary>
    public string Icon { get; init; } = "";
    /// <summary>The picture drawn for <see cref="Icon"/>; null for none.</summary>
    public UiImageSource? IconImage { get; init; }
    /// <summary>Pixels; null = fitted to the font size.</summary>
    public int? Width { get; init; }
    /// <summary>Pixels; null = fitted to the font size.</summary>
    public int? Height { get; init; }
    /// <summary>Reserved by the seed.</summary>
    public string Type { get; init; } = "0";
}
