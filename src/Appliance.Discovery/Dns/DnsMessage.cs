namespace Appliance.Discovery.Dns;

public sealed record DnsQuestion(string Name, DnsType Type, ushort Class = DnsClass.In, bool UnicastResponse = false);

/// <summary>A DNS message (RFC 1035 §4.1) with the mDNS meanings of its bits (RFC 6762 §18).</summary>
public sealed class DnsMessage
{
    private const ushort ResponseFlag = 0x8000;
    private const ushort AuthoritativeFlag = 0x0400;
    private const ushort TruncatedFlag = 0x0200;

    public ushort Id { get; set; }
    public ushort Flags { get; set; }
    public List<DnsQuestion> Questions { get; } = [];
    public List<DnsRecord> Answers { get; } = [];
    public List<DnsRecord> Authorities { get; } = [];
    public List<DnsRecord> Additionals { get; } = [];

    public bool IsResponse => (Flags & ResponseFlag) != 0;
    public bool IsTruncated => (Flags & TruncatedFlag) != 0;

    /// <summary>Opcode 0 and rcode 0 are the only ones mDNS accepts (RFC 6762 §18.3, §18.11).</summary>
    public bool IsStandard => (Flags & 0x7800) == 0 && (Flags & 0x000F) == 0;

    public static DnsMessage Query(params DnsQuestion[] questions)
    {
        var m = new DnsMessage();
        m.Questions.AddRange(questions);
        return m;
    }

    public static DnsMessage Response(ushort id = 0) => new() { Id = id, Flags = ResponseFlag | AuthoritativeFlag };

    public IEnumerable<DnsRecord> AllRecords => Answers.Concat(Authorities).Concat(Additionals);

    public byte[] Encode()
    {
        var w = new DnsWriter();
        w.WriteUInt16(Id);
        w.WriteUInt16(Flags);
        w.WriteUInt16((ushort)Questions.Count);
        w.WriteUInt16((ushort)Answers.Count);
        w.WriteUInt16((ushort)Authorities.Count);
        w.WriteUInt16((ushort)Additionals.Count);
        foreach (var q in Questions) w.WriteQuestion(q);
        foreach (var r in Answers) w.WriteRecord(r);
        foreach (var r in Authorities) w.WriteRecord(r);
        foreach (var r in Additionals) w.WriteRecord(r);
        return w.ToArray();
    }

    /// <exception cref="DnsFormatException">The bytes are not a valid DNS message.</exception>
    public static DnsMessage Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new DnsReader(bytes);
        var m = new DnsMessage { Id = r.ReadUInt16(), Flags = r.ReadUInt16() };
        int qd = r.ReadUInt16(), an = r.ReadUInt16(), ns = r.ReadUInt16(), ar = r.ReadUInt16();
        for (var i = 0; i < qd; i++) m.Questions.Add(r.ReadQuestion());
        for (var i = 0; i < an; i++) m.Answers.Add(r.ReadRecord());
        for (var i = 0; i < ns; i++) m.Authorities.Add(r.ReadRecord());
        for (var i = 0; i < ar; i++) m.Additionals.Add(r.ReadRecord());
        return m;
    }
}
