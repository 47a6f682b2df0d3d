using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Appliance.Discovery.Mdns;

/// <summary>One datagram received on port 5353, with the interface it arrived on.</summary>
public sealed record MdnsPacket(byte[] Data, IPEndPoint From, int InterfaceIndex);

/// <summary>A link the responder serves, with the addresses it answers A/AAAA with there.</summary>
public sealed record MdnsInterface(int Index, string Name, IReadOnlyList<IPAddress> Addresses)
{
    public IPAddress? IPv4 => Addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);

    /// <summary>IPv6 is on for this link (it has at least its link-local address): the ff02::fb group is joined there.</summary>
    public bool HasIPv6 => Addresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6);
}

/// <summary>How the responder reaches the network; tests substitute an in-memory link.</summary>
public interface IMdnsTransport : IDisposable
{
    /// <summary>Joins the mDNS groups on every interface in <paramref name="interfaces"/> not joined yet.</summary>
    void Join(IReadOnlyList<MdnsInterface> interfaces);
    ValueTask<MdnsPacket> ReceiveAsync(CancellationToken cancel);

    /// <summary>Multicast out of <paramref name="on"/>: to 224.0.0.251 and/or ff02::fb, or only to the group of <paramref name="family"/>.</summary>
    ValueTask SendMulticastAsync(byte[] data, MdnsInterface on, AddressFamily? family, CancellationToken cancel);
    ValueTask SendUnicastAsync(byte[] data, IPEndPoint to, CancellationToken cancel);
}

/// <summary>
/// The real link: UDP 5353 on two sockets, IPv4 (group 224.0.0.251) and IPv6 (link-local group ff02::fb,
/// <c>IPV6_V6ONLY</c>), each group joined per interface index and sent out of each interface in turn.
/// Without IPv6 in the kernel the IPv6 socket is simply absent.
/// </summary>
public sealed class UdpMdnsTransport : IMdnsTransport
{
    public const int Port = 5353;
    public static readonly IPAddress GroupV4 = IPAddress.Parse("224.0.0.251");
    public static readonly IPEndPoint GroupEndPointV4 = new(GroupV4, Port);
    public static readonly IPAddress GroupV6 = IPAddress.Parse("ff02::fb");
    public static readonly IPEndPoint GroupEndPointV6 = new(GroupV6, Port);

    private readonly Socket _v4;
    private readonly Socket? _v6;
    private readonly HashSet<int> _joinedV4 = [];
    private readonly HashSet<int> _joinedV6 = [];
    private readonly Lock _sendGate = new();
    private readonly byte[] _bufferV4 = new byte[9000];
    private readonly byte[] _bufferV6 = new byte[9000];
    private readonly CancellationTokenSource _closed = new();
    // One receive outstanding per socket; one not consumed by a cancelled ReceiveAsync is kept for the next call.
    private Task<MdnsPacket>? _pendingV4;
    private Task<MdnsPacket>? _pendingV6;

    public UdpMdnsTransport(int port = Port)
    {
        _v4 = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // Other mDNS stacks on the same host share the port (RFC 6762 §15).
        _v4.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _v4.Bind(new IPEndPoint(IPAddress.Any, port));
        _v4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
        _v4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
        _v4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        _v6 = OpenV6(port);
    }

    private static Socket? OpenV6(int port)
    {
        if (!Socket.OSSupportsIPv6) return null;
        var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // IPv4 stays on its own socket: no v4-mapped duplicates of what _v4 receives.
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.IPv6Only, true);
            s.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
            // IPV6_MULTICAST_HOPS: RFC 6762 §11 wants 255, so receivers can tell on-link packets.
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, true);
            return s;
        }
        catch (SocketException)
        {
            // IPv6 disabled (ipv6.disable=1, or no address family in this namespace): serve IPv4 only.
            s.Dispose();
            return null;
        }
    }

    public void Join(IReadOnlyList<MdnsInterface> interfaces)
    {
        foreach (var i in interfaces)
        {
            if (i.IPv4 is not null && _joinedV4.Add(i.Index))
            {
                try { _v4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(GroupV4, i.Index)); }
                catch (SocketException) { _joinedV4.Remove(i.Index); }
            }
            if (_v6 is not null && i.HasIPv6 && _joinedV6.Add(i.Index))
            {
                try { _v6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(GroupV6, i.Index)); }
                catch (SocketException) { _joinedV6.Remove(i.Index); }
            }
        }
    }

    public async ValueTask<MdnsPacket> ReceiveAsync(CancellationToken cancel)
    {
        _pendingV4 ??= ReceiveOn(_v4, _bufferV4, new IPEndPoint(IPAddress.Any, 0));
        if (_v6 is not null) _pendingV6 ??= ReceiveOn(_v6, _bufferV6, new IPEndPoint(IPAddress.IPv6Any, 0));
        var done = _pendingV6 is null ? _pendingV4 : await Task.WhenAny(_pendingV4, _pendingV6).WaitAsync(cancel).ConfigureAwait(false);
        if (done == _pendingV4) _pendingV4 = null;
        else _pendingV6 = null;
        return await done.WaitAsync(cancel).ConfigureAwait(false);
    }

    private async Task<MdnsPacket> ReceiveOn(Socket socket, byte[] buffer, IPEndPoint any)
    {
        var result = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, _closed.Token).ConfigureAwait(false);
        return new MdnsPacket(buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint, result.PacketInformation.Interface);
    }

    public ValueTask SendMulticastAsync(byte[] data, MdnsInterface on, AddressFamily? family, CancellationToken cancel)
    {
        SocketException? failed = null;
        // The outgoing interface is a socket option: set it and send under one lock.
        lock (_sendGate)
        {
            if (family is null or AddressFamily.InterNetwork && on.IPv4 is { } source)
            {
                try
                {
                    _v4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, source.GetAddressBytes());
                    _v4.SendTo(data, GroupEndPointV4);
                }
                catch (SocketException e) { failed = e; }
            }
            if (family is null or AddressFamily.InterNetworkV6 && _v6 is not null && on.HasIPv6)
            {
                try
                {
                    _v6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, on.Index);
                    _v6.SendTo(data, GroupEndPointV6);
                }
                catch (SocketException e) { failed ??= e; }
            }
        }
        // One family failing (no route yet, address still tentative) does not keep the other from sending.
        return failed is null ? ValueTask.CompletedTask : ValueTask.FromException(failed);
    }

    public ValueTask SendUnicastAsync(byte[] data, IPEndPoint to, CancellationToken cancel)
    {
        var socket = to.AddressFamily == AddressFamily.InterNetworkV6 ? _v6 : _v4;
        if (socket is null) return ValueTask.CompletedTask;
        lock (_sendGate) socket.SendTo(data, to);
        return ValueTask.CompletedTask;
    }

    /// <summary>Up, multicast-capable, non-loopback interfaces with at least one IPv4 or IPv6 address.</summary>
    public static List<MdnsInterface> CurrentInterfaces(IReadOnlyCollection<string>? only = null)
    {
        var list = new List<MdnsInterface>();
        NetworkInterface[] all;
        try { all = NetworkInterface.GetAllNetworkInterfaces(); }
        catch (NetworkInformationException) { return list; }
        foreach (var n in all)
        {
            if (n.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown)) continue;
            if (n.NetworkInterfaceType == NetworkInterfaceType.Loopback || !n.SupportsMulticast) continue;
            if (only is { Count: > 0 } && !only.Contains(n.Name)) continue;
            var props = n.GetIPProperties();
            int index;
            try { index = props.GetIPv4Properties()?.Index ?? props.GetIPv6Properties()?.Index ?? -1; }
            catch (NetworkInformationException) { continue; }
            if (index < 0) continue;
            var addresses = props.UnicastAddresses.Select(a => a.Address)
                .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ThenBy(a => a.ToString(), StringComparer.Ordinal).ToList();
            if (addresses.Count > 0)
                list.Add(new MdnsInterface(index, n.Name, addresses));
        }
        return list.OrderBy(i => i.Index).ToList();
    }

    public void Dispose()
    {
        _closed.Cancel();
        _v4.Dispose();
        _v6?.Dispose();
        _closed.Dispose();
    }
}
