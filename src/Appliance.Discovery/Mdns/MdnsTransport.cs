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
}

/// <summary>How the responder reaches the network; tests substitute an in-memory link.</summary>
public interface IMdnsTransport : IDisposable
{
    /// <summary>Joins the mDNS group on every interface in <paramref name="interfaces"/> not joined yet.</summary>
    void Join(IReadOnlyList<MdnsInterface> interfaces);
    ValueTask<MdnsPacket> ReceiveAsync(CancellationToken cancel);
    ValueTask SendMulticastAsync(byte[] data, MdnsInterface on, CancellationToken cancel);
    ValueTask SendUnicastAsync(byte[] data, IPEndPoint to, CancellationToken cancel);
}

/// <summary>The real link: UDP 5353, group 224.0.0.251, sent out of each interface in turn.</summary>
public sealed class UdpMdnsTransport : IMdnsTransport
{
    public const int Port = 5353;
    public static readonly IPAddress GroupV4 = IPAddress.Parse("224.0.0.251");
    public static readonly IPEndPoint GroupEndPointV4 = new(GroupV4, Port);

    private readonly Socket _socket;
    private readonly HashSet<int> _joined = [];
    private readonly Lock _sendGate = new();
    private readonly byte[] _buffer = new byte[9000];

    public UdpMdnsTransport(int port = Port)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // Other mDNS stacks on the same host share the port (RFC 6762 §15).
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(new IPEndPoint(IPAddress.Any, port));
        _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
        _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
        _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
    }

    public void Join(IReadOnlyList<MdnsInterface> interfaces)
    {
        foreach (var i in interfaces)
        {
            if (i.IPv4 is null || !_joined.Add(i.Index)) continue;
            try
            {
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(GroupV4, i.Index));
            }
            catch (SocketException)
            {
                _joined.Remove(i.Index);
            }
        }
    }

    public async ValueTask<MdnsPacket> ReceiveAsync(CancellationToken cancel)
    {
        var result = await _socket.ReceiveMessageFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancel).ConfigureAwait(false);
        return new MdnsPacket(_buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint, result.PacketInformation.Interface);
    }

    public ValueTask SendMulticastAsync(byte[] data, MdnsInterface on, CancellationToken cancel)
    {
        if (on.IPv4 is not { } source) return ValueTask.CompletedTask;
        // The outgoing interface is a socket option: set it and send under one lock.
        lock (_sendGate)
        {
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, source.GetAddressBytes());
            _socket.SendTo(data, GroupEndPointV4);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask SendUnicastAsync(byte[] data, IPEndPoint to, CancellationToken cancel)
    {
        lock (_sendGate) _socket.SendTo(data, to);
        return ValueTask.CompletedTask;
    }

    /// <summary>Up, multicast-capable, non-loopback interfaces with at least one IPv4 address.</summary>
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
            try { index = props.GetIPv4Properties()?.Index ?? -1; }
            catch (NetworkInformationException) { continue; }
            if (index < 0) continue;
            var addresses = props.UnicastAddresses.Select(a => a.Address)
                .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ThenBy(a => a.ToString(), StringComparer.Ordinal).ToList();
            if (addresses.Any(a => a.AddressFamily == AddressFamily.InterNetwork))
                list.Add(new MdnsInterface(index, n.Name, addresses));
        }
        return list.OrderBy(i => i.Index).ToList();
    }

    public void Dispose() => _socket.Dispose();
}
