using System.Globalization;
using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>
/// Full screen while a PC waits to pair: which PC asked and from which address, the six digits large, until when the
/// code is valid, and a cancel button for the person at the terminal who did not expect it.
/// </summary>
internal sealed class PairingCodeWindow : Window
{
    public const string CancelId = "pairing-cancel";
    private readonly FontSet _fonts;
    private readonly Action _cancel;
    private readonly List<ButtonView> _buttons = [];
    private readonly ButtonTracker _tracker = new();

    /// <param name="cancel">Called under the screen's lock when the cancel button is tapped.</param>
    public PairingCodeWindow(int width, int height, PairingCodeOptions code, FontSet fonts, Action cancel) : base(new PixelRect(0, 0, width, height))
    {
        Code = code;
        _fonts = fonts;
        _cancel = cancel;
        if (code.Cancel is not null)
            _buttons.Add(new ButtonView(CancelId, PixelRect.FromSize(width * 39 / 100, height * 82 / 100, width * 22 / 100, height * 8 / 100),
                "取消 / Cancel", height * 0.032f, UiColor.White, PageChrome.Neutral));
    }

    /// <summary>Above the paired-PCs page: a PC asking to pair while the person browses that page still shows its code.</summary>
    public override int Layer => 45;

    public PairingCodeOptions Code { get; }

    public override IReadOnlyList<ButtonView> Buttons => _buttons;

    public override void Draw(SKCanvas canvas, PixelRect dirty)
    {
        int w = Bounds.Width, h = Bounds.Height;
        PageChrome.Draw(canvas, dirty, w, h, "配对请求 · Pairing request", _fonts);
        PageChrome.Line(canvas, _fonts, $"电脑 “{Code.PcName}” ({Code.Address}) 请求与本终端配对", w, h * 0.22f, h * 0.04f, PageChrome.Text);
        PageChrome.Line(canvas, _fonts, $"The PC “{Code.PcName}” at {Code.Address} asks to pair with this terminal", w, h * 0.29f, h * 0.028f, PageChrome.Secondary);
        // Digits spaced so a person reads them off the glass easily.
        PageChrome.Line(canvas, _fonts, string.Join(' ', Code.Code.ToCharArray()), w, h * 0.52f, h * 0.14f, PageChrome.Accent.ToSk());
        PageChrome.Line(canvas, _fonts, "请在该电脑上输入此配对码 / Type this code on that PC", w, h * 0.68f, h * 0.032f, PageChrome.Text);
        var until = Code.ExpiresAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        PageChrome.Line(canvas, _fonts, $"有效至 {until} / valid until {until}", w, h * 0.74f, h * 0.026f, PageChrome.Secondary);
        foreach (var b in _buttons) b.Draw(canvas, _fonts);
    }

    public override void OnPen(in PenInput input)
    {
        var clicked = _tracker.Track(_buttons, input.X, input.Y, input.Touching, out var changed);
        if (!changed.IsEmpty) Invalidate(changed);
        if (clicked is not null) _cancel();
    }
}
