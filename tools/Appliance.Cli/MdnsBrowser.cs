using System.Net;
using System.Net.Sockets;
using Appliance.Discovery;
using Appliance.Discovery.Dns;
using Appliance.Discovery.Mdns;

namespace Appliance.Cli;

/// <summary>A terminal found on the LAN, with what its TXT says.</summary>
public sealed record FoundTerminal(string Instance, string Host, IPAddress? Address, int Port, Dictionary<string, string> Txt)
{
    public string Get(string key) => Txt.GetValueOrDefault(key) ?? "";
}

/// <summary>
/// A one-shot mDNS browser (RFC 6762 §5.1): queries from an ephemeral port, so responders answer it
/// unicast as a legacy resolver; sends on every interface and gathers PTR → SRV/TXT → A for a while.
/// </summary>
public static class MdnsBrowser
{
    public static async Task<List<FoundTerminal>> BrowseAsync(TimeSpan duration, CancellationToken cancel)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        var query = DnsMessage.Query(new DnsQuestion(TerminalAdvertiser.ServiceType + ".local", DnsType.Ptr));
        query.Id = (ushort)Random.Shared.Next(1, ushort.MaxValue);
        var records = new List<DnsRecord>();
        var deadline = DateTime.UtcNow + duration;
        var nextSend = DateTime.MinValue;
        var buffer = new byte[9000];
        while (DateTime.UtcNow < deadline)
        {
            if (DateTime.UtcNow >= nextSend)
            {
                // Ask again with what we know, so responders suppress answers we already have (RFC 6762 §7.1).
                query.Answers.Clear();
                query.Answers.AddRange(records.Where(r => r.Type == DnsType.Ptr).DistinctBy(MdnsKey));
                foreach (var i in UdpMdnsTransport.CurrentInterfaces().Where(i => i.IPv4 is not null))
                {
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, i.IPv4!.GetAddressBytes());
                    try { await socket.SendToAsync(query.Encode(), UdpMdnsTransport.GroupEndPointV4, cancel); }
                    catch (SocketException) { }
                }
                nextSend = DateTime.UtcNow.AddSeconds(1);
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            wait.CancelAfter(TimeSpan.FromMilliseconds(250));
            try
            {
                var r = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), wait.Token);
                var message = DnsMessage.Decode(buffer.AsSpan(0, r.ReceivedBytes));
                if (message.IsResponse) records.AddRange(message.AllRecords.Where(x => x.Ttl > 0));
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { }
            catch (DnsFormatException) { }
        }
        return Assemble(records);
    }

    private static string MdnsKey(DnsRecord r) => r.Name.ToLowerInvariant() + "|" + r.Type + "|" + Convert.ToHexString(r.Data.CanonicalBytes());

    private static List<FoundTerminal> Assemble(List<DnsRecord> records)
    {
        var found = new List<FoundTerminal>();
        var instances = records.Where(r => r.Type == DnsType.Ptr && DnsName.Equal(r.Name, TerminalAdvertiser.ServiceType + ".local"))
            .Select(r => ((PtrData)r.Data).Target).Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var instance in instances)
        {
            var srv = records.LastOrDefault(r => r.Type == DnsType.Srv && DnsName.Equal(r.Name, instance))?.Data as SrvData;
            var txt = records.LastOrDefault(r => r.Type == DnsType.Txt && DnsName.Equal(r.Name, instance))?.Data as TxtData;
            var address = srv is null ? null : records.LastOrDefault(r => r.Type == DnsType.A && DnsName.Equal(r.Name, srv.Target))?.Data as AddressData;
            found.Add(new FoundTerminal(DnsName.FirstLabel(instance), srv?.Target ?? "", address?.Address, srv?.Port ?? 0,
                txt?.ToDictionary() ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)));
        }
        return found;
    }
}
