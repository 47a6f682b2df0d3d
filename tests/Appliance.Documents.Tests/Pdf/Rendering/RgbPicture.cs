using System.Text;
using Appliance.Documents.Pdf.Rendering;

namespace Appliance.Documents.Tests.Pdf.Rendering;

/// <summary>An RGB picture of a page, from our render or from pdftoppm's PPM, to look at it as a person would.</summary>
internal sealed class RgbPicture(int width, int height, byte[] rgb)
{
    public int Width { get; } = width;
    public int Height { get; } = height;

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = (y * Width + x) * 3;
            return (rgb[i], rgb[i + 1], rgb[i + 2]);
        }
    }

    /// <summary>Our render: BGRA premultiplied, and opaque everywhere (painted white first), so it reads as plain RGB.</summary>
    public static RgbPicture From(PdfPageImage image)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        var pixels = image.Pixels;
        for (var y = 0; y < image.Height; y++)
        {
            var row = pixels.Slice(y * image.Stride, image.Width * 4);
            for (var x = 0; x < image.Width; x++)
            {
                Assert.Equal(255, row[x * 4 + 3]);
                rgb[(y * image.Width + x) * 3] = row[x * 4 + 2];
                rgb[(y * image.Width + x) * 3 + 1] = row[x * 4 + 1];
                rgb[(y * image.Width + x) * 3 + 2] = row[x * 4];
            }
        }
        return new RgbPicture(image.Width, image.Height, rgb);
    }

    /// <summary>A binary PPM (P6, maxval 255), as pdftoppm writes it.</summary>
    public static RgbPicture ReadPpm(byte[] ppm)
    {
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)ppm[position])) position++;
            var start = position;
            while (!char.IsWhiteSpace((char)ppm[position])) position++;
            return Encoding.ASCII.GetString(ppm, start, position - start);
        }
        Assert.Equal("P6", Token());
        var width = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        position++; // the one whitespace byte before the samples
        return new RgbPicture(width, height, ppm.AsSpan(position, width * height * 3).ToArray());
    }

    public bool IsWhite(int x, int y) => this[x, y] == (255, 255, 255);

    public static bool IsDark((byte R, byte G, byte B) pixel) => pixel.R < 96 && pixel.G < 96 && pixel.B < 96;

    /// <summary>Mean absolute difference per channel over the area both pictures cover, in [<paramref name="x0"/>, <paramref name="x1"/>) × [<paramref name="y0"/>, <paramref name="y1"/>).</summary>
    public double MeanAbsoluteDifference(RgbPicture other, int x0 = 0, int y0 = 0, int x1 = int.MaxValue, int y1 = int.MaxValue)
    {
        x1 = Math.Min(x1, Math.Min(Width, other.Width));
        y1 = Math.Min(y1, Math.Min(Height, other.Height));
        long sum = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                var (r, g, b) = this[x, y];
                var (r2, g2, b2) = other[x, y];
                sum += Math.Abs(r - r2) + Math.Abs(g - g2) + Math.Abs(b - b2);
            }
        }
        return sum / (3.0 * (x1 - x0) * (y1 - y0));
    }
}
