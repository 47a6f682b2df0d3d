using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Appliance.Discovery.Dns;

namespace Appliance.Discovery.Tests.Lab;

/// <summary>
/// A UDP socket living in one of the lab's namespaces, for the test process to send and capture mDNS
/// there itself. A socket belongs to the namespace it was made in, so it is made on a short-lived thread
/// that first moves into that namespace (setns); the thread then ends and the test uses the socket as usual.
/// </summary>
public sealed class NamespaceSocket : IDisposable
{
    private readonly Channel<(DnsMessage Message, IPEndPoint From)> _received = Channel.CreateUnbounded<(DnsMessage, IPEndPoint)>();
    private readonly CancellationTokenSource _closed = new();

    public Socket Socket { get; }

    private NamespaceSocket(Socket socket)
    {
        Socket = socket;
        _ = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>A socket in <paramref name="ns"/> bound to <paramref name="bind"/>, with SO_REUSEADDR (avahi may hold 5353 there too).</summary>
    public static NamespaceSocket Open(string ns, IPEndPoint bind)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var handle = File.OpenHandle($"/run/netns/{ns}"))
                {
                    if (LabNative.SetNs((int)handle.DangerousGetHandle(), LabNative.CloneNewNet) != 0)
                        throw new InvalidOperationException($"setns into {ns} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
                }
                socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                if (bind.AddressFamily == AddressFamily.InterNetworkV6) socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.IPv6Only, true);
                socket.Bind(bind);
            }
            catch (Exception e) { error = e; socket?.Dispose(); socket = null; }
        });
        thread.Start();
        thread.Join();
        if (error is not null) throw new InvalidOperationException($"could not open a socket in {ns}: {error.Message}", error);
        return new NamespaceSocket(socket!);
    }

    /// <summary>Joins 224.0.0.251 on the interface holding <paramref name="localV4"/>.</summary>
    public void JoinV4(IPAddress localV4) =>
        Socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(IPAddress.Parse("224.0.0.251"), localV4));

    /// <summary>Joins ff02::fb on interface <paramref name="index"/>.</summary>
    public void JoinV6(int index) =>
        Socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(IPAddress.Parse("ff02::fb"), index));

    public Task SendAsync(DnsMessage message, IPEndPoint to) => Socket.SendToAsync(message.Encode(), to);

    /// <summary>The first datagram from now on that decodes and satisfies <paramref name="match"/>; throws after <paramref name="seconds"/>.</summary>
    public async Task<(DnsMessage Message, IPEndPoint From)> WaitForAsync(Func<DnsMessage, IPEndPoint, bool> match, string what, int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var (m, from) = await _received.Reader.ReadAsync(timeout.Token);
                if (match(m, from)) return (m, from);
            }
        }
        catch (OperationCanceledException) { throw new TimeoutException($"waited {seconds} s for {what}"); }
    }

    /// <summary>Forgets what arrived so far.</summary>
    public void Skip()
    {
        while (_received.Reader.TryRead(out _)) { }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[9000];
        var any = Socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!_closed.IsCancellationRequested)
        {
            try
            {
                var r = await Socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _closed.Token);
                try { _received.Writer.TryWrite((DnsMessage.Decode(buffer.AsSpan(0, r.ReceivedBytes)), (IPEndPoint)r.RemoteEndPoint)); }
                catch (DnsFormatException) { }
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { return; }
        }
    }

    public void Dispose()
    {
        _closed.Cancel();
        Socket.Dispose();
    }
}
