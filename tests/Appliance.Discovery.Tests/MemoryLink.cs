using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Appliance.Discovery.Dns;
using Appliance.Discovery.Mdns;

namespace Appliance.Discovery.Tests;

/// <summary>An in-memory link: what the responder sends is decoded and queued; tests deliver datagrams.</summary>
internal sealed class MemoryLink(MdnsInterface onInterface) : IMdnsTransport
{
    private readonly Channel<MdnsPacket> _incoming = Channel.CreateUnbounded<MdnsPacket>();
    private readonly Channel<(DnsMessage Message, IPEndPoint? To, AddressFamily? Family)> _outgoing = Channel.CreateUnbounded<(DnsMessage, IPEndPoint?, AddressFamily?)>();
    private readonly List<DnsMessage> _sent = [];

    public IReadOnlyList<DnsMessage> Sent { get { lock (_sent) return _sent.ToList(); } }

    public void SkipSent()
    {
        while (_outgoing.Reader.TryRead(out _)) { }
    }

    public void Deliver(DnsMessage message, IPEndPoint from) => _incoming.Writer.TryWrite(new MdnsPacket(message.Encode(), from, onInterface.Index));

    public async Task<DnsMessage> NextMulticastAsync(Func<DnsMessage, bool>? match = null) => (await NextMulticastWithFamilyAsync(match)).Message;

    /// <summary>The next multicast and the family it was sent to (null: both groups).</summary>
    public async Task<(DnsMessage Message, AddressFamily? Family)> NextMulticastWithFamilyAsync(Func<DnsMessage, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (m, to, family) = await _outgoing.Reader.ReadAsync(cts.Token);
            if (to is null && (match is null || match(m))) return (m, family);
        }
    }

    public async Task<(DnsMessage, IPEndPoint)> NextUnicastAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (m, to, _) = await _outgoing.Reader.ReadAsync(cts.Token);
            if (to is not null) return (m, to);
        }
    }

    public void Join(IReadOnlyList<MdnsInterface> interfaces) { }

    public ValueTask<MdnsPacket> ReceiveAsync(CancellationToken cancel) => _incoming.Reader.ReadAsync(cancel);

    public ValueTask SendMulticastAsync(byte[] data, MdnsInterface on, AddressFamily? family, CancellationToken cancel) => Record(data, null, family);

    public ValueTask SendUnicastAsync(byte[] data, IPEndPoint to, CancellationToken cancel) => Record(data, to, to.AddressFamily);

    private ValueTask Record(byte[] data, IPEndPoint? to, AddressFamily? family)
    {
        var m = DnsMessage.Decode(data);
        lock (_sent) _sent.Add(m);
        _outgoing.Writer.TryWrite((m, to, family));
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _incoming.Writer.TryComplete();
}
