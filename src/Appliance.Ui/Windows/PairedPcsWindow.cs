using System.Globalization;
using Appliance.Ui.Composition;
using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>
/// The "paired PCs" page opened from the idle screen: one row per PC (name, address, when it paired) with a revoke
/// button, pages of five, and a back button. Revoke asks first, in a dialog over the page; only its "revoke" acts.
/// </summary>
internal sealed class PairedPcsWindow : Window
{
    public const string BackId = "back", PreviousId = "previous-page", NextId = "next-page";
    public const string RevokePrefix = "revoke:", ConfirmRevokeId = "confirm-revoke", CancelRevokeId = "cancel-revoke";
    private const int RowsPerPage = 5;

    private readonly FontSet _fonts;
    private readonly Action _back;
    private readonly Action<string> _revoke;
    private readonly ButtonTracker _tracker = new();
    private List<ButtonView> _buttons = [];
    private IReadOnlyList<PairedPcView> _pcs;
    private int _page;
    private PairedPcView? _confirming;

    /// <param name="back">Called under the screen's lock when back is tapped.</param>
    /// <param name="revoke">Called under the screen's lock with the PC's id once the person confirmed.</param>
    public PairedPcsWindow(int width, int height, FontSet fonts, IReadOnlyList<PairedPcView> pcs, Action back, Action<string> revoke)
        : base(new PixelRect(0, 0, width, height))
    {
        _fonts = fonts;
        _back = back;
        _revoke = revoke;
        _pcs = pcs;
        Layout();
    }

    public override int Layer => 40;

    public override IReadOnlyList<ButtonView> Buttons => _buttons;

    /// <summary>The PC whose revoke waits for confirmation, or null.</summary>
    public PairedPcView? Confirming => _confirming;

    private int Pages => Math.Max(1, (_pcs.Count + RowsPerPage - 1) / RowsPerPage);

    /// <summary>A fresh list (after a revoke here or through the admin API); a confirmation for a PC that left is dropped.</summary>
    public void SetList(IReadOnlyList<PairedPcView> pcs)
    {
        _pcs = pcs;
        if (_confirming is not null && !pcs.Any(p => p.Id == _confirming.Id)) _confirming = null;
        _page = Math.Min(_page, Pages - 1);
        Layout();
        InvalidateAll();
    }

    private float W => Bounds.Width;
    private float H => Bounds.Height;
    private SKRect Row(int i) => new(W * 0.05f, H * (0.16f + i * 0.112f), W * 0.95f, H * (0.16f + i * 0.112f + 0.1f));
    private SKRect Dialog => new(W * 0.2f, H * 0.3f, W * 0.8f, H * 0.7f);

    private void Layout()
    {
        var buttons = new List<ButtonView>();
        var font = H * 0.03f;
        if (_confirming is not null)
        {
            buttons.Add(new ButtonView(ConfirmRevokeId, Rect(W * 0.27f, H * 0.56f, W * 0.2f, H * 0.09f), "撤销 / Revoke", font, UiColor.White, PageChrome.Danger));
            buttons.Add(new ButtonView(CancelRevokeId, Rect(W * 0.53f, H * 0.56f, W * 0.2f, H * 0.09f), "取消 / Cancel", font, UiColor.White, PageChrome.Neutral));
        }
        else
        {
            foreach (var (pc, i) in PageRows())
            {
                var row = Row(i);
                buttons.Add(new ButtonView(RevokePrefix + pc.Id, Rect(row.Right - W * 0.165f, row.MidY - H * 0.033f, W * 0.15f, H * 0.066f),
                    "撤销 / Revoke", H * 0.026f, UiColor.White, PageChrome.Danger));
            }
            buttons.Add(new ButtonView(BackId, Rect(W * 0.05f, H * 0.86f, W * 0.16f, H * 0.09f), "返回 / Back", font, UiColor.White, PageChrome.Neutral));
            if (_page > 0)
                buttons.Add(new ButtonView(PreviousId, Rect(W * 0.62f, H * 0.86f, W * 0.14f, H * 0.09f), "上一页 / Prev", font, UiColor.White, PageChrome.Accent));
            if (_page < Pages - 1)
                buttons.Add(new ButtonView(NextId, Rect(W * 0.81f, H * 0.86f, W * 0.14f, H * 0.09f), "下一页 / Next", font, UiColor.White, PageChrome.Accent));
        }
        _buttons = buttons;
    }

    private static PixelRect Rect(float left, float top, float width, float height) =>
        PixelRect.FromSize((int)left, (int)top, (int)width, (int)height);

    private IEnumerable<(PairedPcView Pc, int Index)> PageRows() =>
        _pcs.Skip(_page * RowsPerPage).Take(RowsPerPage).Select((pc, i) => (pc, i));

    public override void Draw(SKCanvas canvas, PixelRect dirty)
    {
        int w = Bounds.Width, h = Bounds.Height;
        PageChrome.Draw(canvas, dirty, w, h, "已配对的电脑 · Paired PCs", _fonts);
        using var paint = new SKPaint { IsAntialias = true };
        if (_pcs.Count == 0)
            PageChrome.Line(canvas, _fonts, "没有已配对的电脑 / No PC is paired", w, h * 0.45f, h * 0.04f, PageChrome.Secondary);
        using var nameFont = _fonts.Font(h * 0.034f);
        using var detailFont = _fonts.Font(h * 0.024f);
        foreach (var (pc, i) in PageRows())
        {
            var row = Row(i);
            paint.Color = SKColors.White;
            canvas.DrawRoundRect(row, 10, 10, paint);
            var text = new SKRect(row.Left + w * 0.02f, row.Top, row.Right - w * 0.19f, row.Bottom);
            paint.Color = PageChrome.Text;
            canvas.DrawFittedText(pc.Name, new SKRect(text.Left, text.Top, text.Right, text.MidY + h * 0.005f), nameFont, paint, _fonts.MinSize, SKTextAlign.Left);
            paint.Color = PageChrome.Secondary;
            var paired = pc.PairedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            canvas.DrawFittedText($"{pc.Address} · 配对于 / paired {paired}", new SKRect(text.Left, text.MidY, text.Right, text.Bottom - h * 0.01f), detailFont, paint, _fonts.MinSize, SKTextAlign.Left);
        }
        if (Pages > 1)
            PageChrome.Line(canvas, _fonts, $"{_page + 1} / {Pages}", w, h * 0.905f, h * 0.028f, PageChrome.Secondary);
        if (_confirming is { } pcToRevoke)
        {
            // The page dimmed underneath: only the dialog's buttons act now.
            paint.Color = new SKColor(0, 0, 0, 0x80);
            canvas.DrawRect(new SKRect(0, 0, w, h), paint);
            paint.Color = SKColors.White;
            canvas.DrawRoundRect(Dialog, 16, 16, paint);
            var box = Dialog;
            using var title = _fonts.Font(h * 0.036f);
            paint.Color = PageChrome.Text;
            canvas.DrawFittedText($"撤销与 “{pcToRevoke.Name}” 的配对？", new SKRect(box.Left + 20, h * 0.34f, box.Right - 20, h * 0.42f), title, paint, _fonts.MinSize);
            using var detail = _fonts.Font(h * 0.024f);
            paint.Color = PageChrome.Secondary;
            canvas.DrawFittedText($"Revoke the pairing of {pcToRevoke.Address}? That PC must pair again to use the terminal.",
                new SKRect(box.Left + 20, h * 0.44f, box.Right - 20, h * 0.5f), detail, paint, _fonts.MinSize);
        }
        foreach (var b in _buttons) b.Draw(canvas, _fonts);
    }

    public override void OnPen(in PenInput input)
    {
        var clicked = _tracker.Track(_buttons, input.X, input.Y, input.Touching, out var changed);
        if (!changed.IsEmpty) Invalidate(changed);
        if (clicked is null) return;
        switch (clicked.Id)
        {
            case BackId:
                _back();
                return;
            case PreviousId:
                _page = Math.Max(0, _page - 1);
                break;
            case NextId:
                _page = Math.Min(Pages - 1, _page + 1);
                break;
            case ConfirmRevokeId:
                var id = _confirming!.Id;
                _confirming = null;
                _revoke(id);
                break;
            case CancelRevokeId:
                _confirming = null;
                break;
            default:
                if (clicked.Id.StartsWith(RevokePrefix, StringComparison.Ordinal))
                    _confirming = _pcs.FirstOrDefault(p => p.Id == clicked.Id[RevokePrefix.Length..]);
                break;
        }
        Layout();
        InvalidateAll();
    }
}
