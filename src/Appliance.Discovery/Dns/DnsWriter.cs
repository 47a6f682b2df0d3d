using System.Buffers.Binary;

namespace Appliance.Discovery.Dns;

/// <summary>Builds a DNS message, compressing names against every name suffix written so far (RFC 1035 §4.1.4).</summary>
public sealed class DnsWriter
{
    private byte[] _buffer = new byte[512];
    private readonly Dictionary<string, int> _suffixes = new(StringComparer.OrdinalIgnoreCase);

    public int Length { get; private set; }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    private Span<byte> Grow(int n)
    {
        if (Length + n > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + n));
        var span = _buffer.AsSpan(Length, n);
        Length += n;
        return span;
    }

    public void WriteByte(byte b) => Grow(1)[0] = b;
    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));
    public void WriteUInt16(ushort v) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), v);
    public void WriteUInt32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), v);

    internal void PatchUInt16(int offset, ushort v) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(offset, 2), v);

    public void WriteName(string name, bool compress = true)
    {
        var labels = DnsName.Labels(name);
        for (var i = 0; i < labels.Count; i++)
        {
            var suffix = DnsName.Join(labels.Skip(i));
            if (compress && _suffixes.TryGetValue(suffix, out var pointer))
            {
                WriteUInt16((ushort)(0xC000 | pointer));
                return;
            }
            if (Length < 0x3FFF) _suffixes.TryAdd(suffix, Length);
            var bytes = DnsName.LabelBytes(labels[i]);
            WriteByte((byte)bytes.Length);
            WriteBytes(bytes);
        }
        WriteByte(0);
    }

    public void WriteQuestion(DnsQuestion q)
    {
        WriteName(q.Name);
        WriteUInt16((ushort)q.Type);
        WriteUInt16((ushort)(q.Class | (q.UnicastResponse ? 0x8000 : 0)));
    }

    public void WriteRecord(DnsRecord r)
    {
        WriteName(r.Name);
        WriteUInt16((ushort)r.Type);
        WriteUInt16((ushort)(r.Class | (r.CacheFlush ? 0x8000 : 0)));
        WriteUInt32(r.Ttl);
        var lengthAt = Length;
        WriteUInt16(0);
        r.Data.Write(this, compress: true);
        PatchUInt16(lengthAt, (ushort)(Length - lengthAt - 2));
    }
}
