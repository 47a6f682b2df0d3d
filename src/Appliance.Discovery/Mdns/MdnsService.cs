using Appliance.Discovery.Dns;

namespace Appliance.Discovery.Mdns;

/// <summary>One DNS-SD service the terminal advertises (RFC 6763): type, port and a TXT read live on every announcement.</summary>
public sealed class MdnsService(string type, Func<ushort> port, Func<IReadOnlyList<KeyValuePair<string, string>>> txt)
{
    /// <summary>Service type with protocol, e.g. <c>_signterm._tcp</c>.</summary>
    public string Type { get; } = type;
    public Func<ushort> Port { get; } = port;
    public Func<IReadOnlyList<KeyValuePair<string, string>>> Txt { get; } = txt;
}

public sealed class MdnsResponderOptions
{
    /// <summary>Host label (without <c>.local</c>); renamed <c>label-2</c>… on a conflict.</summary>
    public required string HostName { get; set; }

    /// <summary>Instance name shown to people; renamed <c>Name (2)</c>… on a conflict.</summary>
    public required string InstanceName { get; set; }

    public List<MdnsService> Services { get; } = [];

    /// <summary>Interface names to serve; empty = every multicast-capable, non-loopback interface.</summary>
    public IReadOnlyCollection<string> Interfaces { get; set; } = [];

    /// <summary>How often the address list is re-read besides the kernel's change events.</summary>
    public TimeSpan AddressPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the responder says what it does (probe, conflict, rename); null = silent.</summary>
    public Action<string>? Log { get; set; }
}

/// <summary>TTLs of RFC 6762 §10: records naming a host 120 s, others 75 minutes.</summary>
internal static class MdnsTtl
{
    public const uint Host = 120;
    public const uint Other = 4500;
    public const uint LegacyMax = 10;
}

/// <summary>The records one name set produces on one interface.</summary>
internal sealed class MdnsRecordSet
{
    public const string ServicesEnumeration = "_services._dns-sd._udp.local";

    public required string HostName { get; init; }
    public required List<string> InstanceNames { get; init; }
    public required List<DnsRecord> Records { get; init; }

    public bool IsUniqueName(string name) =>
        DnsName.Equal(name, HostName) || InstanceNames.Any(n => DnsName.Equal(n, name));

    public static MdnsRecordSet Build(string hostLabel, string instanceLabel, IReadOnlyList<MdnsService> services, IEnumerable<System.Net.IPAddress> addresses)
    {
        var host = DnsName.Join([hostLabel, "local"]);
        var records = new List<DnsRecord>();
        var types = new HashSet<DnsType>();
        foreach (var a in addresses)
        {
            var type = AddressData.TypeOf(a);
            types.Add(type);
            records.Add(new DnsRecord(host, type, MdnsTtl.Host, new AddressData(a), cacheFlush: true));
        }
        records.Add(new DnsRecord(host, DnsType.Nsec, MdnsTtl.Host, new NsecData(host, types), cacheFlush: true));
        var instances = new List<string>();
        foreach (var s in services)
        {
            var serviceName = s.Type + ".local";
            var instance = DnsName.EscapeLabel(instanceLabel) + "." + serviceName;
            instances.Add(instance);
            records.Add(new DnsRecord(serviceName, DnsType.Ptr, MdnsTtl.Other, new PtrData(instance)));
            records.Add(new DnsRecord(ServicesEnumeration, DnsType.Ptr, MdnsTtl.Other, new PtrData(serviceName)));
            records.Add(new DnsRecord(instance, DnsType.Srv, MdnsTtl.Host, new SrvData(0, 0, s.Port(), host), cacheFlush: true));
            records.Add(new DnsRecord(instance, DnsType.Txt, MdnsTtl.Other, TxtData.FromPairs(s.Txt()), cacheFlush: true));
            records.Add(new DnsRecord(instance, DnsType.Nsec, MdnsTtl.Other, new NsecData(instance, [DnsType.Srv, DnsType.Txt]), cacheFlush: true));
        }
        return new MdnsRecordSet { HostName = host, InstanceNames = instances, Records = records };
    }

    /// <summary>Unique records proposed in a probe's authority section (RFC 6762 §8.1): everything but NSEC and shared PTRs.</summary>
    public IEnumerable<DnsRecord> ProbeRecords => Records.Where(r => r.CacheFlush && r.Type != DnsType.Nsec);

    public static string Key(DnsRecord r) => $"{r.Name.ToLowerInvariant()}|{(int)r.Type}|{Convert.ToHexString(r.Data.CanonicalBytes())}";
}
