using Appliance.Core.Screen;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>The base layer when nothing else is shown: the terminal's name, its addresses and its pairing state.</summary>
internal sealed class IdleScreen(int width, int height, FontSet fonts) : Composition.IBaseLayer
{
    public IdleScreenInfo Info { get; set; } = new();

    public void Draw(SKCanvas canvas, PixelRect dirty)
    {
        // Everything below is a few text lines; drawing them whole under the clip is cheap.
        PageChrome.Draw(canvas, dirty, width, height, "电子签批终端 · Signing terminal", fonts);
        var y = height * 0.3f;
        PageChrome.Line(canvas, fonts, Info.TerminalName, width, y, height * 0.06f, PageChrome.Text);
        y += height * 0.11f;
        foreach (var address in Info.Addresses.Take(4))
        {
            PageChrome.Line(canvas, fonts, address, width, y, height * 0.032f, PageChrome.Secondary);
            y += height * 0.05f;
        }
        y += height * 0.03f;
        if (!string.IsNullOrEmpty(Info.PairingState))
            PageChrome.Line(canvas, fonts, Info.PairingState, width, y, height * 0.032f, PageChrome.Secondary);
    }
}
