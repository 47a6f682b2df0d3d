using System.Buffers.Binary;
using System.Globalization;

namespace Appliance.Documents.Pdf.Syntax;

/// <summary>
/// One update section appended after a document's bytes (ISO 32000-1 §7.5.6): new and replaced objects, then a
/// cross-reference section of the same kind as the newest one (a classic table and trailer, or a cross-reference
/// stream) pointing back with /Prev, then <c>startxref</c> and <c>%%EOF</c>. Offsets count from the start of the file.
/// </summary>
internal sealed class PdfIncrementalUpdate
{
    private readonly PdfDocument _document;
    private readonly PdfObjectWriter _writer = new();
    private readonly SortedDictionary<int, (long Offset, int Generation)> _written = [];
    private readonly long _base;
    private int _nextNumber;

    public PdfIncrementalUpdate(PdfDocument document, ReadOnlySpan<byte> original)
    {
        _document = document;
        _base = original.Length;
        _nextNumber = document.Size;
        // The update starts on a line of its own even when the file's last %%EOF has no end-of-line.
        if (original.Length > 0 && original[^1] is not (10 or 13)) _writer.Write("\n");
    }

    public PdfObjectWriter Writer => _writer;

    /// <summary>Where the next byte written lands in the whole file.</summary>
    public long FileOffset => _base + _writer.Position;

    public PdfReference Allocate()
    {
        // The document's /Size is at most PdfDocument.MaxObjectNumber, so this trips long before int wraps.
        if (_nextNumber > PdfDocument.MaxObjectNumber) throw new PdfSyntaxException($"the update needs object numbers above {PdfDocument.MaxObjectNumber}");
        return new(_nextNumber++);
    }

    public PdfReference Add(PdfObject value)
    {
        var reference = Allocate();
        Write(reference, value);
        return reference;
    }

    /// <summary>Writes an object under a number: a new one from <see cref="Allocate"/>, or an existing one to replace.</summary>
    public void Write(PdfReference reference, PdfObject value)
    {
        BeginObject(reference);
        _writer.WriteObject(value);
        EndObject();
    }

    /// <summary>Starts <c>n g obj</c> for a caller that writes the body itself (to know where its bytes land).</summary>
    public void BeginObject(PdfReference reference)
    {
        if (!_written.TryAdd(reference.Id.Number, (FileOffset, reference.Id.Generation))) throw new InvalidOperationException($"object {reference.Id} written twice");
        _writer.Write(string.Create(CultureInfo.InvariantCulture, $"{reference.Id.Number} {reference.Id.Generation} obj\n"));
    }

    public void EndObject() => _writer.Write("\nendobj\n");

    /// <summary>Writes the cross-reference section and the file's end; returns the update's bytes.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        var trailer = new PdfDictionary();
        foreach (var key in (ReadOnlySpan<string>)["Root", "Info", "ID"])
        {
            if (_document.Trailer[key] is { } value) trailer[key] = value;
        }
        trailer.Set("Prev", _document.LastCrossReferenceOffset);
        long start;
        if (_document.LastSectionIsStream)
        {
            var self = Allocate();
            start = FileOffset;
            _written[self.Id.Number] = (start, 0);
            trailer.Set("Size", _nextNumber);
            WriteCrossReferenceStream(self, trailer);
        }
        else
        {
            start = FileOffset;
            trailer.Set("Size", _nextNumber);
            WriteCrossReferenceTable(trailer);
        }
        _writer.Write(string.Create(CultureInfo.InvariantCulture, $"startxref\n{start}\n%%EOF\n"));
        return _writer.Written;
    }

    private IEnumerable<(int First, List<(long Offset, int Generation)> Entries)> Subsections()
    {
        var first = -1;
        var entries = new List<(long, int)>();
        foreach (var (number, entry) in _written)
        {
            if (first >= 0 && number != first + entries.Count)
            {
                yield return (first, entries);
                entries = [];
                first = -1;
            }
            if (first < 0) first = number;
            entries.Add(entry);
        }
        if (first >= 0) yield return (first, entries);
    }

    private void WriteCrossReferenceTable(PdfDictionary trailer)
    {
        _writer.Write("xref\n");
        foreach (var (first, entries) in Subsections())
        {
            _writer.Write(string.Create(CultureInfo.InvariantCulture, $"{first} {entries.Count}\n"));
            foreach (var (offset, generation) in entries)
            {
                // Each entry is exactly 20 bytes (§7.5.4).
                _writer.Write(string.Create(CultureInfo.InvariantCulture, $"{offset:D10} {generation:D5} n \n"));
            }
        }
        _writer.Write("trailer\n");
        _writer.WriteObject(trailer);
        _writer.Write("\n");
    }

    private void WriteCrossReferenceStream(PdfReference self, PdfDictionary trailer)
    {
        var maxOffset = _written.Values.Max(e => e.Offset);
        var offsetWidth = maxOffset <= uint.MaxValue ? 4 : 8;
        const int generationWidth = 2;
        var rowLength = 1 + offsetWidth + generationWidth;
        var rows = new byte[_written.Count * rowLength];
        var index = new PdfArray();
        var row = 0;
        foreach (var (first, entries) in Subsections())
        {
            index.Add(new PdfInteger(first));
            index.Add(new PdfInteger(entries.Count));
            foreach (var (offset, generation) in entries)
            {
                var span = rows.AsSpan(row++ * rowLength, rowLength);
                span[0] = 1;
                if (offsetWidth == 4) BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)offset);
                else BinaryPrimitives.WriteUInt64BigEndian(span[1..], (ulong)offset);
                BinaryPrimitives.WriteUInt16BigEndian(span[(1 + offsetWidth)..], (ushort)generation);
            }
        }
        var dictionary = new PdfDictionary(trailer)
            .Set("Type", "XRef")
            .Set("W", new PdfArray([new PdfInteger(1), new PdfInteger(offsetWidth), new PdfInteger(generationWidth)]))
            .Set("Index", index)
            .Set("Filter", "FlateDecode");
        _writer.Write(string.Create(CultureInfo.InvariantCulture, $"{self.Id.Number} 0 obj\n"));
        _writer.WriteObject(new PdfStream(dictionary, PdfFilters.Deflate(rows)));
        EndObject();
    }
}
