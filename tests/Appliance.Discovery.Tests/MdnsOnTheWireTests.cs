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

    [Fact]
    public async Task An_address_added_to_the_terminals_interface_is_announced()
    {
        NetnsLab.SkipUnlessRoot();
        await using var lab = await NetnsLab.StartAsync();
        var (ns, address) = await lab.AddHostAsync();
        using var state = new TempDir();
        lab.StartTerminal(ns, state.Path, "--discovery:instanceName=Moving");
        await NetnsLab.WaitFor(async () => (await lab.Browse("_signterm._tcp")).Entries.Any(e => e.Event == "=" && e.Name == "Moving"), "avahi to resolve the terminal", 90);
        var serial = File.ReadAllText(Path.Combine(state.Path, "serial")).Trim().ToLowerInvariant();
        var host = $"signterm-{serial}.local";

        // Listening on 224.0.0.251:5353 and [ff02::fb]:5353 on the PC's side of the link, beside avahi.
        using var pc = NamespaceSocket.Open(lab.PcNamespace, new IPEndPoint(IPAddress.Any, 5353));
        pc.JoinV4(IPAddress.Parse("10.77.0.1"));
        using var pc6 = NamespaceSocket.Open(lab.PcNamespace, new IPEndPoint(IPAddress.IPv6Any, 5353));
        pc6.JoinV6(await NetnsLab.InterfaceIndexAsync(lab.PcNamespace, "br0"));
        await lab.IpAsync(ns, "addr add 10.77.0.250/24 dev eth0");
        await lab.IpAsync(ns, "addr add fd77::250/64 dev eth0 nodad");

        static List<IPAddress> Addresses(DnsMessage m, string host, DnsType type) =>
            m.Answers.Where(r => r.Type == type && DnsName.Equal(r.Name, host) && r.Ttl > 0).Select(r => ((AddressData)r.Data).Address).ToList();
        var (announcement, from) = await pc.WaitForAsync((m, _) => m.IsResponse && Addresses(m, host, DnsType.A).Contains(IPAddress.Parse("10.77.0.250")),
            "an announcement over IPv4 carrying 10.77.0.250", 60);

        // The whole address set, flushing what caches held, with the service records alongside.
        Assert.Equal(["10.77.0.2", "10.77.0.250"], Addresses(announcement, host, DnsType.A).Select(a => a.ToString()).Order());
        Assert.All(announcement.Answers.Where(r => r.Type is DnsType.A or DnsType.Aaaa), r => Assert.True(r.CacheFlush && r.Ttl == 120, r.ToString()));
        Assert.Contains(announcement.Answers, r => r.Type == DnsType.Srv && ((SrvData)r.Data).Target == host);
        Assert.Equal(address, from.Address.ToString());

        // The IPv6 address goes out over ff02::fb, from the terminal's link-local address.
        var (announcement6, from6) = await pc6.WaitForAsync((m, _) => m.IsResponse && Addresses(m, host, DnsType.Aaaa).Contains(IPAddress.Parse("fd77::250")),
            "an announcement over IPv6 carrying fd77::250", 60);
        var own = await NetnsLab.IPv6AddressesAsync(ns, "eth0");
        Assert.Contains(IPAddress.Parse("fd77::250"), own);
        Assert.Equal(own.Select(a => a.ToString()).Order(), Addresses(announcement6, host, DnsType.Aaaa).Select(a => new IPAddress(a.GetAddressBytes()).ToString()).Order());
        Assert.Equal(AddressFamily.InterNetworkV6, from6.AddressFamily);
        Assert.Contains(new IPAddress(from6.Address.GetAddressBytes()), own);
    }

    private static readonly byte[] UdpMdnsTransportGroupV6Bytes = Appliance.Discovery.Mdns.UdpMdnsTransport.GroupV6.GetAddressBytes();
}
