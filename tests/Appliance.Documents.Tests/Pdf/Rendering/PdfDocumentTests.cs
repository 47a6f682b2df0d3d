using Appliance.Documents.Pdf.Rendering;
using Appliance.TestSupport;

namespace Appliance.Documents.Tests.Pdf.Rendering;

/// <summary>Sample documents opened through poppler-glib and rendered with cairo, judged by their pixels.</summary>
public sealed class PdfDocumentTests
{
    private const double Dpi150 = 150.0 / 72;
    private static readonly (byte R, byte G, byte B) BandBlue = (204, 230, 255);

    [Fact]
    public void A_sample_document_has_its_page_count_and_A4_pages_in_points()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 3));

        Assert.Equal(3, document.PageCount);
        for (var i = 0; i < 3; i++) Assert.Equal(new PdfPageSize(SamplePdf.A4Width, SamplePdf.A4Height), document.PageSize(i));
    }

    [Fact]
    public void A_page_outside_the_document_is_refused()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 2));

        Assert.Throws<ArgumentOutOfRangeException>(() => document.PageSize(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => document.PageSize(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => document.Render(2, Dpi150));
        Assert.Throws<ArgumentOutOfRangeException>(() => document.Render(0, 0));
    }

    [Fact]
    public void A_page_at_150_dpi_shows_white_margins_the_blue_band_at_mid_height_and_its_title_in_dark_type()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 3));
        using var image = document.Render(1, Dpi150);
        var page = RgbPicture.From(image);
        int Px(double points) => (int)(points * Dpi150);

        Assert.Equal((1240, 1755), (image.Width, image.Height));
        Assert.True(image.Stride >= image.Width * 4);
        Assert.Equal((1, Dpi150), (image.PageIndex, image.Scale));

        // The band spans 80 pt around the middle, edge to edge, in RGB (204, 230, 255).
        // The last column is only partly on the page (1239.6 px wide), so it is a blend with the white beyond.
        foreach (var x in (int[])[0, image.Width / 2, image.Width - 2])
        {
            foreach (var y in (int[])[image.Height / 2, image.Height / 2 - Px(35), image.Height / 2 + Px(35)])
            {
                var (r, g, b) = page[x, y];
                Assert.True(Math.Abs(r - 204) <= 1 && Math.Abs(g - 230) <= 1 && b >= 254, $"({x}, {y}) is ({r}, {g}, {b}), not the band's light blue");
            }
        }

        // White above the title, left of it, and below the band.
        for (var y = 0; y < Px(60); y++)
        {
            for (var x = 0; x < image.Width; x++) Assert.True(page.IsWhite(x, y), $"({x}, {y}) in the top margin is {page[x, y]}");
        }
        for (var y = 0; y < Px(842 / 2 - 45); y++)
        {
            for (var x = 0; x < Px(60); x++) Assert.True(page.IsWhite(x, y), $"({x}, {y}) in the left margin is {page[x, y]}");
        }
        for (var y = Px(842 / 2 + 45); y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x += 7) Assert.True(page.IsWhite(x, y), $"({x}, {y}) below the band is {page[x, y]}");
        }

        // "Page 2 of 3" in 28 pt: baseline 100 pt from the top at x = 72 pt, about 150 pt wide.
        var dark = 0;
        for (var y = Px(75); y < Px(108); y++)
        {
            for (var x = Px(70); x < Px(240); x++) dark += RgbPicture.IsDark(page[x, y]) ? 1 : 0;
        }
        Assert.True(dark > 3000, $"only {dark} dark pixels where the title is");
    }

    [Fact]
    public async Task Page_2_of_3_matches_pdftoppm_at_150_dpi()
    {
        using var dir = new TempDir();
        var path = dir.Combine("sample.pdf");
        var pdf = SamplePdf.Create(pages: 3);
        await File.WriteAllBytesAsync(path, pdf, TestContext.Current.CancellationToken);
        var expected = await Pdftoppm.RenderAsync(path, pageNumber: 2, dpi: 150);

        using var document = PdfDocument.Open(pdf);
        using var image = document.Render(1, Dpi150);
        var page = RgbPicture.From(image);

        Assert.InRange(page.Width, expected.Width - 1, expected.Width + 1);
        Assert.InRange(page.Height, expected.Height - 1, expected.Height + 1);
        // cairo and pdftoppm's Splash smooth glyph edges a little differently; the rest is identical.
        var whole = page.MeanAbsoluteDifference(expected);
        Assert.True(whole < 1.0, $"mean absolute difference {whole:F3} over the page");
        // The page number's digit alone ("Page " is 73 pt of 28 pt Helvetica after x = 72 pt, the digit 16 pt wide, its top
        // 20 pt above the 100 pt baseline), so that a render of another page could not pass for this one: glyph edges
        // differ between the two rasterizers, a different digit differs far more.
        const int x0 = 296, y0 = 160, x1 = 340, y1 = 212;
        var digit = page.MeanAbsoluteDifference(expected, x0, y0, x1, y1);
        using var pageOne = document.Render(0, Dpi150);
        var otherPage = RgbPicture.From(pageOne).MeanAbsoluteDifference(expected, x0, y0, x1, y1);
        Assert.True(digit < 4 && otherPage > 3 * digit, $"page 1 differs from pdftoppm's page 2 by {otherPage:F3} over the digit, page 2 by {digit:F3}");
    }

    [Fact]
    public void A_page_whose_size_is_a_whole_number_of_pixels_gets_no_extra_row_or_column()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 1, width: 612, height: 792));

        using var image = document.Render(0, Dpi150);

        // US Letter at 150 dpi is exactly 1275 × 1650, as pdftoppm makes it; a partial pixel still counts (A4 is 1239.6 wide → 1240).
        Assert.Equal((1275, 1650), (image.Width, image.Height));
    }

    [Fact]
    public async Task A_rotated_page_is_measured_and_drawn_as_displayed()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.Combine("upright.pdf"), SamplePdf.Create(pages: 2), TestContext.Current.CancellationToken);
        await Pdftoppm.RunAsync("qpdf", "--rotate=+90:2", dir.Combine("upright.pdf"), dir.Combine("rotated.pdf"));

        using var document = PdfDocument.Open(await File.ReadAllBytesAsync(dir.Combine("rotated.pdf"), TestContext.Current.CancellationToken));
        Assert.Equal(new PdfPageSize(SamplePdf.A4Width, SamplePdf.A4Height), document.PageSize(0));
        Assert.Equal(new PdfPageSize(SamplePdf.A4Height, SamplePdf.A4Width), document.PageSize(1));

        using var image = document.Render(1, Dpi150);
        var page = RgbPicture.From(image);
        Assert.Equal((1755, 1240), (image.Width, image.Height));
        // Turned clockwise, the band runs top to bottom through the middle and the left edge is white.
        Assert.Equal(BandBlue, page[image.Width / 2, 10]);
        Assert.Equal(BandBlue, page[image.Width / 2, image.Height - 10]);
        Assert.True(page.IsWhite(10, image.Height / 2));
    }

    [Fact]
    public void Bytes_that_are_not_a_PDF_are_malformed_with_poppler_saying_why()
    {
        var garbage = new byte[4096];
        new Random(15).NextBytes(garbage);

        var e = Assert.Throws<PdfDocumentException>(() => PdfDocument.Open(garbage));

        Assert.Equal(PdfDocumentFailure.Malformed, e.Failure);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.Equal(PdfDocumentFailure.Malformed, Assert.Throws<PdfDocumentException>(() => PdfDocument.Open(ReadOnlyMemory<byte>.Empty)).Failure);
    }

    [Fact]
    public void A_truncated_document_is_malformed()
    {
        var pdf = SamplePdf.Create(pages: 3);

        var e = Assert.Throws<PdfDocumentException>(() => PdfDocument.Open(pdf.AsMemory(0, pdf.Length / 4)));

        Assert.Equal(PdfDocumentFailure.Malformed, e.Failure);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public async Task An_encrypted_document_is_refused_as_encrypted()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.Combine("plain.pdf"), SamplePdf.Create(pages: 1), TestContext.Current.CancellationToken);
        await Pdftoppm.RunAsync("qpdf", "--encrypt", "user", "owner", "256", "--", dir.Combine("plain.pdf"), dir.Combine("encrypted.pdf"));
        var encrypted = await File.ReadAllBytesAsync(dir.Combine("encrypted.pdf"), TestContext.Current.CancellationToken);

        var e = Assert.Throws<PdfDocumentException>(() => PdfDocument.Open(encrypted));

        Assert.Equal(PdfDocumentFailure.Encrypted, e.Failure);
    }

    [Fact]
    public void The_document_keeps_its_own_copy_of_the_bytes()
    {
        var pdf = SamplePdf.Create(pages: 2);
        using var document = PdfDocument.Open(pdf);
        Array.Clear(pdf);

        using var image = document.Render(1, 0.5);

        Assert.Equal(2, document.PageCount);
        Assert.Equal(BandBlue, RgbPicture.From(image)[image.Width / 2, image.Height / 2]);
    }

    [Theory]
    [InlineData(0, 792)]
    [InlineData(612, 0.2)]
    public void A_page_without_a_usable_size_is_malformed(double width, double height)
    {
        var e = Assert.Throws<PdfDocumentException>(() => PdfDocument.Open(SamplePdf.Create(pages: 2, width: width, height: height)));

        Assert.Equal(PdfDocumentFailure.Malformed, e.Failure);
        Assert.Contains("page 1 has no usable size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_twice_is_safe_and_a_disposed_document_or_image_is_refused()
    {
        var document = PdfDocument.Open(SamplePdf.Create(pages: 1));
        var image = document.Render(0, 0.25);

        image.Dispose();
        image.Dispose();
        document.Dispose();
        document.Dispose();

        Assert.Throws<ObjectDisposedException>(() => image.Address);
        Assert.Throws<ObjectDisposedException>(() => document.Render(0, 0.25));
        Assert.Equal(595, document.PageSize(0).Width, 0.01); // sizes are read at open: the screen may still ask while a closed window is torn down
    }
}
