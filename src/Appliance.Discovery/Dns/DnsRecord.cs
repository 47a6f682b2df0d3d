using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Discovery.Dns;

public enum DnsType : ushort
{
    A = 1,
    Ptr = 12,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Nsec = 47,
    Any = 255,
}

public static class DnsClass
{
    public const ushort In = 1;
    public const ushort Any = 255;
}

/// <summary>One resource record. <see cref="CacheFlush"/> is the top bit of the class field in mDNS (RFC 6762 §10.2).</summary>
public sealed class DnsRecord(string name, DnsType type, uint ttl, DnsRecordData data, bool cacheFlush = false, ushort recordClass = DnsClass.In)
{
    public string Name { get; } = name;
    public DnsType Type { get; } = type;
    public ushort Class { get; } = recordClass;
    public bool CacheFlush { get; } = cacheFlush;
    public uint Ttl { get; } = ttl;
    public DnsRecordData Data { get; } = data;

    public DnsRecord WithTtl(uint ttl, bool? cacheFlush = null) => new(Name, Type, ttl, Data, cacheFlush ?? CacheFlush, Class);

    public DnsRecord WithName(string name) => new(name, Type, Ttl, Data, CacheFlush, Class);

    /// <summary>Same name (case-insensitive), type and class: the same RRset.</summary>
    public bool SameSet(DnsRecord other) => DnsName.Equal(Name, other.Name) && Type == other.Type && Class == other.Class;

    /// <summary>Same set and the same data: the same record, whatever the TTL.</summary>
    public bool SameRecord(DnsRecord other) => SameSet(other) && Data.CanonicalBytes().AsSpan().SequenceEqual(other.Data.CanonicalBytes());

    public override string ToString() => $"{Name} {Type} ttl={Ttl}{(CacheFlush ? " flush" : "")} {Data}";
}

/// <summary>The RDATA of a record; <see cref="CanonicalBytes"/> (no name compression) compares records for identity and probe tie-breaks.</summary>
public abstract class DnsRecordData
{
    private byte[]? _canonical;

    internal abstract void Write(DnsWriter writer, bool compress);

    public byte[] CanonicalBytes()
    {
        if (_canonical is not null) return _canonical;
        var w = new DnsWriter();
        Write(w, compress: false);
        return _canonical = w.ToArray();
    }
}

public sealed class AddressData(IPAddress address) : DnsRecordData
{
    public IPAddress Address { get; } = address;
    internal override void Write(DnsWriter writer, bool compress) => writer.WriteBytes(Address.GetAddressBytes());
    public override string ToString() => Address.ToString();

    public static DnsType TypeOf(IPAddress a) => a.AddressFamily == AddressFamily.InterNetworkV6 ? DnsType.Aaaa : DnsType.A;
}

public sealed class PtrData(string target) : DnsRecordData
{
    public string Target { get; } = target;
    internal override void Write(DnsWriter writer, bool compress) => writer.WriteName(Target, compress);
    public override string ToString() => Target;
}

public sealed class SrvData(ushort priority, ushort weight, ushort port, string target) : DnsRecordData
{
    public ushort Priority { get; } = priority;
    public ushort Weight { get; } = weight;
    public ushort Port { get; } = port;
    public string Target { get; } = target;

    internal override void Write(DnsWriter writer, bool compress)
    {
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(Weight);
        writer.WriteUInt16(Port);
        writer.WriteName(Target, compress);
    }

    public override string ToString() => $"{Priority} {Weight} {Port} {Target}";
}

/// <summary>TXT: a list of character-strings, each at most 255 bytes (DNS-SD: <c>key=value</c>, RFC 6763 §6).</summary>
public sealed class TxtData(IReadOnlyList<byte[]> strings) : DnsRecordData
{
    public IReadOnlyList<byte[]> Strings { get; } = strings;

    public static TxtData FromPairs(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new(pairs.Select(p => Encoding.UTF8.GetBytes($"{p.Key}={p.Value}")).ToList());

    /// <summary>Keys are case-insensitive; the first occurrence wins (RFC 6763 §6.4).</summary>
    public Dictionary<string, string> ToDictionary()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in Strings)
        {
            var text = Encoding.UTF8.GetString(s);
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? text : text[..eq];
            if (key.Length > 0) result.TryAdd(key, eq < 0 ? "" : text[(eq + 1)..]);
        }
        return result;
    }

    internal override void Write(DnsWriter writer, bool compress)
    {
        // An empty TXT record still carries one empty string (RFC 6763 §6.1).
        if (Strings.Count == 0) { writer.WriteByte(0); return; }
        foreach (var s in Strings)
        {
            if (s.Length > 255) throw new ArgumentException("a TXT string is longer than 255 bytes");
            writer.WriteByte((byte)s.Length);
            writer.WriteBytes(s);
        }
    }

    public override string ToString() => string.Join(" ", Strings.Select(s => $"\"{Encoding.UTF8.GetString(s)}\""));
}

/// <summary>NSEC as mDNS uses it (RFC 6762 §6.1): "this name has exactly these types", next name = own name.</summary>
public sealed class NsecData(string nextName, IReadOnlyCollection<DnsType> types) : DnsRecordData
{
    public string NextName { get; } = nextName;
    public IReadOnlyCollection<DnsType> Types { get; } = types;

    internal override void Write(DnsWriter writer, bool compress)
    {
        // The next-name field is never compressed (RFC 4034 §4.1.1).
        writer.WriteName(NextName, compress: false);
        foreach (var window in Types.GroupBy(t => (int)t >> 8).OrderBy(g => g.Key))
        {
            var max = window.Max(t => (int)t & 0xFF);
            var bitmap = new byte[max / 8 + 1];
            foreach (var t in window) bitmap[((int)t & 0xFF) / 8] |= (byte)(0x80 >> ((int)t & 7));
            writer.WriteByte((byte)window.Key);
            writer.WriteByte((byte)bitmap.Length);
            writer.WriteBytes(bitmap);
        }
    }

    public override string ToString() => $"{NextName} [{string.Join(",", Types)}]";
}

/// <summary>A type this code does not interpret, kept as bytes.</summary>
public sealed class RawData(byte[] bytes) : DnsRecordData
{
    public byte[] Bytes { get; } = bytes;
    internal override void Write(DnsWriter writer, bool compress) => writer.WriteBytes(Bytes);
    public override string ToString() => Convert.ToHexString(Bytes);
}
