using System.IO.Compression;

namespace Appliance.Documents.Pdf.Syntax;

/// <summary>Stream decoding for what the cross-reference machinery needs: FlateDecode with PNG predictors (§7.4.4).</summary>
internal static class PdfFilters
{
    public static byte[] Decode(PdfStream stream, string what)
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
            bytes = Inflate(bytes, what);
            bytes = Unpredict(bytes, parameters, what);
        }
        return bytes;
    }

    public static byte[] Inflate(byte[] zlib, string what)
    {
        // The zlib header is skipped and the checksum not checked: writers that get Adler-32 wrong are common.
        if (zlib.Length < 2 || (zlib[0] & 0x0F) != 8) throw new PdfSyntaxException($"{what}: FlateDecode data has no zlib header");
        try
        {
            using var input = new MemoryStream(zlib, 2, zlib.Length - 2);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(zlib.Length * 4);
            inflater.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new PdfSyntaxException($"{what}: FlateDecode data is corrupt ({e.Message})");
        }
    }

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
        var columns = (int)((parameters!["Columns"] as PdfInteger)?.Value ?? 1);
        var colors = (int)((parameters["Colors"] as PdfInteger)?.Value ?? 1);
        var bits = (int)((parameters["BitsPerComponent"] as PdfInteger)?.Value ?? 8);
        var rowLength = (columns * colors * bits + 7) / 8;
        var pixelBytes = Math.Max(1, colors * bits / 8);
        if (rowLength <= 0) throw new PdfSyntaxException($"{what}: bad predictor /Columns");
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
