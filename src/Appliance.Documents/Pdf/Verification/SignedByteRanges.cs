using Appliance.Documents.Pdf.Syntax;

namespace Appliance.Documents.Pdf.Verification;

/// <summary>
/// A signature's /ByteRange (ISO 32000-1 §12.8.1) read and judged: two (offset, length) pairs from byte 0, in order,
/// inside the file, leaving out exactly the /Contents hex string between them.
/// </summary>
internal sealed record SignedByteRanges(IReadOnlyList<(long Offset, long Length)> Ranges, IReadOnlyList<string> Errors)
{
    /// <summary>The ranges are in the file, so their bytes can be hashed (even when <see cref="Errors"/> says they are wrong).</summary>
    public bool CanDigest { get; private init; }

    public bool CoversWholeFile { get; private init; }

    public static SignedByteRanges Read(PdfObject? value, ReadOnlySpan<byte> file, PdfString? contents)
    {
        if (value is not PdfArray { Count: 4 } array || array.Items.Any(n => n is not PdfInteger { Value: >= 0 }))
            return new([], ["字节范围无效 / /ByteRange is not [0 a b c]: four non-negative integers"]);
        var n = array.Items.Select(i => ((PdfInteger)i).Value).ToArray();
        List<(long, long)> ranges = [(n[0], n[1]), (n[2], n[3])];
        var errors = new List<string>();
        if (n[0] != 0) errors.Add("字节范围不从 0 开始 / the byte range does not start at byte 0");
        // Compared as differences so hostile values near long.MaxValue cannot wrap.
        if (n[2] < n[0] || n[2] - n[0] < n[1]) errors.Add("字节范围重叠 / the byte ranges overlap or are out of order");
        var inFile = n[0] <= file.Length && n[1] <= file.Length - n[0] && n[2] <= file.Length && n[3] <= file.Length - n[2];
        if (!inFile) errors.Add("字节范围超出文件 / the byte range runs past the end of the file");
        else if (errors.Count == 0 && !GapIsContents(file, n[0] + n[1], n[2], contents))
            errors.Add("签名值不在字节范围的间隔中 / the gap between the byte ranges is not exactly the /Contents string");
        return new(ranges, errors)
        {
            CanDigest = inFile,
            CoversWholeFile = inFile && n[2] + n[3] == file.Length,
        };
    }

    /// <summary>Feeds the covered bytes, range by range, to a digest.</summary>
    public void Feed(ReadOnlySpan<byte> file, Org.BouncyCastle.Crypto.IDigest digest)
    {
        foreach (var (offset, length) in Ranges) digest.BlockUpdate(file.Slice((int)offset, (int)length));
    }

    /// <summary>Everything left out is one hex string, the signature dictionary's /Contents: nothing else goes unsigned.</summary>
    private static bool GapIsContents(ReadOnlySpan<byte> file, long start, long end, PdfString? contents)
    {
        if (contents is null || end - start < 2 || file[(int)start] != '<' || file[(int)end - 1] != '>') return false;
        var gap = file[(int)start..(int)end].ToArray();
        try
        {
            var parser = new PdfParser(gap);
            return parser.ReadObject() is PdfString { IsHex: true } hex && parser.Position == gap.Length && hex.Bytes.AsSpan().SequenceEqual(contents.Bytes);
        }
        catch (PdfSyntaxException)
        {
            return false;
        }
    }
}
