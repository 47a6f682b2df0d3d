using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Appliance.Documents.Pdf.Signing;
using Appliance.Documents.Pdf.Syntax;
using Appliance.TestSupport;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>
/// PDFs built to hurt the reader (they arrive from the network): each must end in a typed Malformed failure naming
/// the problem, not a stack overflow, an out-of-memory or a walk that never ends. Every file is the sample with one
/// update appended by hand, so the hostile part is all a test shows.
/// </summary>
public sealed partial class HostileInputTests
{
    private const string Catalog = "/Type /Catalog /Pages 2 0 R";

    [Fact]
    public async Task A_long_chain_of_indirect_stream_lengths_is_refused_without_recursing()
    {
        // /AcroForm is a stream whose /Length is another stream whose /Length is another … 20,000 deep.
        const int First = 10, Count = 20_000;
        var update = new Update(SamplePdf.Create()).Object(1, $"<< {Catalog} /AcroForm {First} 0 R >>");
        for (var n = First; n < First + Count; n++)
        {
            var length = n == First + Count - 1 ? "1" : $"{n + 1} 0 R";
            update.Object(n, $"<< /Length {length} >>\nstream\nx\nendstream");
        }

        var e = await SignExpectingMalformedAsync(update.WithTable(First + Count));
        Assert.Contains($"/Length {First + 1} 0 is not an integer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indirect_lengths_inside_a_chain_of_object_streams_stop_at_the_nesting_bound()
    {
        // Stream 10's /Length is object 101, inside object stream 201, whose /Length is 102, inside 202, and so on:
        // each length read loads the next object stream.
        const int Links = 40;
        var update = new Update(SamplePdf.Create())
            .Object(1, $"<< {Catalog} /AcroForm 10 0 R >>")
            .Object(10, "<< /Length 101 0 R >>\nstream\nx\nendstream");
        for (var i = 1; i <= Links; i++)
        {
            var header = $"{100 + i} 0\n";
            var content = header + "1";
            var length = i == Links ? content.Length.ToString(CultureInfo.InvariantCulture) : $"{100 + i + 1} 0 R";
            update.Object(200 + i, $"<< /Type /ObjStm /N 1 /First {header.Length} /Length {length} >>\nstream\n{content}\nendstream");
            update.Compressed(100 + i, 200 + i, 0);
        }

        var e = await SignExpectingMalformedAsync(update.WithStream(300, "/Size 301"));
        Assert.Contains("nested more than 32 deep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_stream_inside_another_object_stream_is_refused()
    {
        // Object 10 lies in object stream 11, which the cross-reference stream says lies in 12, in 13 … (§7.5.7 forbids it).
        var update = new Update(SamplePdf.Create()).Object(1, $"<< {Catalog} /AcroForm 10 0 R >>");
        update.Compressed(10, 11, 0);
        for (var n = 11; n < 1000; n++) update.Compressed(n, n + 1, 0);

        var e = await SignExpectingMalformedAsync(update.WithStream(1001, "/Size 1002"));
        Assert.Contains("object stream 11 is itself inside object stream 12", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/W [0 0 0] /Size 8000000", "bad /W")]
    [InlineData("/W [1 0 2] /Size 8000000", "bad /W")]
    [InlineData("/W [1 9 2] /Size 8", "bad /W")]
    [InlineData("/W [1 4 2] /Size 9000000", "/Size 9000000 is outside 0..8388607")]
    [InlineData("/W [1 4 2] /Size -1", "/Size -1 is outside 0..8388607")]
    [InlineData("/W [1 4 2] /Size 10 /Index [8388600 100]", "above 8388607")]
    [InlineData("/W [1 4 2] /Size 10 /Index [0 4294967296]", "above 8388607")]
    public async Task Cross_reference_stream_dimensions_are_checked_before_any_row_is_read(string dictionary, string expected)
    {
        var update = new Update(SamplePdf.Create()).Object(1, $"<< {Catalog} >>");

        var e = await SignExpectingMalformedAsync(update.WithRawStream(20, dictionary, new byte[7]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cross_reference_stream_rows_beyond_its_data_are_refused_before_the_loop()
    {
        // Two million declared rows, one row of data.
        var update = new Update(SamplePdf.Create()).Object(1, $"<< {Catalog} >>");

        var e = await SignExpectingMalformedAsync(update.WithRawStream(20, "/W [1 4 2] /Size 2000000", new byte[7]));
        Assert.Contains("shorter than its /Index says", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("8388608")]
    public async Task A_trailer_size_above_the_object_limit_is_refused(string size)
    {
        var update = new Update(SamplePdf.Create()).Object(1, $"<< {Catalog} >>");

        var e = await SignExpectingMalformedAsync(update.WithTable(size));
        Assert.Contains($"trailer /Size {size} is outside 0..8388607", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_subsection_above_the_object_limit_is_refused()
    {
        var original = SamplePdf.Create();
        var previous = StartXref(original);
        var xref = original.Length;
        var update = $"xref\n4294967290 1\n0000000009 00000 n \ntrailer\n<< /Size 7 /Root 1 0 R /Prev {previous} >>\nstartxref\n{xref}\n%%EOF\n";

        var e = await SignExpectingMalformedAsync([.. original, .. Encoding.Latin1.GetBytes(update)]);
        Assert.Contains("has object numbers above 8388607", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flate_bomb_in_a_cross_reference_stream_stops_at_the_size_its_rows_need()
    {
        // 16 MiB of zeros in a few KB; three 7-byte rows need at most 3 × 8 bytes (plus slack).
        var update = new Update(SamplePdf.Create()).Object(1, $"<< {Catalog} >>");

        var e = await SignExpectingMalformedAsync(update.WithRawStream(20, "/W [1 4 2] /Size 21 /Index [0 3] /Filter /FlateDecode", RepeatedZeros(1 << 20, 16)));
        Assert.Matches(DecodesToMore(), e.Message);
        Assert.Contains("cross-reference stream at byte", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flate_bomb_in_an_object_stream_stops_at_64_MiB()
    {
        var bomb = RepeatedZeros(1 << 20, 65);
        var update = new Update(SamplePdf.Create())
            .Object(1, $"<< {Catalog} /AcroForm 10 0 R >>")
            .Object(11, Concat($"<< /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode /Length {bomb.Length} >>\nstream\n", bomb, "\nendstream"));
        update.Compressed(10, 11, 0);

        var e = await SignExpectingMalformedAsync(update.WithStream(12, "/Size 13"));
        Assert.Contains($"object stream 11 decodes to more than {64 << 20} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_predictor_row_length_from_a_hostile_columns_value_is_refused()
    {
        var update = new Update(SamplePdf.Create()).Object(1, $"<< {Catalog} >>");

        var e = await SignExpectingMalformedAsync(update.WithRawStream(20,
            "/W [1 4 2] /Size 21 /Index [0 1] /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 99999999999 >>", Zlib(8)));
        Assert.Contains("bad predictor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_tree_that_lists_the_same_kid_repeatedly_is_refused()
    {
        // 20 levels of /Kids [n n n n]: 4^20 paths through 21 objects, walked because evidence is always embedded.
        const int Root = 90, Levels = 20;
        var update = new Update(SamplePdf.Create()).Object(1, $"<< {Catalog} /Names << /EmbeddedFiles {Root} 0 R >> >>");
        for (var level = 0; level < Levels; level++)
        {
            var kid = $"{Root + level + 1} 0 R";
            update.Object(Root + level, $"<< /Kids [{kid} {kid} {kid} {kid}] >>");
        }
        update.Object(Root + Levels, "<< /Names [(a.txt) null] >>");

        var e = await SignExpectingMalformedAsync(update.WithTable(Root + Levels + 1), evidence: true);
        Assert.Contains($"name tree reaches object {Root + Levels} 0 more than once", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_tree_with_more_than_ten_thousand_nodes_is_refused()
    {
        const int Root = 90, Leaves = 10_001;
        var kids = string.Join(' ', Enumerable.Range(Root + 1, Leaves).Select(n => $"{n} 0 R"));
        var update = new Update(SamplePdf.Create())
            .Object(1, $"<< {Catalog} /Names << /EmbeddedFiles {Root} 0 R >> >>")
            .Object(Root, $"<< /Kids [{kids}] >>");
        for (var n = Root + 1; n <= Root + Leaves; n++) update.Object(n, "<< /Names [] >>");

        var e = await SignExpectingMalformedAsync(update.WithTable(Root + Leaves + 1), evidence: true);
        Assert.Contains("name tree has more than 10000 nodes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Walking_a_name_tree_stops_when_signing_is_cancelled()
    {
        // SignAsync passes its token down to the walk; here the walk is called directly so the token is seen there.
        var pdf = new Update(SamplePdf.Create())
            .Object(1, $"<< {Catalog} /Names << /EmbeddedFiles 90 0 R >> >>")
            .Object(90, "<< /Kids [91 0 R] >>")
            .Object(91, "<< /Names [(a.txt) null] >>")
            .WithTable(92);
        var document = PdfDocument.Open(pdf, TestContext.Current.CancellationToken);
        var tree = new PdfDictionary(document.ResolveDictionary(new PdfReference(90))!);

        Assert.Throws<OperationCanceledException>(() =>
            PdfNameTree.Insert(document, new PdfIncrementalUpdate(document, pdf), tree, "evidence.json", PdfNull.Instance, new CancellationToken(canceled: true)));
    }

    private static async Task<PdfSigningException> SignExpectingMalformedAsync(byte[] pdf, bool evidence = false)
    {
        var request = evidence ? Request(DarkBox()) with { Evidence = [7, 7] } : Request(DarkBox());
        var e = await Assert.ThrowsAsync<PdfSigningException>(() =>
            new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(pdf, request, TestContext.Current.CancellationToken));
        Assert.True(e.Failure == PdfSigningFailure.Malformed, $"{e.Failure}: {e.Message}");
        return e;
    }

    private static byte[] Zlib(int zeros)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            var chunk = new byte[1 << 16];
            for (var left = zeros; left > 0; left -= chunk.Length) zlib.Write(chunk, 0, Math.Min(chunk.Length, left));
        }
        return output.ToArray();
    }

    /// <summary>
    /// Zlib data for <paramref name="count"/> × <paramref name="chunk"/> zeros made by compressing one chunk only:
    /// a sync-flushed deflate segment can be repeated, and an empty final block ends the stream.
    /// </summary>
    private static byte[] RepeatedZeros(int chunk, int count)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(new byte[chunk]);
            deflate.Flush();
            var segment = output.ToArray();
            output.SetLength(0);
            output.Write([0x78, 0x01]);
            for (var i = 0; i < count; i++) output.Write(segment);
            output.Write([0x03, 0x00]);
            return output.ToArray();
        }
    }

    private static byte[] Concat(string head, byte[] data, string tail) => [.. Encoding.Latin1.GetBytes(head), .. data, .. Encoding.Latin1.GetBytes(tail)];

    private static long StartXref(byte[] pdf) =>
        long.Parse(Regex.Match(Encoding.Latin1.GetString(pdf), @"startxref\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"decodes to more than \d+ bytes")]
    private static partial Regex DecodesToMore();

    /// <summary>
    /// One update section appended to a file by hand: objects at known offsets, objects declared to lie in object
    /// streams, then a classic table or a cross-reference stream pointing back with /Prev.
    /// </summary>
    private sealed class Update(byte[] original)
    {
        private readonly List<byte> _bytes = [.. original];
        private readonly SortedDictionary<int, long> _offsets = [];
        private readonly SortedDictionary<int, (int Stream, int Index)> _compressed = [];
        private readonly long _previous = StartXref(original);

        public Update Object(int number, string body) => Object(number, Encoding.Latin1.GetBytes(body));

        public Update Object(int number, byte[] body)
        {
            _offsets[number] = _bytes.Count;
            _bytes.AddRange(Encoding.Latin1.GetBytes($"{number} 0 obj\n"));
            _bytes.AddRange(body);
            _bytes.AddRange("\nendobj\n"u8.ToArray());
            return this;
        }

        public Update Compressed(int number, int stream, int index)
        {
            _compressed[number] = (stream, index);
            return this;
        }

        public byte[] WithTable(int size) => WithTable(size.ToString(CultureInfo.InvariantCulture));

        public byte[] WithTable(string size)
        {
            var xref = _bytes.Count;
            var text = new StringBuilder("xref\n");
            foreach (var (number, offset) in _offsets) text.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:D10} 00000 n \n");
            text.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {size} /Root 1 0 R /Prev {_previous} >>\nstartxref\n{xref}\n%%EOF\n");
            return [.. _bytes, .. Encoding.Latin1.GetBytes(text.ToString())];
        }

        /// <summary>A cross-reference stream (/W [1 4 2], unfiltered) listing every object of the update and itself.</summary>
        public byte[] WithStream(int self, string dictionary)
        {
            var xref = _bytes.Count;
            var rows = new SortedDictionary<int, byte[]>();
            foreach (var (number, offset) in _offsets) rows[number] = Row(1, offset, 0);
            foreach (var (number, (stream, position)) in _compressed) rows[number] = Row(2, stream, position);
            rows[self] = Row(1, xref, 0);
            var index = string.Join(' ', rows.Keys.Select(n => $"{n} 1"));
            return WithRawStream(self, $"/W [1 4 2] /Index [{index}] {dictionary}", [.. rows.Values.SelectMany(r => r)]);
        }

        /// <summary>A cross-reference stream with the given dictionary entries and data, exactly as given.</summary>
        public byte[] WithRawStream(int self, string dictionary, byte[] data)
        {
            var xref = _bytes.Count;
            var head = $"{self} 0 obj\n<< /Type /XRef {dictionary} /Root 1 0 R /Prev {_previous} /Length {data.Length} >>\nstream\n";
            var tail = $"\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n";
            return [.. _bytes, .. Concat(head, data, tail)];
        }

        private static byte[] Row(byte type, long second, int third) =>
            [type, (byte)(second >> 24), (byte)(second >> 16), (byte)(second >> 8), (byte)second, (byte)(third >> 8), (byte)third];
    }
}
