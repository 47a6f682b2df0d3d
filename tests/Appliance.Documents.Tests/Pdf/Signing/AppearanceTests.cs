using System.Globalization;
using System.Text;
using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>Where the images land, judged on pdftoppm's 72 dpi render (one pixel per point).</summary>
public sealed class AppearanceTests
{
    private static readonly (byte R, byte G, byte B) Dark = (10, 10, 40);
    private static readonly (byte R, byte G, byte B) Red = (200, 20, 20);

    /// <summary>Top half dark, bottom half red, so a render shows whether the image stands upright.</summary>
    private static PdfRgbaImage TwoTone(int width = 120, int height = 40)
    {
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            var (r, g, b) = y < height / 2 ? Dark : Red;
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (r, g, b, 255);
            }
        }
        return new PdfRgbaImage(width, height, rgba);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(90, false)]
    [InlineData(180, true)]
    [InlineData(270, false)]
    public async Task The_image_shows_upright_at_its_fractions_of_the_displayed_page_and_nothing_else_changes(int rotate, bool objectStreams)
    {
        using var dir = new TempDir();
        var original = await SampleAsync(dir, objectStreams);
        if (rotate != 0) original = await QpdfAsync(dir, original, $"--rotate=+{rotate}");
        var placement = new PdfImagePlacement(1, 0.2, 0.55, 0.35, 0.12, TwoTone());

        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(original, Request(placement), TestContext.Current.CancellationToken);

        var path = await WriteAsync(dir, "signed.pdf", signed);
        await AssertQpdfCleanAsync(path);
        var (output, verdicts) = await PdfsigAsync(path);
        Assert.True(verdicts is ["Signature is Valid."], output);
        var before = await RenderAsync(dir, await WriteAsync(dir, "original.pdf", original), page: 1);
        var after = await RenderAsync(dir, path, page: 1);
        AssertPlaced(before, after, placement);
    }

    [Fact]
    public async Task The_fractions_are_of_the_crop_box_when_the_page_has_one()
    {
        using var dir = new TempDir();
        // The sample's MediaBox text swapped for a crop box inside it (qpdf rewrites the offsets it moved).
        var text = Encoding.Latin1.GetString(SamplePdf.Create(2));
        var cropped = Encoding.Latin1.GetBytes(text.Replace("/MediaBox [0 0 595 842]", "/MediaBox [0 0 595 842] /CropBox [60 100 500 780]", StringComparison.Ordinal));
        var original = await QpdfAsync(dir, cropped);
        var placement = new PdfImagePlacement(0, 0.1, 0.1, 0.5, 0.2, TwoTone());

        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(original, Request(placement), TestContext.Current.CancellationToken);

        var before = await RenderAsync(dir, await WriteAsync(dir, "original.pdf", original), page: 0, cropBox: true);
        var after = await RenderAsync(dir, await WriteAsync(dir, "signed.pdf", signed), page: 0, cropBox: true);
        Assert.Equal((440, 680), (after.Width, after.Height));
        AssertPlaced(before, after, placement);
    }

    [Fact]
    public async Task Several_images_on_several_pages_each_show_and_the_one_signature_stays_valid()
    {
        using var dir = new TempDir();
        var original = await SampleAsync(dir, objectStreams: true);
        var first = new PdfImagePlacement(0, 0.1, 0.7, 0.3, 0.1, TwoTone());
        var second = new PdfImagePlacement(2, 0.5, 0.2, 0.4, 0.15, TwoTone(200, 60));
        var third = new PdfImagePlacement(2, 0.05, 0.85, 0.2, 0.1, TwoTone(60, 30));

        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(original, Request(first, second, third), TestContext.Current.CancellationToken);

        var path = await WriteAsync(dir, "signed.pdf", signed);
        await AssertQpdfCleanAsync(path);
        var (output, verdicts) = await PdfsigAsync(path);
        Assert.True(verdicts is ["Signature is Valid."], output);
        var originalPath = await WriteAsync(dir, "original.pdf", original);
        AssertPlaced(await RenderAsync(dir, originalPath, 0), await RenderAsync(dir, path, 0), first);
        var page3Before = await RenderAsync(dir, originalPath, 2);
        var page3After = await RenderAsync(dir, path, 2);
        AssertPlaced(page3Before, page3After, second);
        AssertPlaced(page3Before, page3After, third);
    }

    [Fact]
    public async Task Transparent_pixels_leave_the_page_visible_through_the_image()
    {
        using var dir = new TempDir();
        var original = SamplePdf.Create();
        // Left half opaque dark, right half fully transparent.
        var image = Solid(100, 20, Dark.R, Dark.G, Dark.B);
        for (var y = 0; y < 20; y++)
        {
            for (var x = 50; x < 100; x++) image.Rgba[(y * 100 + x) * 4 + 3] = 0;
        }
        var placement = new PdfImagePlacement(0, 0.1, 0.45, 0.6, 0.1, image);

        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(original, Request(placement), TestContext.Current.CancellationToken);

        var before = await RenderAsync(dir, await WriteAsync(dir, "original.pdf", original), 0);
        var after = await RenderAsync(dir, await WriteAsync(dir, "signed.pdf", signed), 0);
        var (left, top, right, bottom) = Pixels(after, placement);
        var middle = (top + bottom) / 2;
        Assert.True(IsNear(after.At(left + (right - left) / 4, middle), Dark), "opaque half is not dark");
        for (var x = left + (right - left) / 2 + 3; x < right - 2; x += 5)
        {
            Assert.Equal(before.At(x, middle), after.At(x, middle));
        }
    }

    private static void AssertPlaced(Raster before, Raster after, PdfImagePlacement placement)
    {
        Assert.Equal((before.Width, before.Height), (after.Width, after.Height));
        var (left, top, right, bottom) = Pixels(after, placement);
        var upper = top + (bottom - top) / 4;
        var lower = bottom - (bottom - top) / 4;
        for (var x = left + 3; x < right - 3; x += 4)
        {
            Assert.True(IsNear(after.At(x, upper), Dark), $"({x},{upper}) is {after.At(x, upper)}, not dark");
            Assert.True(IsNear(after.At(x, lower), Red), $"({x},{lower}) is {after.At(x, lower)}, not red");
        }
        // A ring from 3 to 8 pixels outside the rectangle is as it was.
        for (var margin = 3; margin <= 8; margin++)
        {
            for (var x = left - margin; x <= right + margin; x++)
            {
                AssertUnchanged(before, after, x, top - margin);
                AssertUnchanged(before, after, x, bottom + margin);
            }
            for (var y = top - margin; y <= bottom + margin; y++)
            {
                AssertUnchanged(before, after, left - margin, y);
                AssertUnchanged(before, after, right + margin, y);
            }
        }
    }

    private static void AssertUnchanged(Raster before, Raster after, int x, int y)
    {
        if (x < 0 || y < 0 || x >= after.Width || y >= after.Height) return;
        Assert.True(before.At(x, y) == after.At(x, y), $"({x},{y}) changed from {before.At(x, y)} to {after.At(x, y)}");
    }

    private static (int Left, int Top, int Right, int Bottom) Pixels(Raster raster, PdfImagePlacement p) =>
        ((int)Math.Round(p.Left * raster.Width), (int)Math.Round(p.Top * raster.Height),
         (int)Math.Round((p.Left + p.Width) * raster.Width), (int)Math.Round((p.Top + p.Height) * raster.Height));

    private static bool IsNear((byte R, byte G, byte B) actual, (byte R, byte G, byte B) expected) =>
        Math.Abs(actual.R - expected.R) <= 12 && Math.Abs(actual.G - expected.G) <= 12 && Math.Abs(actual.B - expected.B) <= 12;

    private static async Task<byte[]> QpdfAsync(TempDir dir, byte[] input, params string[] options)
    {
        var inPath = await WriteAsync(dir, "qpdf-in.pdf", input);
        var outPath = dir.Combine("qpdf-out.pdf");
        var (exitCode, output) = await RunAsync("qpdf", [.. options, inPath, outPath]);
        // 3 is "succeeded with warnings": the crop-box sample's offsets are knowingly stale.
        Assert.True(exitCode is 0 or 3, output);
        return await File.ReadAllBytesAsync(outPath);
    }

    private sealed record Raster(int Width, int Height, byte[] Rgb)
    {
        public (byte R, byte G, byte B) At(int x, int y)
        {
            var i = (y * Width + x) * 3;
            return (Rgb[i], Rgb[i + 1], Rgb[i + 2]);
        }
    }

    /// <summary>pdftoppm's binary PPM (P6) of one page at 72 dpi.</summary>
    private static async Task<Raster> RenderAsync(TempDir dir, string pdf, int page, bool cropBox = false)
    {
        var number = (page + 1).ToString(CultureInfo.InvariantCulture);
        string[] arguments = ["-r", "72", "-f", number, "-l", number, "-singlefile", .. cropBox ? new[] { "-cropbox" } : [], pdf];
        var ppm = await RunForBytesAsync("pdftoppm", arguments);
        // Header: "P6" width height maxval, each followed by one whitespace byte.
        var fields = new List<int>();
        var position = 2;
        while (fields.Count < 3)
        {
            while (ppm[position] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') position++;
            var start = position;
            while (ppm[position] is >= (byte)'0' and <= (byte)'9') position++;
            fields.Add(int.Parse(Encoding.ASCII.GetString(ppm, start, position - start), CultureInfo.InvariantCulture));
        }
        position++;
        Assert.Equal(255, fields[2]);
        return new Raster(fields[0], fields[1], ppm[position..]);
    }
}
