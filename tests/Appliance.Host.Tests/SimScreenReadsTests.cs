using System.Text.Json.Nodes;
using Appliance.Core.Screen;
using Appliance.TestSupport;
using Appliance.Ui;
using SkiaSharp;

namespace Appliance.Host.Tests;

/// <summary>
/// Issue 23's acceptance through the sim board's own <c>/sim/screen.png</c>: a page opens the signature window over
/// the UOS port, and tesseract reads its buttons and the sign-here words off the PNG a person's browser shows, on the
/// sim panel and on the sim board turned into the rk3568 profile's 800x1280 panel mounted a quarter turn, in normal
/// and large-text mode (<c>textScale</c> 1.5); each label at WCAG AA on its button.
/// </summary>
public sealed class SimScreenReadsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly TheoryData<bool, string> PanelsAndScales = new() { { false, "1" }, { false, "1.5" }, { true, "1" }, { true, "1.5" } };

    [Theory]
    [MemberData(nameof(PanelsAndScales))]
    public async Task The_signature_windows_labels_read_off_sim_screen_png(bool rk3568Panel, string textScale)
    {
        using var boards = new TempDir("boards-");
        var args = new List<string> { $"--textScale={textScale}" };
        if (rk3568Panel)
        {
            // The sim board with the rk3568 profile's panel: 800x1280 mounted turned 90°, the same 10.1 inches.
            var sim = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "board/sim/board.json")),
                documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
            var rk3568 = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "board/rk3568-sign10/board.json")),
                documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
            var screen = rk3568["screen"]!.DeepClone();
            screen["device"] = "sim";
            sim["screen"] = screen;
            Directory.CreateDirectory(boards.Combine("sim"));
            await File.WriteAllTextAsync(boards.Combine("sim", "board.json"), sim.ToJsonString(), Ct);
            args.AddRange(["--board-path", boards.Path]);
        }
        await using var terminal = await RunningTerminal.StartAsync(null, [.. args]);
        var screenService = terminal.Service<ScreenService>();
        Assert.Equal((1280, 800), (screenService.Width, screenService.Height));
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        await terminal.OpenUosSignWindowAsync(pc, "{\"penwidth\":6}");

        var png = await terminal.Http.GetByteArrayAsync("/sim/screen.png", Ct);
        using var shown = SKBitmap.Decode(png);
        Assert.Equal((1280, 800), (shown.Width, shown.Height)); // the person's orientation, whatever the panel's
        foreach (var button in screenService.Buttons())
        {
            var face = new SKRectI(button.Bounds.Left + 5, button.Bounds.Top + 5, button.Bounds.Right - 5, button.Bounds.Bottom - 5);
            Assert.Equal(button.Text, await Ocr.ReadLineAsync(png, 0, face, Ct));
            Contrast.AssertReadable(shown, face, UiContrast.Normal, button.Text);
        }
        // The blank pad's words, across its middle.
        var size = (int)Math.Max(36 * double.Parse(textScale, System.Globalization.CultureInfo.InvariantCulture), 19);
        var hint = new SKRectI(40, 400 - size, 1240, 400 + size);
        Assert.Equal("请在此签名/Pleasesignhere", await Ocr.ReadLineAsync(png, 0, hint, Ct));
        Contrast.AssertReadable(shown, hint, UiContrast.Normal, "the sign-here words");
    }
}
