namespace Appliance.Core.Screen;

/// <summary>
/// The terminal's own colours, in one place (issue 23). Each pair used for text meets WCAG AA (the ratio is in the
/// comment; <c>LabelContrastTests</c> checks them): windows a page opens default to these, its own pages use nothing else.
/// </summary>
public static class UiPalette
{
    /// <summary>Buttons and bands with white labels: 6.4:1 against white. (Seed 003's <c>0x71A2E4</c> gives 2.6:1.)</summary>
    public static UiColor Button => new(0x1F, 0x5F, 0xAD);

    /// <summary>The pairing code's digits and the idle screen's own button: 8.0:1 on white, 7.4:1 on <see cref="PageBackground"/>.</summary>
    public static UiColor Accent => new(0x1F, 0x4E, 0x9A);

    /// <summary>Cancel / back buttons: white on it 5.9:1.</summary>
    public static UiColor Neutral => new(0x5A, 0x65, 0x77);

    /// <summary>Revoke: white on it 5.6:1.</summary>
    public static UiColor Danger => new(0xC6, 0x28, 0x28);

    /// <summary>The terminal's own pages.</summary>
    public static UiColor PageBackground => new(0xF4, 0xF6, 0xF9);

    /// <summary>Body text on <see cref="PageBackground"/>: 13.2:1.</summary>
    public static UiColor PageText => new(0x22, 0x2B, 0x38);

    /// <summary>Secondary text on <see cref="PageBackground"/>: 7.0:1.</summary>
    public static UiColor PageSecondary => new(0x4A, 0x55, 0x66);

    /// <summary>The prompt panel (what the terminal is doing), drawn over anything: nearly opaque.</summary>
    public static UiColor PromptBackground => new(0x20, 0x2A, 0x3A, 0xF0);

    /// <summary>The prompt's detail line on <see cref="PromptBackground"/>: 9.5:1 (its main line is white, 14.5:1).</summary>
    public static UiColor PromptDetail => new(0xC8, 0xD3, 0xE0);

    /// <summary>Labels on every coloured fill above.</summary>
    public static UiColor OnColour => UiColor.White;
}
