using Appliance.Core.Screen;
using SkiaSharp;

namespace Appliance.Ui.Tests;

/// <summary>The terminal's own pairing screens: the code full screen, and the paired-PCs page behind the idle screen's button.</summary>
public sealed class PairingScreensTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private const uint Accent = 0x1F4E9A, Danger = 0xC62828, Neutral = 0x5A6577;

    private static PairingCodeOptions Code(Action? cancel = null) => new()
    {
        RequestId = "req-1", Code = "305172", PcName = "柜台 PC-01", Address = "192.0.2.7", ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(2), Cancel = cancel,
    };

    private static byte[] Shot(SignPad pad) => pad.Screen.CapturePng();

    private static ScreenButton Button(SignPad pad, string id) => pad.Screen.Buttons().Single(b => b.Id == id);

    private static int Count(SignPad pad, uint rgb, int x0, int y0, int x1, int y1) =>
        Enumerable.Range(x0, x1 - x0).SelectMany(x => Enumerable.Range(y0, y1 - y0).Select(y => (x, y))).Count(p => pad.Pixel(p.x, p.y) == rgb);

    [Fact]
    public async Task The_code_covers_the_idle_screen_large_and_cancel_brings_the_idle_screen_back()
    {
        await using var pad = new SignPad();
        pad.Screen.ShowIdle(new IdleScreenInfo { TerminalName = "SIGN-10 0042", Addresses = ["192.0.2.10"], PairingState = "未配对 / not paired" });
        var idle = Shot(pad);
        var cancelled = 0;
        pad.Screen.ShowPairingCode(Code(() => cancelled++));

        // Six digits in the accent colour across the middle of the screen, where the idle screen has none.
        Assert.True(Count(pad, Accent, 200, 330, 1080, 500) > 2000);
        Assert.Equal(Code().RequestId, pad.Screen.PairingCode?.RequestId);
        var cancel = Button(pad, "pairing-cancel");
        Assert.Equal("取消 / Cancel", cancel.Text);
        Assert.Equal(Neutral, pad.Pixel(cancel.Bounds.Left + 10, cancel.Bounds.Top + 4));
        // The same code again changes nothing on screen.
        var frames = pad.Screen.FrameVersion;
        pad.Screen.ShowPairingCode(Code(() => cancelled++));
        Assert.Equal(frames, pad.Screen.FrameVersion);

        await pad.TapAsync(cancel.CentreX, cancel.CentreY);
        Assert.Equal(1, cancelled);
        Assert.Null(pad.Screen.PairingCode);
        Assert.Equal(idle, Shot(pad));
    }

    [Fact]
    public async Task Paired_pcs_page_lists_pages_of_five_and_revokes_only_after_confirmation()
    {
        await using var pad = new SignPad();
        var pcs = Enumerable.Range(1, 7).Select(i => new PairedPcView($"pc_{i}", $"Teller {i}", $"192.0.2.{i}", DateTimeOffset.UtcNow.AddDays(-i))).ToList();
        var revoked = new List<string>();
        pad.Screen.SetPairedPcsMenu(new PairedPcsMenu { List = () => pcs.ToList(), Revoke = id => { revoked.Add(id); pcs.RemoveAll(p => p.Id == id); } });
        var idle = Shot(pad);

        // The idle screen's button, bottom right, in the accent colour.
        var open = Button(pad, "paired-pcs");
        Assert.True(open.Bounds.Left > pad.Screen.Width / 2 && open.Bounds.Top > pad.Screen.Height * 3 / 4);
        Assert.Equal(Accent, pad.Pixel(open.Bounds.Left + 10, open.Bounds.Top + 4));
        await pad.TapAsync(open.CentreX, open.CentreY);
        Assert.True(pad.Screen.IsPairedPcsPageOpen);
        Assert.Equal(["revoke:pc_1", "revoke:pc_2", "revoke:pc_3", "revoke:pc_4", "revoke:pc_5"],
            pad.Screen.Buttons().Where(b => b.Id.StartsWith("revoke:", StringComparison.Ordinal)).OrderBy(b => b.Bounds.Top).Select(b => b.Id));
        Assert.DoesNotContain(pad.Screen.Buttons(), b => b.Id == "paired-pcs");
        var firstRevoke = Button(pad, "revoke:pc_1");
        Assert.Equal(Danger, pad.Pixel(firstRevoke.Bounds.Left + 10, firstRevoke.Bounds.Top + 4));

        var next = Button(pad, "next-page");
        await pad.TapAsync(next.CentreX, next.CentreY);
        Assert.Equal(["revoke:pc_6", "revoke:pc_7"], pad.Screen.Buttons().Where(b => b.Id.StartsWith("revoke:", StringComparison.Ordinal)).OrderBy(b => b.Bounds.Top).Select(b => b.Id));
        Assert.Contains(pad.Screen.Buttons(), b => b.Id == "previous-page");

        // Revoke asks first: the page dims and only the dialog's two buttons can be tapped; cancel keeps the PC.
        var revoke7 = Button(pad, "revoke:pc_7");
        var beforeDialog = Shot(pad);
        await pad.TapAsync(revoke7.CentreX, revoke7.CentreY);
        Assert.Equal(["cancel-revoke", "confirm-revoke"], pad.Screen.Buttons().Select(b => b.Id).Order(StringComparer.Ordinal));
        Assert.NotEqual(beforeDialog, Shot(pad));
        var no = Button(pad, "cancel-revoke");
        await pad.TapAsync(no.CentreX, no.CentreY);
        Assert.Empty(revoked);
        Assert.Equal(beforeDialog, Shot(pad));

        await pad.TapAsync(revoke7.CentreX, revoke7.CentreY);
        var yes = Button(pad, "confirm-revoke");
        Assert.Equal(Danger, pad.Pixel(yes.Bounds.Left + 10, yes.Bounds.Top + 4));
        await pad.TapAsync(yes.CentreX, yes.CentreY);
        Assert.Equal(["pc_7"], revoked);
        // The page re-read the list: pc_7's row is gone, pc_6 stays on page 2.
        Assert.Equal(["revoke:pc_6"], pad.Screen.Buttons().Where(b => b.Id.StartsWith("revoke:", StringComparison.Ordinal)).Select(b => b.Id));

        var back = Button(pad, "back");
        await pad.TapAsync(back.CentreX, back.CentreY);
        Assert.False(pad.Screen.IsPairedPcsPageOpen);
        Assert.Equal(idle, Shot(pad));
    }

    [Fact]
    public async Task Withdrawing_the_menu_closes_the_page_and_the_carousel_hides_the_button()
    {
        await using var pad = new SignPad();
        var menu = new PairedPcsMenu { List = () => [], Revoke = _ => { } };
        var bare = Shot(pad);
        pad.Screen.SetPairedPcsMenu(menu);
        var open = Button(pad, "paired-pcs");
        await pad.TapAsync(open.CentreX, open.CentreY);
        Assert.True(pad.Screen.IsPairedPcsPageOpen);
        Assert.Equal(["back"], pad.Screen.Buttons().Select(b => b.Id));

        // A task takes the screen: the host withdraws the menu; page and button go, the idle screen is bare again.
        pad.Screen.SetPairedPcsMenu(null);
        Assert.False(pad.Screen.IsPairedPcsPageOpen);
        Assert.Empty(pad.Screen.Buttons());
        Assert.Equal(bare, Shot(pad));

        pad.Screen.SetPairedPcsMenu(menu);
        using (var red = new SKBitmap(64, 64))
        {
            red.Erase(SKColors.Red);
            using var png = red.Encode(SKEncodedImageFormat.Png, 100);
            await pad.Screen.StartCarouselAsync(new CarouselOptions { Pictures = [UiImageSource.FromBytes(png.ToArray())] }, Ct);
        }
        Assert.DoesNotContain(pad.Screen.Buttons(), b => b.Id == "paired-pcs");
        pad.Screen.StopCarousel();
        Assert.Contains(pad.Screen.Buttons(), b => b.Id == "paired-pcs");
    }
}
