using System.Globalization;
using System.IO.Compression;

namespace Appliance.Documents.Pdf.Syntax;

/// <summary>Stream decoding for what the cross-reference machinery needs: FlateDecode with PNG predictors (§7.4.4).</summary>
internal static class PdfFilters
{
    /// <summary>
    /// The decoded bytes, refusing more than <paramref name="limit"/>: a few KB of Flate data can expand to
    /// gigabytes, so every stage is bounded before it allocates.
    /// </summary>
    public static byte[] Decode(PdfStream stream, string what, long limit)
    {
        var filters = stream.Dictionary["Filter"] switch
        {
            null => [],
            PdfName name => [name.Value],
            PdfArray array => array.Items.Select(item => (item as PdfName)?.Value ?? "?").ToArray(),
            _ => throw new PdfSyntaxException($"{what}: /Filter is neither a name nor an array"),
        };
        var parameters = stream.Dictionary["DecodeParms"] switch
        {
            PdfDictionary single => single,
            PdfArray { Count: > 0 } array => array[0] as PdfDictionary,
            _ => null,
        };
        var bytes = stream.Encoded.ToArray();
        foreach (var filter in filters)
        {
            if (filter is not ("FlateDecode" or "Fl")) throw new PdfSyntaxException($"{what}: filter /{filter} is not supported");
            bytes = Inflate(bytes, what, limit);
            bytes = Unpredict(bytes, parameters, what);
        }
        // Unfiltered data counts too: decoded streams are cached, so the limit is on what is kept.
        if (bytes.Length > limit) throw TooLarge(what, limit);
        return bytes;
    }

    public static byte[] Inflate(byte[] zlib, string what, long limit)
    {
        // The zlib header is skipped and the checksum not checked: writers that get Adler-32 wrong are common.
        if (zlib.Length < 2 || (zlib[0] & 0x0F) != 8) throw new PdfSyntaxException($"{what}: FlateDecode data has no zlib header");
        try
        {
            // Measured through a fixed buffer first, so a bomb trips the limit having allocated nothing, and the
            // data is then inflated once more into an array of exactly its size.
            var buffer = new byte[64 * 1024];
            long size = 0;
            using (var measuring = Inflater(zlib))
            {
                int read;
                while ((read = measuring.Read(buffer)) > 0)
                {
                    size += read;
                    if (size > limit) throw TooLarge(what, limit);
                }
            }
            var output = new byte[size];
            using var inflater = Inflater(zlib);
            inflater.ReadExactly(output);
            return output;
        }
        catch (InvalidDataException e)
        {
            throw new PdfSyntaxException($"{what}: FlateDecode data is corrupt ({e.Message})");
        }
    }

    private static PdfSyntaxException TooLarge(string what, long limit) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{what} decodes to more than {limit} bytes"));

    private static DeflateStream Inflater(byte[] zlib) =>
        new(new MemoryStream(zlib, 2, zlib.Length - 2), CompressionMode.Decompress);

    public static byte[] Deflate(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream(data.Length / 2 + 64);
        using (var deflater = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflater.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Unpredict(byte[] data, PdfDictionary? parameters, string what)
    {
        var predictor = (parameters?["Predictor"] as PdfInteger)?.Value ?? 1;
        if (predictor == 1) return data;
        if (predictor < 10) throw new PdfSyntaxException($"{what}: predictor {predictor} is not supported");
        var columns = (parameters!["Columns"] as PdfInteger)?.Value ?? 1;
        var colors = (parameters["Colors"] as PdfInteger)?.Value ?? 1;
        var bits = (parameters["BitsPerComponent"] as PdfInteger)?.Value ?? 8;
        // Bounded before multiplying, so a hostile /Columns cannot overflow the row length.
        if (columns is < 1 or > 1 << 24 || colors is < 1 or > 32 || bits is not (1 or 2 or 4 or 8 or 16))
        {
            throw new PdfSyntaxException($"{what}: bad predictor /Columns, /Colors or /BitsPerComponent");
        }
        // No complete row: nothing to decode, and no row buffer sized by a hostile /Columns.
        if ((columns * colors * bits + 7) / 8 + 1 > data.Length) return [];
        var rowLength = (int)((columns * colors * bits + 7) / 8);
        var pixelBytes = (int)Math.Max(1, colors * bits / 8);
        var rows = data.Length / (rowLength + 1);
        var output = new byte[rows * rowLength];
        var previous = new byte[rowLength];
        for (var row = 0; row < rows; row++)
        {
            var type = data[row * (rowLength + 1)];
            var source = data.AsSpan(row * (rowLength + 1) + 1, rowLength);
            var current = output.AsSpan(row * rowLength, rowLength);
            for (var i = 0; i < rowLength; i++)
            {
                var left = i >= pixelBytes ? current[i - pixelBytes] : 0;
                var up = previous[i];
                var upLeft = i >= pixelBytes ? previous[i - pixelBytes] : 0;
                current[i] = type switch
                {
                    0 => source[i],
                    1 => (byte)(source[i] + left),
                    2 => (byte)(source[i] + up),
                    3 => (byte)(source[i] + (left + up) / 2),
                    4 => (byte)(source[i] + Paeth(left, up, upLeft)),
                    _ => throw new PdfSyntaxException($"{what}: PNG predictor row type {type} is unknown"),
                };
            }
            current.CopyTo(previous);
        }
        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
