using System.Net.Sockets;
using System.Text.RegularExpressions;
using Appliance.Host.Configuration;

namespace Appliance.Host;

/// <summary>
/// Start-up failures that end the process with one line and a documented exit status (README "Exit statuses")
/// instead of the runtime's unhandled-exception abort.
/// </summary>
public static partial class StartupFailure
{
    /// <summary>Configuration, board profile, state directory or a missing screen node: restarting will not help.</summary>
    public const int Configuration = 2;

    /// <summary>A port is taken (another appliance?): it may clear, so systemd restarts the unit.</summary>
    public const int PortInUse = 3;

    /// <summary>
    /// The line for Kestrel's bind failure (an <see cref="IOException"/> "Failed to bind to address URL: address
    /// already in use." over a <see cref="SocketException"/>), or null when <paramref name="e"/> is something else.
    /// </summary>
    public static string? PortInUseMessage(Exception e, ApplianceOptions options)
    {
        if (!Chain(e).Any(x => x is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }))
            return null;
        var where = Chain(e).Select(x => BindAddress().Match(x.Message)).FirstOrDefault(m => m.Success);
        var port = where is null ? "" : where.Groups["port"].Value;
        var role = port switch
        {
            _ when port == Text(options.Ports.Uos) => " (UOS)",
            _ when port == Text(options.Ports.CameraService) => " (CameraService)",
            _ when port == Text(options.Ports.Admin) => " (admin)",
            _ => "",
        };
        var on = options.Bind == "*" ? "every address" : options.Bind;
        return port.Length == 0
            ? $"a port ({Text(options.Ports.Uos)}, {Text(options.Ports.CameraService)} or {Text(options.Ports.Admin)}) on {on} is in use (another appliance running?)"
            : $"port {port}{role} on {on} is in use (another appliance running?)";
    }

    /// <summary>
    /// Binds and releases each port as Kestrel will (the same address, SO_REUSEADDR as Kestrel on Linux) before
    /// anything starts, so a taken port is said in one line without the host's own "failed to start" log. The
    /// catch around StartAsync still covers a port taken between this look and Kestrel's bind.
    /// </summary>
    public static string? FindPortInUse(ApplianceOptions options)
    {
        foreach (var port in new[] { options.Ports.Uos, options.Ports.CameraService, options.Ports.Admin })
        {
            var any = options.Bind == "*";
            var address = any ? System.Net.IPAddress.IPv6Any : System.Net.IPAddress.Parse(options.Bind);
            try
            {
                using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (any) probe.DualMode = true;
                probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                probe.Bind(new System.Net.IPEndPoint(address, port));
                probe.Listen(1);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return PortInUseMessage(new IOException($"Failed to bind to address http://{(any ? "[::]" : options.Bind)}:{Text(port)}", e), options);
            }
            catch (SocketException)
            {
                // No IPv6 or an address this machine lacks: Kestrel says so itself.
            }
        }
        return null;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a)
                foreach (var inner in a.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }

    private static string Text(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"https?://(?:\[[^\]]*\]|[^:/\s]+):(?<port>\d+)")]
    private static partial Regex BindAddress();
}
