using System.Net;
using System.Threading.Channels;
using Appliance.Discovery.Dns;
using Appliance.Discovery.Mdns;

namespace Appliance.Discovery.Tests;

/// <summary>An in-memory link: what the responder sends is decoded and queued; tests deliver datagrams.</summary>
internal sealed class MemoryLink(MdnsInterface onInterface) : IMdnsTransport
{
    private readonly Channel<MdnsPacket> _incoming = Channel.CreateUnbounded<MdnsPacket>();
    private readonly Channel<(DnsMessage Message, IPEndPoint? To)> _outgoing = Channel.CreateUnbounded<(DnsMessage, IPEndPoint?)>();
    private readonly List<DnsMessage> _sent = [];

    public IReadOnlyList<DnsMessage> Sent { get { lock (_sent) return _sent.ToList(); } }

    public void SkipSent()
    {
        while (_outgoing.Reader.TryRead(out _)) { }
    }

    public void Deliver(DnsMessage message, IPEndPoint from) => _incoming.Writer.TryWrite(new MdnsPacket(message.Encode(), from, onInterface.Index));

    public async Task<DnsMessage> NextMulticastAsync(Func<DnsMessage, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (m, to) = await _outgoing.Reader.ReadAsync(cts.Token);
            if (to is null && (match is null || match(m))) return m;
        }
    }

    public async Task<(DnsMessage, IPEndPoint)> NextUnicastAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (m, to) = await _outgoing.Reader.ReadAsync(cts.Token);
            if (to is not null) return (m, to);
        }
    }

    public void Join(IReadOnlyList<MdnsInterface> interfaces) { }

    public ValueTask<MdnsPacket> ReceiveAsync(CancellationToken cancel) => _incoming.Reader.ReadAsync(cancel);

    public ValueTask SendMulticastAsync(byte[] data, MdnsInterface on, CancellationToken cancel) => Record(data, null);

    public ValueTask SendUnicastAsync(byte[] data, IPEndPoint to, CancellationToken cancel) => Record(data, to);

    private ValueTask Record(byte[] data, IPEndPoint? to)
    {
        var m = DnsMessage.Decode(data);
        lock (_sent) _sent.Add(m);
        _outgoing.Writer.TryWrite((m, to));
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _incoming.Writer.TryComplete();
}
