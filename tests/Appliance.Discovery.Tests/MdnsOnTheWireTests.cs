using System.Net;
using System.Net.Sockets;
using Appliance.Discovery.Dns;
using Appliance.Discovery.Tests.Lab;
using Appliance.TestSupport;

namespace Appliance.Discovery.Tests;

/// <summary>
/// The real terminal in a lab namespace, and the test itself sending and capturing mDNS datagrams in the
/// PC namespace: the bytes another host on the link receives.
/// </summary>
[Collection("netns")]
public sealed class MdnsOnTheWireTests
{
    private const string SignTerm = "_signterm._tcp.local";

    [Fact]
    public async Task A_legacy_query_over_IPv6_gets_a_unicast_IPv6_answer_with_the_terminals_AAAA_records()
    {
        NetnsLab.SkipUnlessRoot();
        await using var lab = await NetnsLab.StartAsync();
        var (ns, address) = await lab.AddHostAsync();
        using var state = new TempDir();
        lab.StartTerminal(ns, state.Path, "--discovery:instanceName=Six");
        var bridge = await NetnsLab.InterfaceIndexAsync(lab.PcNamespace, "br0");
        using var pc = NamespaceSocket.Open(lab.PcNamespace, new IPEndPoint(IPAddress.IPv6Any, 0));
        var group = new IPEndPoint(new IPAddress(UdpMdnsTransportGroupV6Bytes, bridge), 5353);

        var query = DnsMessage.Query(new DnsQuestion(SignTerm, DnsType.Ptr));
        query.Id = 0x5a17;
        (DnsMessage Message, IPEndPoint From) answer = default;
        // Asked again each second until the terminal is up and announced.
        await NetnsLab.WaitFor(async () =>
        {
            await pc.SendAsync(query, group);
            try
            {
                answer = await pc.WaitForAsync((m, _) => m.IsResponse && m.Id == query.Id, "an answer", seconds: 1);
                return true;
            }
            catch (TimeoutException) { return false; }
        }, "the terminal to answer a query sent to [ff02::fb]:5353", 90);

        var (response, from) = (answer.Message!, answer.From!);
        var own = await NetnsLab.IPv6AddressesAsync(ns, "eth0");
        Assert.Equal(AddressFamily.InterNetworkV6, from.AddressFamily);
        Assert.Contains(new IPAddress(from.Address.GetAddressBytes()), own);
        Assert.Equal(5353, from.Port);
        // A legacy (non-5353) asker gets plain DNS: its question echoed, TTLs at most 10 s, no cache-flush.
        Assert.Equal(SignTerm, Assert.Single(response.Questions).Name);
        var ptr = Assert.Single(response.Answers, r => r.Type == DnsType.Ptr);
        Assert.Equal("Six." + SignTerm, ((PtrData)ptr.Data).Target);
        var aaaa = response.Additionals.Where(r => r.Type == DnsType.Aaaa).Select(r => ((AddressData)r.Data).Address).ToList();
        Assert.Equal(own.Select(a => a.ToString()).Order(), aaaa.Select(a => new IPAddress(a.GetAddressBytes()).ToString()).Order());
        Assert.Contains(IPAddress.Parse(NetnsLab.IPv6Of(address)), aaaa);
        Assert.Equal(IPAddress.Parse(address), ((AddressData)Assert.Single(response.Additionals, r => r.Type == DnsType.A).Data).Address);
        Assert.All(response.AllRecords, r => Assert.True(r.Ttl <= 10 && !r.CacheFlush, r.ToString()));
    }

    private static readonly byte[] UdpMdnsTransportGroupV6Bytes = Appliance.Discovery.Mdns.UdpMdnsTransport.GroupV6.GetAddressBytes();
}
