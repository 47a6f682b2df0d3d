using System.Buffers;
using System.Globalization;
using System.Text;

namespace Appliance.Documents.Pdf.Syntax;

/// <summary>Writes PDF object syntax into a growing buffer; every byte it writes is ASCII except stream data.</summary>
internal sealed class PdfObjectWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public PdfObjectWriter(int capacity = 64 * 1024) => _buffer = new ArrayBufferWriter<byte>(capacity);

    public int Position => _buffer.WrittenCount;
    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Write(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void Write(string ascii)
    {
        var span = _buffer.GetSpan(ascii.Length);
        var count = Encoding.ASCII.GetBytes(ascii, span);
        _buffer.Advance(count);
    }

    public void Write(long number) => Write(number.ToString(CultureInfo.InvariantCulture));

    public void WriteObject(PdfObject value)
    {
        switch (value)
        {
            case PdfNull: Write("null"); break;
            case PdfBoolean boolean: Write(boolean.Value ? "true" : "false"); break;
            case PdfInteger integer: Write(integer.Value); break;
            case PdfReal real: Write(FormatReal(real.Value)); break;
            case PdfName name: WriteName(name.Value); break;
            case PdfString text: WriteString(text); break;
            case PdfReference reference: Write(string.Create(CultureInfo.InvariantCulture, $"{reference.Id.Number} {reference.Id.Generation} R")); break;
            case PdfArray array:
                Write("[");
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) Write(" ");
                    WriteObject(array[i]);
                }
                Write("]");
                break;
            case PdfDictionary dictionary: WriteDictionary(dictionary); break;
            case PdfStream stream:
                var dictionaryWithLength = new PdfDictionary(stream.Dictionary).Set("Length", stream.Encoded.Length);
                WriteDictionary(dictionaryWithLength);
                Write("\nstream\n");
                Write(stream.Encoded.Span);
                Write("\nendstream");
                break;
            default: throw new ArgumentException($"cannot write {value.GetType().Name}", nameof(value));
        }
    }

    private void WriteDictionary(PdfDictionary dictionary)
    {
        Write("<<");
        WriteDictionaryEntries(dictionary);
        Write(">>");
    }

    /// <summary>The entries without the brackets, for a dictionary whose other entries the caller writes by hand.</summary>
    public void WriteDictionaryEntries(PdfDictionary dictionary)
    {
        foreach (var (key, entry) in dictionary.Entries)
        {
            WriteName(key);
            Write(" ");
            WriteObject(entry);
        }
    }

    /// <summary>Decimal without exponent, at most five places: more than any page coordinate needs (§7.3.3).</summary>
    public static string FormatReal(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), "PDF numbers are finite");
        var text = value.ToString("0.#####", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    private void WriteName(string name)
    {
        Write("/");
        foreach (var c in name)
        {
            var b = (byte)c;
            if (b is < 0x21 or > 0x7E or (byte)'#' || PdfParser.IsDelimiter(b)) Write(string.Create(CultureInfo.InvariantCulture, $"#{b:X2}"));
            else Write([b]);
        }
    }

    private void WriteString(PdfString text)
    {
        if (text.IsHex)
        {
            Write("<");
            Write(Convert.ToHexString(text.Bytes));
            Write(">");
            return;
        }
        Write("(");
        foreach (var b in text.Bytes)
        {
            switch (b)
            {
                case (byte)'(' or (byte)')' or (byte)'\\': Write([(byte)'\\', b]); break;
                // A raw CR would be read back as LF (§7.3.4.2).
                case 13: Write("\\r"); break;
                default: Write([b]); break;
            }
        }
        Write(")");
    }
}
