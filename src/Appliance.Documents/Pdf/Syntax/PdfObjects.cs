using System.Globalization;
using System.Text;

namespace Appliance.Documents.Pdf.Syntax;

/// <summary>One value of PDF object syntax (ISO 32000-1 §7.3). Only what signing reads and writes.</summary>
internal abstract class PdfObject;

internal sealed class PdfNull : PdfObject
{
    public static readonly PdfNull Instance = new();
    private PdfNull() { }
}

internal sealed class PdfBoolean(bool value) : PdfObject
{
    public bool Value { get; } = value;
}

internal sealed class PdfInteger(long value) : PdfObject
{
    public long Value { get; } = value;
}

internal sealed class PdfReal(double value) : PdfObject
{
    public double Value { get; } = value;
}

/// <summary>A name without its slash; bytes kept as Latin-1 characters so any name round-trips.</summary>
internal sealed class PdfName(string value) : PdfObject
{
    public string Value { get; } = value;
    public override string ToString() => "/" + Value;
}

/// <summary>A string's bytes exactly as decoded; <see cref="IsHex"/> only chooses how it is written back.</summary>
internal sealed class PdfString(byte[] bytes, bool isHex = false) : PdfObject
{
    public byte[] Bytes { get; } = bytes;
    public bool IsHex { get; } = isHex;

    /// <summary>A text string (§7.9.2.2): ASCII as is, anything else UTF-16BE with its byte-order mark.</summary>
    public static PdfString FromText(string text)
    {
        if (Ascii.IsValid(text)) return new PdfString(Encoding.ASCII.GetBytes(text));
        var utf16 = Encoding.BigEndianUnicode.GetBytes(text);
        var bytes = new byte[utf16.Length + 2];
        bytes[0] = 0xFE;
        bytes[1] = 0xFF;
        utf16.CopyTo(bytes, 2);
        return new PdfString(bytes, isHex: true);
    }

    /// <summary>
    /// The string read as a text string (§7.9.2.2): UTF-16BE or UTF-8 (PDF 2.0) after their byte-order marks, else
    /// PDFDocEncoding, taken as Latin-1 (they differ only in rarely used punctuation).
    /// </summary>
    public string ToText()
    {
        if (Bytes is [0xFE, 0xFF, ..]) return Encoding.BigEndianUnicode.GetString(Bytes, 2, (Bytes.Length - 2) & ~1);
        if (Bytes is [0xEF, 0xBB, 0xBF, ..]) return Encoding.UTF8.GetString(Bytes, 3, Bytes.Length - 3);
        return Encoding.Latin1.GetString(Bytes);
    }
}

internal sealed class PdfArray : PdfObject
{
    public PdfArray() => Items = [];
    public PdfArray(IEnumerable<PdfObject> items) => Items = [.. items];
    public List<PdfObject> Items { get; }
    public int Count => Items.Count;
    public PdfObject this[int index] => Items[index];
    public void Add(PdfObject item) => Items.Add(item);

    public static PdfArray Of(params ReadOnlySpan<double> numbers)
    {
        var array = new PdfArray();
        foreach (var n in numbers) array.Add(new PdfReal(n));
        return array;
    }
}

internal sealed class PdfDictionary : PdfObject
{
    private readonly Dictionary<string, PdfObject> _entries;

    public PdfDictionary() => _entries = new Dictionary<string, PdfObject>(StringComparer.Ordinal);
    public PdfDictionary(PdfDictionary copyOf) => _entries = new Dictionary<string, PdfObject>(copyOf._entries, StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, PdfObject>> Entries => _entries;
    public int Count => _entries.Count;

    public PdfObject? this[string key]
    {
        get => _entries.TryGetValue(key, out var value) ? value : null;
        set
        {
            // A null value means the key is absent (§7.3.7).
            if (value is null or PdfNull) _entries.Remove(key);
            else _entries[key] = value;
        }
    }

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public PdfDictionary Set(string key, PdfObject value)
    {
        this[key] = value;
        return this;
    }

    public PdfDictionary Set(string key, string name) => Set(key, new PdfName(name));
    public PdfDictionary Set(string key, long number) => Set(key, new PdfInteger(number));
}

internal readonly record struct PdfObjectId(int Number, int Generation)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Number} {Generation}");
}

internal sealed class PdfReference(PdfObjectId id) : PdfObject
{
    public PdfReference(int number, int generation = 0) : this(new PdfObjectId(number, generation)) { }
    public PdfObjectId Id { get; } = id;
}

/// <summary>A stream: its dictionary and its bytes as stored (still encoded by the dictionary's /Filter).</summary>
internal sealed class PdfStream(PdfDictionary dictionary, ReadOnlyMemory<byte> encoded) : PdfObject
{
    public PdfDictionary Dictionary { get; } = dictionary;
    public ReadOnlyMemory<byte> Encoded { get; } = encoded;
}
