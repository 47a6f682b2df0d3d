using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Core.Identity;
using Appliance.Core.Screen;
using Appliance.Devices.Display;
using Appliance.Ui;
using Appliance.Ui.Text;

namespace Appliance.Adapters.Screen;

/// <summary>
/// The screen the board profile names: its framebuffer (an fbdev node, or in memory on the sim board) under a
/// <see cref="ScreenService"/>, showing the idle screen with the terminal's name from the first frame.
/// </summary>
public static class BoardScreen
{
    /// <exception cref="BoardProfileException">the board's CJK font cannot be loaded: the terminal cannot start.</exception>
    /// <param name="textScale">Large-text mode at start (configuration <c>textScale</c>), 1 to 2.</param>
    public static ScreenService Open(BoardProfile board, DeviceHealthRegistry devices, TerminalIdentity identity, float textScale = 1)
    {
        var framebuffer = OpenFramebuffer(board, devices);
        ScreenService screen;
        try
        {
            screen = new ScreenService(framebuffer, new ScreenSettings { CjkFontPath = board.Fonts.Cjk, Rotation = board.Screen.Rotation, PixelsPerMm = board.Screen.PixelsPerMm, TextScale = textScale });
        }
        catch (FontLoadException e)
        {
            framebuffer.Dispose();
            throw new BoardProfileException(board.Source, "fonts.cjk", e.Message);
        }
        // The name from the first frame; addresses, pairing state and the pairing screens follow HomeScreenService.
        screen.ShowIdle(new IdleScreenInfo { TerminalName = identity.Name });
        return screen;
    }

    private static IFramebuffer OpenFramebuffer(BoardProfile board, DeviceHealthRegistry devices)
    {
        var s = board.Screen;
        var format = s.PixelFormat == "rgb565" ? FramebufferPixelFormat.Rgb565 : FramebufferPixelFormat.Xrgb8888;
        if (board.Screen.Device == BoardProfile.Simulated)
        {
            var memory = new MemoryFramebuffer(s.Width, s.Height, format);
            devices.Report("screen", "display", DeviceState.Ready, "sim", $"in-memory framebuffer {s.Width}x{s.Height} {s.PixelFormat}");
            return memory;
        }
        try
        {
            var fb = FbdevFramebuffer.Open(s.Device);
            var detail = $"{fb.Id} {fb.Width}x{fb.Height} {fb.Format} stride {fb.Stride}";
            if (fb.Width != s.Width || fb.Height != s.Height)
                detail += $"; the profile says {s.Width}x{s.Height}, the panel's own size is used";
            devices.Report("screen", "display", DeviceState.Ready, s.Device, detail);
            return fb;
        }
        catch (DisplayDeviceException e)
        {
            // The terminal still serves the PCs (results, cards, cameras); drawing goes to memory until it restarts.
            devices.Report("screen", "display", e.IsAbsent ? DeviceState.Absent : DeviceState.Faulted, s.Device, e.Message);
            return new MemoryFramebuffer(s.Width, s.Height, format);
        }
    }
}
