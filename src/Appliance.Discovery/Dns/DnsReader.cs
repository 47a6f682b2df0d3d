using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Appliance.Discovery.Dns;

/// <summary>A message that is not valid DNS: truncated, a pointer loop, a label too long.</summary>
public sealed class DnsFormatException(string message) : Exception(message);

/// <summary>Reads a DNS message, following compression pointers with loop and bounds checks.</summary>
internal ref struct DnsReader(ReadOnlySpan<byte> message)
{
    private readonly ReadOnlySpan<byte> _m = message;
    private int _pos;

    private void Need(int n)
    {
        if (_pos + n > _m.Length) throw new DnsFormatException($"message ends at byte {_m.Length}, expected {n} more at {_pos}");
    }

    public byte ReadByte() { Need(1); return _m[_pos++]; }
    public ushort ReadUInt16() { Need(2); var v = BinaryPrimitives.ReadUInt16BigEndian(_m[_pos..]); _pos += 2; return v; }
    public uint ReadUInt32() { Need(4); var v = BinaryPrimitives.ReadUInt32BigEndian(_m[_pos..]); _pos += 4; return v; }
    public ReadOnlySpan<byte> ReadBytes(int n) { Need(n); var s = _m.Slice(_pos, n); _pos += n; return s; }

    public string ReadName()
    {
        var labels = new List<string>();
        var pos = _pos;
        var jumped = false;
        var hops = 0;
        var total = 0;
        while (true)
        {
            if (pos >= _m.Length) throw new DnsFormatException("name runs past the end of the message");
            var len = _m[pos];
            if ((len & 0xC0) == 0xC0)
            {
                if (pos + 1 >= _m.Length) throw new DnsFormatException("truncated compression pointer");
                if (++hops > 64) throw new DnsFormatException("compression pointer loop");
                var target = ((len & 0x3F) << 8) | _m[pos + 1];
                if (!jumped) _pos = pos + 2;
                jumped = true;
                if (target >= pos) throw new DnsFormatException("compression pointer points forward");
                pos = target;
                continue;
            }
            if ((len & 0xC0) != 0) throw new DnsFormatException($"label type 0x{len:x2} is not supported");
            pos++;
            if (len == 0) break;
            if (pos + len > _m.Length) throw new DnsFormatException("label runs past the end of the message");
            total += len + 1;
            if (total > 255) throw new DnsFormatException("name longer than 255 bytes");
            labels.Add(Encoding.UTF8.GetString(_m.Slice(pos, len)));
            pos += len;
        }
        if (!jumped) _pos = pos;
        return DnsName.Join(labels);
    }

    public DnsQuestion ReadQuestion()
    {
        var name = ReadName();
        var type = (DnsType)ReadUInt16();
        var cls = ReadUInt16();
        return new DnsQuestion(name, type, (ushort)(cls & 0x7FFF), (cls & 0x8000) != 0);
    }

    public DnsRecord ReadRecord()
    {
        var name = ReadName();
        var type = (DnsType)ReadUInt16();
        var cls = ReadUInt16();
        var ttl = ReadUInt32();
        var length = ReadUInt16();
        Need(length);
        var end = _pos + length;
        DnsRecordData data = type switch
        {
            DnsType.A when length == 4 => new AddressData(new IPAddress(ReadBytes(4))),
            DnsType.Aaaa when length == 16 => new AddressData(new IPAddress(ReadBytes(16))),
            DnsType.Ptr => new PtrData(ReadName()),
            DnsType.Srv => new SrvData(ReadUInt16(), ReadUInt16(), ReadUInt16(), ReadName()),
            DnsType.Txt => ReadTxt(end),
            DnsType.Nsec => ReadNsec(end),
            _ => new RawData(ReadBytes(length).ToArray()),
        };
        if (_pos != end) throw new DnsFormatException($"{type} record of {name}: RDATA length {length} does not match its content");
        return new DnsRecord(name, type, ttl, data, (cls & 0x8000) != 0, (ushort)(cls & 0x7FFF));
    }

    private TxtData ReadTxt(int end)
    {
        var strings = new List<byte[]>();
        while (_pos < end)
        {
            var n = ReadByte();
            if (_pos + n > end) throw new DnsFormatException("TXT string runs past its record");
            var s = ReadBytes(n);
            if (n > 0) strings.Add(s.ToArray());
        }
        return new TxtData(strings);
    }

    private NsecData ReadNsec(int end)
    {
        var next = ReadName();
        var types = new List<DnsType>();
        while (_pos < end)
        {
            var window = ReadByte();
            var len = ReadByte();
            if (len is 0 or > 32 || _pos + len > end) throw new DnsFormatException("bad NSEC type bitmap");
            var bitmap = ReadBytes(len);
            for (var i = 0; i < len * 8; i++)
                if ((bitmap[i / 8] & (0x80 >> (i & 7))) != 0) types.Add((DnsType)((window << 8) | i));
        }
        return new NsecData(next, types);
    }
}
