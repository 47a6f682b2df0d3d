using Appliance.TestSupport;
using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Tests;

/// <summary>
/// Issue 23's acceptance, window by window: on the 1280x800 panel and on the rk3568 profile's 800x1280 panel turned a
/// quarter, in normal and large-text mode, tesseract reads every button's label off the panel's pixels, and each label
/// stands at WCAG AA contrast on its button. The screen's button list says only where to look (as a person's eye goes
/// to a button); what the label says is read from the pixels.
/// </summary>
public sealed class EveryWindowReadsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly TheoryData<int, int, int, float> PanelsAndScales = new()
    {
        { 1280, 800, 0, 1f }, { 1280, 800, 0, 1.5f }, { 800, 1280, 90, 1f }, { 800, 1280, 90, 1.5f },
    };

    [Theory]
    [MemberData(nameof(PanelsAndScales))]
    public async Task The_signature_windows_buttons(int width, int height, int rotation, float scale)
    {
        await using var pad = Pad(width, height, rotation, scale);
        var window = await pad.OpenSignatureWindowAsync(Ct);
        await AssertEveryButtonReadsAsync(pad, rotation, expected: 2);
        await window.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(PanelsAndScales))]
    public async Task The_evaluation_windows_labels_under_their_faces(int width, int height, int rotation, float scale)
    {
        await using var pad = Pad(width, height, rotation, scale);
        _ = pad.Screen.ShowEvaluationAsync(new EvaluationWindowOptions(), Ct);
        await SignPad.WaitUntilAsync(() => pad.Screen.Buttons().Count == 4, "the evaluation window");
        // A face above each label: the label is the strip at the button's foot (its text 1.4 lines high).
        var labelHeight = (int)Math.Ceiling(Math.Max(18 * scale, MinTextPx) * 1.4f) + 4;
        await AssertEveryButtonReadsAsync(pad, rotation, expected: 4, b => b with { Top = b.Bottom - labelHeight });
    }

    [Theory]
    [MemberData(nameof(PanelsAndScales))]
    public async Task Floating_buttons(int width, int height, int rotation, float scale)
    {
        await using var pad = Pad(width, height, rotation, scale);
        await pad.Screen.ShowFloatingButtonsAsync(new FloatingButtonGroupOptions
        {
            Buttons = [new FloatingButton { Content = "确认" }, new FloatingButton { Content = "签名 / Sign" }],
        }, Ct);
        await AssertEveryButtonReadsAsync(pad, rotation, expected: 2);
    }

    [Theory]
    [MemberData(nameof(PanelsAndScales))]
    public async Task The_idle_screens_button_and_the_pairing_code_window(int width, int height, int rotation, float scale)
    {
        await using var pad = Pad(width, height, rotation, scale);
        pad.Screen.SetPairedPcsMenu(new PairedPcsMenu { List = () => [], Revoke = _ => { } });
        pad.Screen.ShowIdle(new IdleScreenInfo { TerminalName = "SIGN-10 0042", Addresses = ["192.0.2.10"], PairingState = "未配对 / not paired" });
        await AssertEveryButtonReadsAsync(pad, rotation, expected: 1);

        pad.Screen.ShowPairingCode(new PairingCodeOptions
        {
            RequestId = "req-1", Code = "305172", PcName = "柜台 PC-01", Address = "192.0.2.7", ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(2), Cancel = () => { },
        });
        await AssertEveryButtonReadsAsync(pad, rotation, expected: 1);
    }

    [Theory]
    [MemberData(nameof(PanelsAndScales))]
    public async Task The_paired_pcs_page_and_its_revoke_dialog(int width, int height, int rotation, float scale)
    {
        await using var pad = Pad(width, height, rotation, scale);
        var pcs = Enumerable.Range(1, 6).Select(i => new PairedPcView($"pc_{i}", $"柜台 {i}", $"192.0.2.{i}", DateTimeOffset.UtcNow.AddDays(-i))).ToList();
        pad.Screen.SetPairedPcsMenu(new PairedPcsMenu { List = () => pcs, Revoke = _ => { } });
        var open = pad.Screen.Buttons().Single(b => b.Id == "paired-pcs");
        await pad.TapOnScreenAsync(open.CentreX, open.CentreY);
        Assert.True(pad.Screen.IsPairedPcsPageOpen);
        await AssertEveryButtonReadsAsync(pad, rotation, expected: 7); // five 撤销, 返回, 下一页

        var revoke = pad.Screen.Buttons().First(b => b.Id.StartsWith("revoke:", StringComparison.Ordinal));
        await pad.TapOnScreenAsync(revoke.CentreX, revoke.CentreY);
        await AssertEveryButtonReadsAsync(pad, rotation, expected: 2); // 撤销 / Revoke, 取消 / Cancel
    }

    [Theory]
    [MemberData(nameof(PanelsAndScales))]
    public async Task The_document_windows_buttons_and_its_caption(int width, int height, int rotation, float scale)
    {
        await using var pad = Pad(width, height, rotation, scale);
        var pdf = SamplePdf.Create(pages: 2);
        using var view = pad.Screen.ShowDocument(new Core.Documents.DocumentViewOptions { Pdf = pdf, Caption = Core.Documents.DocumentSigning.CaptionFor(pdf, null) });
        await AssertEveryButtonReadsAsync(pad, rotation, expected: 7);

        // The document's short hash, as the person reads it at the top before signing: "文档 / Document 1a2b 3c4d ...".
        var hash = Core.Documents.DocumentSigning.ShortHash(pdf);
        var line = (int)Math.Ceiling(Math.Max(20 * scale, MinTextPx) * 1.5f);
        var caption = new SKRectI(16, 4, (rotation == 90 ? height : width) - 16, 4 + line); // the caption and the page label
        var png = pad.PanelPng();
        var read = await Ocr.ReadLineAsync(png, rotation, caption, Ct);
        Assert.True(read.Contains(string.Concat(hash.Where(c => c != ' ')), StringComparison.OrdinalIgnoreCase), $"the caption should show {hash}, reads \"{read}\"");
        using var stored = SKBitmap.Decode(png);
        using var upright = Ocr.Upright(stored, rotation);
        Contrast.AssertReadable(upright, caption, UiContrast.Normal, "the document's caption");
    }

    [Theory]
    [MemberData(nameof(PanelsAndScales))]
    public async Task A_signing_orders_document_opens_with_the_signers_box_in_view_and_its_sign_and_refuse_buttons(int width, int height, int rotation, float scale)
    {
        await using var pad = Pad(width, height, rotation, scale);
        var pdf = SamplePdf.Create(pages: 2);
        // The box near the foot of page 2: the window opens on that page, scrolled so the box shows.
        var box = new Core.Documents.DocumentBox(1, 0.55, 0.80, 0.30, 0.10);
        using var view = pad.Screen.ShowDocument(new Core.Documents.DocumentViewOptions
        {
            Pdf = pdf, Caption = "Contract   签署人 / Signer 林示例", LongPressSigns = false, StartPage = 1, SignHere = [box], CancelLabel = "拒签 Refuse",
        });
        await AssertEveryButtonReadsAsync(pad, rotation, expected: 8);

        // The person sees the outlined box and its words, as a picture: the box's blue outline found on the page, read inside.
        var png = pad.PanelPng();
        using var stored = SKBitmap.Decode(png);
        using var upright = Ocr.Upright(stored, rotation);
        var outline = new SKColor(0x0D, 0x47, 0xA1);
        var toolbarTop = pad.Screen.Buttons().Min(b => b.Bounds.Top);
        var points = Enumerable.Range(0, upright.Height).Where(y => y < toolbarTop - 4)
            .SelectMany(y => Enumerable.Range(0, upright.Width).Where(x => upright.GetPixel(x, y) == outline).Select(x => (x, y))).ToList();
        Assert.True(points.Count > 40, "the 签名处 / Sign here box is on screen");
        var found = new SKRectI(points.Min(p => p.x) + 4, points.Min(p => p.y) + 4, points.Max(p => p.x) - 4, points.Max(p => p.y) - 4);
        var read = await Ocr.ReadLineAsync(png, rotation, found, Ct);
        Assert.Contains("签名处", read, StringComparison.Ordinal);
        Contrast.AssertReadable(upright, found, UiContrast.Normal, "the Sign here box's words");
    }

    [Theory]
    [MemberData(nameof(PanelsAndScales))]
    public async Task A_prompt_telling_how_a_task_ended(int width, int height, int rotation, float scale)
    {
        await using var pad = Pad(width, height, rotation, scale);
        pad.Screen.ShowPrompt(new PromptOptions { Text = "签名完成 / Signature done" });
        // The prompt panel: centred, 2/3 x 1/3 of the 1280x800 screen; the Chinese line, the English line under it.
        const int w = 1280 * 2 / 3, h = 800 / 3, left = (1280 - w) / 2, top = (800 - h) / 2;
        var chinese = new SKRectI(left + 20, top + h * 8 / 100, left + w - 20, top + h * 40 / 100);
        var english = new SKRectI(left + 20, top + h * 40 / 100, left + w - 20, top + h * 60 / 100);
        var png = pad.PanelPng();
        Assert.Equal("签名完成", await Ocr.ReadLineAsync(png, rotation, chinese, Ct));
        Assert.Equal("Signaturedone", await Ocr.ReadLineAsync(png, rotation, english, Ct));
        using var stored = SKBitmap.Decode(png);
        using var upright = Ocr.Upright(stored, rotation);
        Contrast.AssertReadable(upright, chinese, UiContrast.Normal, "the prompt's Chinese line");
        Contrast.AssertReadable(upright, english, UiContrast.Normal, "the prompt's English line");
    }

    private static int MinTextPx => new ScreenSettings { CjkFontPath = SignPad.FontPath }.MinTextPx;

    private static SignPad Pad(int width, int height, int rotation, float scale)
    {
        var pad = new SignPad(width, height, rotation);
        pad.Screen.TextScale = scale;
        return pad;
    }

    /// <summary>
    /// Every button the pen can tap now: its label, as tesseract reads it inside the button's rounded border, is what the
    /// button says (spaces aside), and the label stands at 4.5:1 or more on the button's fill.
    /// </summary>
    private static async Task AssertEveryButtonReadsAsync(SignPad pad, int rotation, int expected, Func<SKRectI, SKRectI>? labelArea = null)
    {
        var buttons = pad.Screen.Buttons();
        Assert.Equal(expected, buttons.Count);
        var png = pad.PanelPng();
        using var stored = SKBitmap.Decode(png);
        using var upright = Ocr.Upright(stored, rotation);
        foreach (var button in buttons)
        {
            var r = button.Bounds;
            var face = new SKRectI(r.Left + 5, r.Top + 5, r.Right - 5, r.Bottom - 5);
            var area = labelArea?.Invoke(face) ?? face;
            var read = await Ocr.ReadLineAsync(png, rotation, area, Ct);
            Assert.True(read == Squeezed(button.Text), $"button {button.Id} says \"{button.Text}\" but reads as \"{read}\" at scale {pad.Screen.TextScale}");
            Contrast.AssertReadable(upright, area, UiContrast.Normal, $"button {button.Id} \"{button.Text}\"");
        }
    }

    private static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
