using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>The idle screen's small "配对管理 / Paired PCs" button, bottom right; shown only while the idle screen is.</summary>
internal sealed class PairedPcsButtonWindow : Window
{
    public const string ButtonId = "paired-pcs";
    private readonly FontSet _fonts;
    private readonly Action _open;
    private readonly ButtonView _button;
    private readonly ButtonTracker _tracker = new();

    /// <param name="open">Called under the screen's lock when the button is tapped.</param>
    public PairedPcsButtonWindow(int screenWidth, int screenHeight, FontSet fonts, Action open)
        : base(PixelRect.FromSize(screenWidth - screenWidth / 5 - screenHeight / 40, screenHeight - screenHeight * 2 / 25 - screenHeight / 40, screenWidth / 5, screenHeight * 2 / 25))
    {
        _fonts = fonts;
        _open = open;
        _button = new ButtonView(ButtonId, new PixelRect(0, 0, Bounds.Width, Bounds.Height), "配对管理 / Paired PCs",
            screenHeight * 0.028f, UiColor.White, PageChrome.Accent);
    }

    /// <summary>Under prompts and every task window: a task's window covers it.</summary>
    public override int Layer => 5;

    public override IReadOnlyList<ButtonView> Buttons => [_button];

    public override void Draw(SKCanvas canvas, PixelRect dirty)
    {
        using (var paint = new SKPaint { Color = PageChrome.Background })
            canvas.DrawRect(new SKRect(0, 0, Bounds.Width, Bounds.Height), paint);
        _button.Draw(canvas, _fonts);
    }

    public override void OnPen(in PenInput input)
    {
        var clicked = _tracker.Track(Buttons, input.X, input.Y, input.Touching, out var changed);
        if (!changed.IsEmpty) Invalidate(changed);
        if (clicked is not null) _open();
    }
}
