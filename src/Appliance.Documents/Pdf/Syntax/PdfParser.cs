using System.Globalization;
using System.Text;

namespace Appliance.Documents.Pdf.Syntax;

/// <summary>
/// Reads PDF object syntax (ISO 32000-1 §7.2–7.3) from a position in the file. Streams take their bytes by
/// /Length; an indirect /Length is asked of <paramref name="resolveLength"/>, and when it is missing or wrong the
/// data runs to the next <c>endstream</c>, as readers commonly tolerate.
/// </summary>
internal sealed class PdfParser(ReadOnlyMemory<byte> data, Func<PdfObjectId, PdfObject?>? resolveLength = null)
{
    private const int MaxDepth = 256;
    private readonly ReadOnlyMemory<byte> _data = data;

    public int Position { get; set; }

    private ReadOnlySpan<byte> Span => _data.Span;

    public static bool IsWhitespace(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;
    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';
    private static bool IsRegular(byte b) => !IsWhitespace(b) && !IsDelimiter(b);

    public void SkipWhitespaceAndComments()
    {
        var span = Span;
        while (Position < span.Length)
        {
            var b = span[Position];
            if (IsWhitespace(b)) Position++;
            else if (b == '%')
            {
                while (Position < span.Length && span[Position] is not (10 or 13)) Position++;
            }
            else break;
        }
    }

    /// <summary>Reads the <c>n g obj … endobj</c> at the current position.</summary>
    public (PdfObjectId Id, PdfObject Value) ReadIndirectObject()
    {
        var id = ReadObjectHeader();
        var value = ReadObject(0);
        SkipWhitespaceAndComments();
        if (value is PdfDictionary dictionary && TryReadKeyword("stream"))
        {
            value = ReadStreamBody(dictionary);
        }
        // endobj is often missing or misspelt in the wild; the object is complete without it.
        return (id, value);
    }

    /// <summary>Reads the <c>n g obj</c> that starts an indirect object.</summary>
    public PdfObjectId ReadObjectHeader()
    {
        var start = Position;
        var number = ReadUnsignedInteger("object number");
        var generation = ReadUnsignedInteger("generation number");
        if (!TryReadKeyword("obj")) throw Error(start, "expected 'n g obj'");
        if (number > int.MaxValue || generation > ushort.MaxValue) throw Error(start, "object or generation number out of range");
        return new PdfObjectId((int)number, (int)generation);
    }

    public PdfObject ReadObject() => ReadObject(0);

    private PdfObject ReadObject(int depth)
    {
        if (depth > MaxDepth) throw Error(Position, "objects nested too deeply");
        SkipWhitespaceAndComments();
        var span = Span;
        if (Position >= span.Length) throw Error(Position, "unexpected end of file");
        var b = span[Position];
        switch (b)
        {
            case (byte)'/':
                return ReadName();
            case (byte)'(':
                return ReadLiteralString();
            case (byte)'<' when Position + 1 < span.Length && span[Position + 1] == '<':
                return ReadDictionary(depth);
            case (byte)'<':
                return ReadHexString();
            case (byte)'[':
                return ReadArray(depth);
            case (byte)'+' or (byte)'-' or (byte)'.' or (>= (byte)'0' and <= (byte)'9'):
                return ReadNumberOrReference();
        }
        var start = Position;
        var word = ReadRegularToken();
        return word switch
        {
            "true" => new PdfBoolean(true),
            "false" => new PdfBoolean(false),
            "null" => PdfNull.Instance,
            _ => throw Error(start, word.Length == 0 ? $"unexpected '{(char)b}'" : $"unexpected keyword '{word}'"),
        };
    }

    /// <summary>The keyword or other run of regular characters after any whitespace.</summary>
    public string ReadToken()
    {
        SkipWhitespaceAndComments();
        return ReadRegularToken();
    }

    private string ReadRegularToken()
    {
        var span = Span;
        var start = Position;
        while (Position < span.Length && IsRegular(span[Position])) Position++;
        return Encoding.Latin1.GetString(span[start..Position]);
    }

    private bool TryReadKeyword(string keyword)
    {
        SkipWhitespaceAndComments();
        var span = Span;
        var end = Position + keyword.Length;
        if (end > span.Length) return false;
        for (var i = 0; i < keyword.Length; i++)
        {
            if (span[Position + i] != keyword[i]) return false;
        }
        if (end < span.Length && IsRegular(span[end])) return false;
        Position = end;
        return true;
    }

    public bool PeekKeyword(string keyword)
    {
        var saved = Position;
        var found = TryReadKeyword(keyword);
        Position = saved;
        return found;
    }

    public void ExpectKeyword(string keyword)
    {
        if (!TryReadKeyword(keyword)) throw Error(Position, $"expected '{keyword}'");
    }

    public long ReadUnsignedInteger(string what)
    {
        SkipWhitespaceAndComments();
        var span = Span;
        var start = Position;
        long value = 0;
        while (Position < span.Length && span[Position] is >= (byte)'0' and <= (byte)'9')
        {
            value = checked(value * 10 + (span[Position] - '0'));
            Position++;
        }
        if (Position == start) throw Error(start, $"expected {what}");
        return value;
    }

    private PdfObject ReadNumberOrReference()
    {
        var number = ReadNumber();
        if (number is not PdfInteger { Value: >= 0 } first) return number;
        // "n g R" is a reference; look ahead without consuming anything else.
        var afterFirst = Position;
        SkipWhitespaceAndComments();
        var span = Span;
        if (Position < span.Length && span[Position] is >= (byte)'0' and <= (byte)'9')
        {
            var generation = ReadUnsignedInteger("generation");
            if (TryReadKeyword("R") && first.Value <= int.MaxValue && generation <= ushort.MaxValue)
            {
                return new PdfReference((int)first.Value, (int)generation);
            }
        }
        Position = afterFirst;
        return first;
    }

    private PdfObject ReadNumber()
    {
        var span = Span;
        var start = Position;
        if (span[Position] is (byte)'+' or (byte)'-') Position++;
        var isReal = false;
        while (Position < span.Length && (span[Position] is >= (byte)'0' and <= (byte)'9' || span[Position] == '.'))
        {
            if (span[Position] == '.') isReal = true;
            Position++;
        }
        var text = Encoding.ASCII.GetString(span[start..Position]);
        if (!isReal && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return new PdfInteger(integer);
        }
        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var real))
        {
            return new PdfReal(real);
        }
        // A lone sign or point is read as zero, as §7.3.3's readers do.
        if (text is "+" or "-" or "." or "-." or "+.") return new PdfInteger(0);
        throw Error(start, $"bad number '{text}'");
    }

    private PdfName ReadName()
    {
        var span = Span;
        Position++;
        var bytes = new List<byte>();
        while (Position < span.Length && IsRegular(span[Position]))
        {
            var b = span[Position];
            if (b == '#' && Position + 2 < span.Length && IsHexDigit(span[Position + 1]) && IsHexDigit(span[Position + 2]))
            {
                bytes.Add((byte)(HexValue(span[Position + 1]) << 4 | HexValue(span[Position + 2])));
                Position += 3;
            }
            else
            {
                bytes.Add(b);
                Position++;
            }
        }
        return new PdfName(Encoding.Latin1.GetString(bytes.ToArray()));
    }

    private PdfString ReadLiteralString()
    {
        var span = Span;
        var start = Position;
        Position++;
        var bytes = new List<byte>();
        var nesting = 1;
        while (true)
        {
            if (Position >= span.Length) throw Error(start, "unterminated string");
            var b = span[Position++];
            switch (b)
            {
                case (byte)'(':
                    nesting++;
                    bytes.Add(b);
                    break;
                case (byte)')':
                    if (--nesting == 0) return new PdfString(bytes.ToArray());
                    bytes.Add(b);
                    break;
                case (byte)'\\':
                    ReadEscape(span, bytes);
                    break;
                case 13:
                    // An end of line inside a string is a line feed whatever its form (§7.3.4.2).
                    if (Position < span.Length && span[Position] == 10) Position++;
                    bytes.Add(10);
                    break;
                default:
                    bytes.Add(b);
                    break;
            }
        }
    }

    private void ReadEscape(ReadOnlySpan<byte> span, List<byte> bytes)
    {
        if (Position >= span.Length) return;
        var e = span[Position++];
        switch (e)
        {
            case (byte)'n': bytes.Add(10); break;
            case (byte)'r': bytes.Add(13); break;
            case (byte)'t': bytes.Add(9); break;
            case (byte)'b': bytes.Add(8); break;
            case (byte)'f': bytes.Add(12); break;
            case 13:
                if (Position < span.Length && span[Position] == 10) Position++;
                break;
            case 10:
                break;
            case >= (byte)'0' and <= (byte)'7':
                var value = e - '0';
                for (var i = 0; i < 2 && Position < span.Length && span[Position] is >= (byte)'0' and <= (byte)'7'; i++)
                {
                    value = value * 8 + (span[Position++] - '0');
                }
                bytes.Add((byte)value);
                break;
            default:
                bytes.Add(e);
                break;
        }
    }

    private PdfString ReadHexString()
    {
        var span = Span;
        var start = Position;
        Position++;
        var bytes = new List<byte>();
        var high = -1;
        while (true)
        {
            if (Position >= span.Length) throw Error(start, "unterminated hex string");
            var b = span[Position++];
            if (b == '>') break;
            if (IsWhitespace(b)) continue;
            if (!IsHexDigit(b)) throw Error(Position - 1, "bad character in hex string");
            if (high < 0) high = HexValue(b);
            else
            {
                bytes.Add((byte)(high << 4 | HexValue(b)));
                high = -1;
            }
        }
        if (high >= 0) bytes.Add((byte)(high << 4));
        return new PdfString(bytes.ToArray(), isHex: true);
    }

    private PdfArray ReadArray(int depth)
    {
        var start = Position;
        Position++;
        var array = new PdfArray();
        while (true)
        {
            SkipWhitespaceAndComments();
            if (Position >= Span.Length) throw Error(start, "unterminated array");
            if (Span[Position] == ']')
            {
                Position++;
                return array;
            }
            array.Add(ReadObject(depth + 1));
        }
    }

    private PdfDictionary ReadDictionary(int depth)
    {
        var start = Position;
        Position += 2;
        var dictionary = new PdfDictionary();
        while (true)
        {
            SkipWhitespaceAndComments();
            var span = Span;
            if (Position >= span.Length) throw Error(start, "unterminated dictionary");
            if (span[Position] == '>' && Position + 1 < span.Length && span[Position + 1] == '>')
            {
                Position += 2;
                return dictionary;
            }
            if (span[Position] != '/') throw Error(Position, "dictionary key is not a name");
            var key = ReadName().Value;
            var value = ReadObject(depth + 1);
            dictionary[key] = value;
        }
    }

    private PdfStream ReadStreamBody(PdfDictionary dictionary)
    {
        var span = Span;
        // "stream" is followed by CRLF or LF (a lone CR is tolerated).
        if (Position < span.Length && span[Position] == 13) Position++;
        if (Position < span.Length && span[Position] == 10) Position++;
        var dataStart = Position;
        var length = dictionary["Length"] switch
        {
            PdfInteger integer => integer.Value,
            PdfReference reference when resolveLength?.Invoke(reference.Id) is PdfInteger resolved => resolved.Value,
            _ => -1,
        };
        // Compared as a remainder: dataStart + a hostile /Length near long.MaxValue would wrap negative.
        if (length >= 0 && length <= span.Length - dataStart && EndstreamFollows(dataStart + length))
        {
            Position = (int)(dataStart + length);
        }
        else
        {
            var end = span[dataStart..].IndexOf("endstream"u8);
            if (end < 0) throw Error(dataStart, "stream without endstream");
            var dataEnd = dataStart + end;
            // The end-of-line before endstream is not part of the data.
            if (dataEnd > dataStart && span[dataEnd - 1] == 10) dataEnd--;
            if (dataEnd > dataStart && span[dataEnd - 1] == 13) dataEnd--;
            length = dataEnd - dataStart;
            Position = dataEnd;
        }
        var encoded = _data.Slice(dataStart, (int)length);
        ExpectKeyword("endstream");
        return new PdfStream(dictionary, encoded);
    }

    private bool EndstreamFollows(long position)
    {
        var saved = Position;
        Position = (int)position;
        var found = TryReadKeyword("endstream");
        Position = saved;
        return found;
    }

    private static bool IsHexDigit(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    public static PdfSyntaxException Error(int offset, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"at byte {offset}: {what}"));
}
