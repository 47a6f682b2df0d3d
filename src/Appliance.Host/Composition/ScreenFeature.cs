using System.Net.NetworkInformation;
using System.Net.Sockets;
using Appliance.Core.Board;
using Appliance.Core.Health;
using Appliance.Core.Identity;
using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Host.Configuration;
using Appliance.Protocols.Admin;
using Appliance.Ui;
using Appliance.Core.Screen;
using Appliance.Ui.Text;

namespace Appliance.Host.Composition;

/// <summary>
/// The screen and the pen: picks the framebuffer (fbdev node, or in-memory on the sim board) and the pen transport
/// (evdev device by name, or the sim board's pipe <c>STATE/sim/pen</c>), builds the <see cref="ScreenService"/>, and on
/// the sim board serves <c>/sim/</c> and <c>/sim/screen.png</c> on the admin port. What the idle screen says is
/// <see cref="HomeScreenService"/>'s.
/// </summary>
public static class ScreenFeature
{
    public const string PenPipeRelativePath = "sim/pen";

    /// <exception cref="BoardProfileException">the board's CJK font cannot be loaded: the terminal cannot start.</exception>
    public static IServiceCollection AddScreen(this IServiceCollection services, BoardProfile board, ApplianceOptions options,
        DeviceHealthRegistry devices, TerminalIdentity identity)
    {
        var framebuffer = OpenFramebuffer(board, devices);
        ScreenService screen;
        try
        {
            screen = new ScreenService(framebuffer, new ScreenSettings { CjkFontPath = board.Fonts.Cjk, Rotation = board.Screen.Rotation });
        }
        catch (FontLoadException e)
        {
            framebuffer.Dispose();
            throw new BoardProfileException(board.Source, "fonts.cjk", e.Message);
        }
        // The name from the first frame; addresses, pairing state and the pairing screens follow HomeScreenService.
        screen.ShowIdle(new IdleScreenInfo { TerminalName = identity.Name });

        var pipePath = Path.Combine(options.StateDir, PenPipeRelativePath);
        services.AddSingleton(screen);
        services.AddSingleton(new PenSource(board, pipePath));
        services.AddHostedService<PenService>();
        if (board.IsSimulated)
            services.AddSingleton<IAdminRoutes>(_ => new SimScreenEndpoints(screen, pipePath));
        return services;
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

    internal static List<string> LocalAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
                .Select(a => a.Address.ToString())
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}

/// <summary>Where the pen comes from on this board.</summary>
internal sealed record PenSource(BoardProfile Board, string PipePath);
