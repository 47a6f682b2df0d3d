using System.Net;
using Appliance.Discovery.Dns;

namespace Appliance.Discovery.Tests;

public sealed class DnsMessageTests
{
    [Fact]
    public void A_response_round_trips_and_repeated_names_are_compressed()
    {
        var m = DnsMessage.Response();
        m.Answers.Add(new DnsRecord("_signterm._tcp.local", DnsType.Ptr, 4500, new PtrData("Front desk (2)._signterm._tcp.local")));
        m.Answers.Add(new DnsRecord("Front desk (2)._signterm._tcp.local", DnsType.Srv, 120, new SrvData(0, 0, 12349, "signterm-1.local"), cacheFlush: true));
        m.Answers.Add(new DnsRecord("Front desk (2)._signterm._tcp.local", DnsType.Txt, 4500, TxtData.FromPairs([new("txtvers", "1"), new("state", "idle")]), cacheFlush: true));
        m.Additionals.Add(new DnsRecord("signterm-1.local", DnsType.A, 120, new AddressData(IPAddress.Parse("192.0.2.7")), cacheFlush: true));
        m.Additionals.Add(new DnsRecord("signterm-1.local", DnsType.Nsec, 120, new NsecData("signterm-1.local", [DnsType.A]), cacheFlush: true));

        var bytes = m.Encode();
        var back = DnsMessage.Decode(bytes);

        Assert.True(back.IsResponse);
        Assert.Equal(3, back.Answers.Count);
        Assert.Equal("Front desk (2)._signterm._tcp.local", ((PtrData)back.Answers[0].Data).Target);
        var srv = (SrvData)back.Answers[1].Data;
        Assert.Equal((12349, "signterm-1.local"), (srv.Port, srv.Target));
        Assert.True(back.Answers[1].CacheFlush);
        Assert.Equal("idle", ((TxtData)back.Answers[2].Data).ToDictionary()["state"]);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), ((AddressData)back.Additionals[0].Data).Address);
        Assert.Equal([DnsType.A], ((NsecData)back.Additionals[1].Data).Types);
        // The long instance name is written once; later uses are 2-byte pointers (0xC0 ..).
        Assert.Equal(1, CountOccurrences(bytes, "Front desk (2)"u8.ToArray()));
        Assert.Contains(bytes, b => (b & 0xC0) == 0xC0);
    }

    [Fact]
    public void Instance_names_may_hold_dots()
    {
        var m = DnsMessage.Query(new DnsQuestion(DnsName.EscapeLabel("Dr. Who") + "._http._tcp.local", DnsType.Any, UnicastResponse: true));
        var back = DnsMessage.Decode(m.Encode());
        Assert.Equal("Dr. Who", DnsName.FirstLabel(back.Questions[0].Name));
        Assert.True(back.Questions[0].UnicastResponse);
    }

    [Fact]
    public void Malformed_messages_are_refused_with_a_reason()
    {
        // Header: one question, whose name is a pointer to itself.
        byte[] loop = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        Assert.Contains("pointer", Assert.Throws<DnsFormatException>(() => DnsMessage.Decode(loop)).Message);
        byte[] truncated = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, (byte)'a', (byte)'b'];
        Assert.Throws<DnsFormatException>(() => DnsMessage.Decode(truncated));
    }

    private static int CountOccurrences(byte[] haystack, byte[] needle)
    {
        var n = 0;
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) n++;
        return n;
    }
}
