using System.Net.Sockets;
using System.Text;

namespace Appliance.Host.Systemd;

/// <summary>
/// sd_notify(3) written out: one datagram of <c>KEY=VALUE</c> lines to the socket named by <c>NOTIFY_SOCKET</c>
/// (a path, or an abstract name when it starts with '@'). Without <c>NOTIFY_SOCKET</c> every call is a no-op.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;

    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket)) return;
        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endpoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public bool IsEnabled => _socket is not null;

    /// <returns>False when not under systemd or the datagram could not be sent (systemd gone).</returns>
    public bool Notify(string state)
    {
        if (_socket is null || _endpoint is null) return false;
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// The watchdog interval systemd expects pings within, from <c>WATCHDOG_USEC</c>; null when the watchdog
    /// is off or meant for another process (<c>WATCHDOG_PID</c>).
    /// </summary>
    public static TimeSpan? WatchdogInterval(string? usec, string? pid, int ownPid)
    {
        if (!ulong.TryParse(usec, out var microseconds) || microseconds == 0) return null;
        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, out var target) || target != ownPid)) return null;
        return TimeSpan.FromMicroseconds(microseconds);
    }

    public void Dispose() => _socket?.Dispose();
}
