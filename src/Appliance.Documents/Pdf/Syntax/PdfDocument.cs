using System.Globalization;

namespace Appliance.Documents.Pdf.Syntax;

/// <summary>
/// A PDF file read by its cross-reference data (ISO 32000-1 §7.5): the last <c>startxref</c>, then every section back
/// along /Prev (classic tables, cross-reference streams, and the hybrid /XRefStm), objects found by offset or inside
/// object streams. Objects are parsed only when asked for, so a large document costs little more than a small one.
/// </summary>
internal sealed class PdfDocument
{
    private const int MaxSections = 4096;
    /// <summary>ISO 32000-1 Annex C's limit on indirect objects; larger numbers only serve to make tables huge.</summary>
    public const int MaxObjectNumber = 8_388_607;
    /// <summary>Nested resolutions (a /Length in an object stream, that stream's own /Length …); real files need 3.</summary>
    private const int MaxNesting = 32;
    /// <summary>Decoded size of one object stream (or other stream); larger ones are hostile on a terminal.</summary>
    private const long MaxStreamBytes = 64L * 1024 * 1024;
    /// <summary>Decoded bytes for the whole document: decoded object streams stay cached while it is open.</summary>
    private const long DecodedBudget = 256L * 1024 * 1024;
    private readonly CancellationToken _ct;
    private long _decodedLeft = DecodedBudget;
    private int _nesting;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly Dictionary<int, CrossReferenceEntry> _entries = [];
    private readonly Dictionary<PdfObjectId, PdfObject> _objects = [];
    private readonly Dictionary<int, ObjectStreamContents> _objectStreams = [];
    private readonly HashSet<PdfObjectId> _resolving = [];

    private PdfDocument(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        _data = data;
        _ct = ct;
        Trailer = new PdfDictionary();
    }

    /// <summary>The newest trailer, with /Root, /Info, /ID and /Encrypt taken from older ones when it lacks them.</summary>
    public PdfDictionary Trailer { get; }

    /// <summary>Where the newest cross-reference section starts: the update's /Prev.</summary>
    public long LastCrossReferenceOffset { get; private set; }

    /// <summary>Whether the newest section is a cross-reference stream (an update then writes one too).</summary>
    public bool LastSectionIsStream { get; private set; }

    /// <summary>One more than the highest object number in use (/Size).</summary>
    public int Size { get; private set; }

    public static PdfDocument Open(ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        var document = new PdfDocument(data, ct);
        document.ReadCrossReferences();
        return document;
    }

    private void ReadCrossReferences()
    {
        var span = _data.Span;
        if (span.IndexOf("%PDF-"u8) is < 0 or > 1024) throw new PdfSyntaxException("no %PDF- header in the first 1024 bytes");
        var keyword = span.LastIndexOf("startxref"u8);
        if (keyword < 0) throw new PdfSyntaxException("no startxref");
        var parser = new PdfParser(_data) { Position = keyword + "startxref".Length };
        LastCrossReferenceOffset = parser.ReadUnsignedInteger("the offset after startxref");

        var offset = LastCrossReferenceOffset;
        var visited = new HashSet<long>();
        var newest = true;
        while (true)
        {
            _ct.ThrowIfCancellationRequested();
            if (offset <= 0 || offset >= _data.Length) throw new PdfSyntaxException(string.Create(CultureInfo.InvariantCulture, $"cross-reference offset {offset} is outside the file"));
            if (!visited.Add(offset) || visited.Count > MaxSections) throw new PdfSyntaxException("cross-reference /Prev chain loops");
            var (trailer, isStream) = ReadSection((int)offset);
            if (newest)
            {
                LastSectionIsStream = isStream;
                var size = (trailer["Size"] as PdfInteger)?.Value ?? throw new PdfSyntaxException("newest trailer has no /Size");
                if (size is < 0 or > MaxObjectNumber) throw new PdfSyntaxException(string.Create(CultureInfo.InvariantCulture, $"trailer /Size {size} is outside 0..{MaxObjectNumber}"));
                Size = (int)size;
                newest = false;
            }
            foreach (var key in (ReadOnlySpan<string>)["Size", "Root", "Info", "ID", "Encrypt"])
            {
                if (!Trailer.ContainsKey(key) && trailer[key] is { } value) Trailer[key] = value;
            }
            if (trailer["Prev"] is not PdfInteger previous) break;
            offset = previous.Value;
        }
        if (Trailer["Root"] is not PdfReference) throw new PdfSyntaxException("trailer has no /Root reference");
        // Entries beyond /Size are not objects of this file (§7.5.4); /Size is what an update continues from.
        Size = Math.Max(Size, _entries.Count == 0 ? 1 : _entries.Keys.Max() + 1);
    }

    private (PdfDictionary Trailer, bool IsStream) ReadSection(int offset)
    {
        var parser = new PdfParser(_data) { Position = offset };
        if (parser.PeekKeyword("xref"))
        {
            parser.ExpectKeyword("xref");
            ReadTable(parser);
            var trailer = parser.ReadObject() as PdfDictionary ?? throw PdfParser.Error(parser.Position, "trailer is not a dictionary");
            // A hybrid file's table hides objects the stream at /XRefStm lists (§7.5.8.4); the table wins.
            if (trailer["XRefStm"] is PdfInteger hybrid)
            {
                if (hybrid.Value <= 0 || hybrid.Value >= _data.Length) throw new PdfSyntaxException(string.Create(CultureInfo.InvariantCulture, $"/XRefStm offset {hybrid.Value} is outside the file"));
                ReadStreamSection((int)hybrid.Value);
            }
            return (trailer, false);
        }
        return (ReadStreamSection(offset), true);
    }

    private void ReadTable(PdfParser parser)
    {
        while (!parser.PeekKeyword("trailer"))
        {
            var first = parser.ReadUnsignedInteger("first object number of a cross-reference subsection");
            var count = parser.ReadUnsignedInteger("entry count of a cross-reference subsection");
            CheckObjectNumbers(first, count);
            for (long i = 0; i < count; i++)
            {
                var position = parser.ReadUnsignedInteger("cross-reference entry offset");
                var generation = parser.ReadUnsignedInteger("cross-reference entry generation");
                var kind = parser.ReadToken();
                if (kind is not ("n" or "f")) throw PdfParser.Error(parser.Position, $"cross-reference entry ends in '{kind}', not n or f");
                if (generation > ushort.MaxValue) throw PdfParser.Error(parser.Position, $"cross-reference generation {generation} is above 65535");
                Add((int)(first + i), kind == "n"
                    ? new CrossReferenceEntry(CrossReferenceKind.Offset, position, (int)generation)
                    : new CrossReferenceEntry(CrossReferenceKind.Free, 0, (int)generation));
            }
        }
        parser.ExpectKeyword("trailer");
    }

    private PdfDictionary ReadStreamSection(int offset)
    {
        var parser = new PdfParser(_data) { Position = offset };
        PdfObject value;
        try { value = parser.ReadIndirectObject().Value; }
        catch (PdfSyntaxException e) { throw new PdfSyntaxException($"no cross-reference table or stream at startxref offset {offset} ({e.Message})"); }
        if (value is not PdfStream { Dictionary: var dictionary } stream || (dictionary["Type"] as PdfName)?.Value != "XRef")
        {
            throw new PdfSyntaxException(string.Create(CultureInfo.InvariantCulture, $"object at cross-reference offset {offset} is not a /Type /XRef stream"));
        }
        var widths = (dictionary["W"] as PdfArray)?.Items.Select(w => (int)Math.Clamp((w as PdfInteger)?.Value ?? -1, -1, 9)).ToArray();
        // A zero-width offset field would make every row empty, and an empty row costs nothing to repeat /Size times.
        if (widths is not { Length: 3 } || widths.Any(w => w is < 0 or > 8) || widths[1] == 0)
        {
            throw new PdfSyntaxException($"cross-reference stream at byte {offset} has a bad /W (three widths of 0..8 bytes, the offset's above 0)");
        }
        var size = (dictionary["Size"] as PdfInteger)?.Value ?? throw new PdfSyntaxException("cross-reference stream has no /Size");
        if (size is < 0 or > MaxObjectNumber) throw new PdfSyntaxException(string.Create(CultureInfo.InvariantCulture, $"cross-reference stream /Size {size} is outside 0..{MaxObjectNumber}"));
        var index = (dictionary["Index"] as PdfArray)?.Items.Select(i => (i as PdfInteger)?.Value ?? -1).ToArray() ?? [0, size];
        if (index.Length % 2 != 0 || index.Any(i => i < 0)) throw new PdfSyntaxException("cross-reference stream has a bad /Index");
        long entries = 0;
        for (var pair = 0; pair < index.Length; pair += 2)
        {
            CheckObjectNumbers(index[pair], index[pair + 1]);
            entries += index[pair + 1];
        }

        var rowLength = widths.Sum();
        // The stream may hold exactly its rows; a PNG predictor adds one byte per row, the slack covers writers' padding.
        var rows = Decode(stream, $"cross-reference stream at byte {offset}", entries * (rowLength + 1) + 1024);
        if (entries * rowLength > rows.Length) throw new PdfSyntaxException("cross-reference stream is shorter than its /Index says");
        var row = 0;
        for (var pair = 0; pair < index.Length; pair += 2)
        {
            for (long i = 0; i < index[pair + 1]; i++, row++)
            {
                var entry = rows.AsSpan(row * rowLength, rowLength);
                // A missing type field means type 1 (§7.5.8.2, Table 17).
                var type = widths[0] == 0 ? 1 : Field(entry[..widths[0]]);
                var second = Field(entry.Slice(widths[0], widths[1]));
                var third = Field(entry.Slice(widths[0] + widths[1], widths[2]));
                var number = (int)(index[pair] + i);
                switch (type)
                {
                    case 0: Add(number, new CrossReferenceEntry(CrossReferenceKind.Free, 0, (int)third)); break;
                    case 1: Add(number, new CrossReferenceEntry(CrossReferenceKind.Offset, second, (int)third)); break;
                    case 2 when second > MaxObjectNumber: throw new PdfSyntaxException($"cross-reference stream puts object {number} in object stream {second}, above {MaxObjectNumber}");
                    case 2: Add(number, new CrossReferenceEntry(CrossReferenceKind.Compressed, second, (int)third)); break;
                    // Unknown types are references to the null object (§7.5.8.3).
                }
            }
        }
        return dictionary;
    }

    private static long Field(ReadOnlySpan<byte> bytes)
    {
        long value = 0;
        foreach (var b in bytes) value = value << 8 | b;
        return value;
    }

    private void Add(int number, CrossReferenceEntry entry) => _entries.TryAdd(number, entry);

    /// <summary>A subsection's object numbers stay within the limit, so /Size, Max()+1 and new numbers cannot overflow.</summary>
    private static void CheckObjectNumbers(long first, long count)
    {
        if (first > MaxObjectNumber || count > MaxObjectNumber + 1L - first)
        {
            throw new PdfSyntaxException(string.Create(CultureInfo.InvariantCulture, $"cross-reference subsection {first} {count} has object numbers above {MaxObjectNumber}"));
        }
    }

    /// <summary>Decodes within <paramref name="cap"/> and what is left of the document's budget.</summary>
    private byte[] Decode(PdfStream stream, string what, long cap)
    {
        _ct.ThrowIfCancellationRequested();
        var bytes = PdfFilters.Decode(stream, what, Math.Max(0, Math.Min(cap, _decodedLeft)));
        _decodedLeft -= bytes.Length;
        return bytes;
    }

    public PdfObject? Resolve(PdfObject? value) => value is PdfReference reference ? GetObject(reference.Id) : value;

    public PdfDictionary? ResolveDictionary(PdfObject? value) => Resolve(value) switch
    {
        PdfDictionary dictionary => dictionary,
        PdfStream stream => stream.Dictionary,
        _ => null,
    };

    /// <summary>The object with this number, or <see cref="PdfNull"/> when it is free or absent (§7.3.10).</summary>
    public PdfObject GetObject(PdfObjectId id)
    {
        if (_objects.TryGetValue(id, out var cached)) return cached;
        if (!_entries.TryGetValue(id.Number, out var entry) || entry.Kind == CrossReferenceKind.Free) return PdfNull.Instance;
        if (_nesting >= MaxNesting) throw new PdfSyntaxException($"object {id}: resolution nested more than {MaxNesting} deep (a chain of /Length or object streams)");
        // Every object read is a point to give up at: a file can make callers read very many of them.
        _ct.ThrowIfCancellationRequested();
        if (!_resolving.Add(id)) throw new PdfSyntaxException($"object {id} refers to itself while being read");
        _nesting++;
        try
        {
            PdfObject value;
            if (entry.Kind == CrossReferenceKind.Offset)
            {
                if (entry.Generation != id.Generation) return PdfNull.Instance;
                value = ReadObjectAt(id, entry.Offset);
            }
            else
            {
                if (id.Generation != 0) return PdfNull.Instance;
                value = ReadFromObjectStream(id, (int)entry.Offset, entry.Generation);
            }
            _objects[id] = value;
            return value;
        }
        finally
        {
            _nesting--;
            _resolving.Remove(id);
        }
    }

    private PdfObject ReadObjectAt(PdfObjectId id, long offset)
    {
        if (offset <= 0 || offset >= _data.Length) throw new PdfSyntaxException($"object {id}: offset {offset} is outside the file");
        var parser = new PdfParser(_data, ResolveLength) { Position = (int)offset };
        PdfObjectId foundId;
        PdfObject value;
        try { (foundId, value) = parser.ReadIndirectObject(); }
        catch (PdfSyntaxException e) { throw new PdfSyntaxException($"object {id} at offset {offset}: {e.Message}"); }
        if (foundId.Number != id.Number) throw new PdfSyntaxException($"object {id}: offset {offset} holds object {foundId} instead");
        return value;
    }

    /// <summary>
    /// An indirect /Length, read where it lies and accepted only as a plain integer: reading it as a full object could
    /// read another stream with its own indirect /Length, a recursion as deep as the file is long.
    /// </summary>
    private PdfObject? ResolveLength(PdfObjectId id)
    {
        PdfObject value;
        if (_objects.TryGetValue(id, out var cached)) value = cached;
        // Missing: the data then runs to endstream, as before.
        else if (!_entries.TryGetValue(id.Number, out var entry) || entry.Kind == CrossReferenceKind.Free) return null;
        // Values in object streams are parsed without resolving anything; GetObject's nesting bound covers loading the stream.
        else if (entry.Kind == CrossReferenceKind.Compressed) value = GetObject(id);
        else
        {
            if (entry.Generation != id.Generation) return null;
            if (entry.Offset <= 0 || entry.Offset >= _data.Length) throw new PdfSyntaxException($"/Length {id}: offset {entry.Offset} is outside the file");
            var parser = new PdfParser(_data) { Position = (int)entry.Offset };
            if (parser.ReadObjectHeader().Number != id.Number) throw new PdfSyntaxException($"/Length {id}: offset {entry.Offset} holds another object");
            value = parser.ReadObject();
        }
        return value switch
        {
            PdfInteger => value,
            PdfNull => null,
            _ => throw new PdfSyntaxException($"stream /Length {id} is not an integer"),
        };
    }

    private PdfObject ReadFromObjectStream(PdfObjectId id, int streamNumber, int index)
    {
        if (!_objectStreams.TryGetValue(streamNumber, out var contents))
        {
            contents = LoadObjectStream(streamNumber);
            _objectStreams[streamNumber] = contents;
        }
        if (index < 0 || index >= contents.Offsets.Length) throw new PdfSyntaxException($"object {id}: index {index} is outside object stream {streamNumber}");
        var (number, offset) = contents.Offsets[index];
        if (number != id.Number) throw new PdfSyntaxException($"object {id}: object stream {streamNumber} holds object {number} at index {index}");
        try { return new PdfParser(contents.Data) { Position = offset }.ReadObject(); }
        catch (PdfSyntaxException e) { throw new PdfSyntaxException($"object {id} in object stream {streamNumber}: {e.Message}"); }
    }

    private ObjectStreamContents LoadObjectStream(int streamNumber)
    {
        var what = $"object stream {streamNumber}";
        // An object stream inside another is forbidden (§7.5.7) and would chain loads as deep as the file allows.
        if (_entries.TryGetValue(streamNumber, out var entry) && entry.Kind == CrossReferenceKind.Compressed)
        {
            throw new PdfSyntaxException($"{what} is itself inside object stream {entry.Offset}");
        }
        if (GetObject(new PdfObjectId(streamNumber, 0)) is not PdfStream stream || (stream.Dictionary["Type"] as PdfName)?.Value != "ObjStm")
        {
            throw new PdfSyntaxException($"{what} is not a /Type /ObjStm stream");
        }
        var count = (stream.Dictionary["N"] as PdfInteger)?.Value ?? throw new PdfSyntaxException($"{what} has no /N");
        var first = (stream.Dictionary["First"] as PdfInteger)?.Value ?? throw new PdfSyntaxException($"{what} has no /First");
        var data = Decode(stream, what, MaxStreamBytes);
        // Each header pair takes at least 4 bytes before /First, which bounds the table allocated here.
        if (first < 0 || first > data.Length || count < 0 || count > (first + 1) / 4) throw new PdfSyntaxException($"{what} has a bad /N or /First");
        var header = new PdfParser(data);
        var offsets = new (int, int)[count];
        for (var i = 0; i < count; i++)
        {
            var number = header.ReadUnsignedInteger($"object number in the header of {what}");
            var offset = header.ReadUnsignedInteger($"offset in the header of {what}");
            if (first + offset >= data.Length) throw new PdfSyntaxException($"{what}: object {number} lies outside the stream");
            if (number > MaxObjectNumber) throw new PdfSyntaxException($"{what}: object number {number} is above {MaxObjectNumber}");
            offsets[i] = ((int)number, (int)(first + offset));
        }
        return new ObjectStreamContents(data, offsets);
    }

    private enum CrossReferenceKind { Free, Offset, Compressed }

    /// <summary>Offset is the byte offset, or for a compressed object its object stream's number; Generation is then the index in it.</summary>
    private readonly record struct CrossReferenceEntry(CrossReferenceKind Kind, long Offset, int Generation);

    private sealed record ObjectStreamContents(byte[] Data, (int Number, int Offset)[] Offsets);
}
