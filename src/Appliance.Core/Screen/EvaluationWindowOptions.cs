
namespace Appliance.Core.Screen;

/// <summary>Seed 003 §9.8 <c>sign=showevaluator</c>, every parameter with the seed's defaults.</summary>
public sealed record EvaluationWindowOptions
{
    /// <summary>Default <c>{"top":"280","left":"340","width":"600","height":"240"}</c>.</summary>
    public UiPos Pos { get; init; } = UiPos.FromSize(340, 280, 600, 240);

    /// <summary>Default content 请您对我们的服务进行评价, fontsize 28, textcolor 0xFFFFFFFF.</summary>
    public TipMessage TipMessage { get; init; } = new() { Content = "请您对我们的服务进行评价", FontSize = 28, TextColor = UiColor.White };

    /// <summary><c>tip_message.backgroundcolor</c>, the window's background; default 0x71A2E4.</summary>
    public UiColor BackgroundColor { get; init; } = UiPalette.Button;

    /// <summary>Default: 非常满意 / 基本满意 / 一般 / 不满意 with built-in icons 0..3.</summary>
    public IReadOnlyList<EvaluationButton> Buttons { get; init; } = DefaultButtons;

    public static IReadOnlyList<EvaluationButton> DefaultButtons { get; } =
    [
        new() { Content = "非常满意", Icon = "0" },
        new() { Content = "基本满意", Icon = "1" },
        new() { Content = "一般", Icon = "2" },
        new() { Content = "不满意", Icon = "3" },
    ];
}

/// <summary>One evaluation button (§9.8 <c>buttons[]</c>).</summary>
public sealed record EvaluationButton
{
    public required string Content { get; init; }
    public float FontSize { get; init; } = 18;
    public UiColor TextColor { get; init; } = UiColor.White;
    /// <summary>Equal to the window background ⇒ drawn transparent (seed).</summary>
    public UiColor ButtonColor { get; init; } = UiPalette.Button;
    /// <summary>"0" very satisfied, "1" satisfied, "2" neutral, "3" dissatisfied (built-in), or the key of <see cref="IconImage"/>; empty for none.</summary>
    public string Icon { get; init; } = "";
    /// <summary>The picture drawn for <see cref="Icon"/> when it is not a built-in face.</summary>
    public UiImageSource? IconImage { get; init; }
    /// <summary>Reserved by the seed; echoed only.</summary>
    public string Type { get; init; } = "0";
}
