using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Documents.Pdf.Rendering;
using Appliance.TestSupport;

namespace Appliance.Documents.Tests.Pdf.Rendering;

/// <summary>
/// Text found through poppler-glib, in points from the page's top-left corner, checked against where SamplePdf draws it
/// (page i says "Page i of n" in 28 pt Helvetica with its baseline 100 pt below the top, from x = 72) and against
/// <c>pdftotext -bbox</c>'s word boxes, which are given from the top.
/// </summary>
public sealed partial class PdfTextSearchTests
{
    [Fact]
    public void A_text_is_found_on_its_page_where_the_sample_draws_it()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 3));

        var match = Assert.Single(document.FindText("Page 2 of 3"));

        Assert.Equal(1, match.PageIndex);
        Assert.InRange(match.Left, 71, 73);
        // The box spans the baseline (100 pt from the top) and reaches up by about the type's cap height, not down from
        // the bottom of the page as poppler's own coordinates would put it.
        Assert.InRange(match.Top, 100 - 28 - 2, 100 - 15);
        Assert.InRange(match.Top + match.Height, 100, 100 + 10);
        // "Page 2 of 3" in 28 pt Helvetica is about 140 pt wide.
        Assert.InRange(match.Width, 120, 160);
    }

    [Fact]
    public async Task The_box_is_the_one_pdftotext_reports_for_the_same_word()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "sample.pdf");
        await File.WriteAllBytesAsync(path, SamplePdf.Create(pages: 2, width: 400, height: 500, title: "Quarterly statement"), TestContext.Current.CancellationToken);
        var (exit, output) = await PdfTools.RunAsync("pdftotext", "-bbox", "-f", "2", "-l", "2", path, "-");
        Assert.True(exit == 0, output);
        var word = WordBox().Matches(output).Select(m => m.Groups).Single(g => g[5].Value == "Quarterly");
        double N(int group) => double.Parse(word[group].Value, CultureInfo.InvariantCulture);

        using var document = PdfDocument.Open(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        var matches = document.FindText("Quarterly");

        Assert.Equal([0, 1], matches.Select(m => m.PageIndex));
        var match = matches[1];
        Assert.InRange(match.Left, N(1) - 1, N(1) + 1);
        Assert.InRange(match.Top, N(2) - 1, N(2) + 1);
        Assert.InRange(match.Left + match.Width, N(3) - 1, N(3) + 1);
        Assert.InRange(match.Top + match.Height, N(4) - 1, N(4) + 1);
    }

    [Fact]
    public async Task On_a_page_turned_by_rotate_the_box_is_in_the_page_as_displayed()
    {
        using var dir = new TempDir();
        var plain = Path.Combine(dir.Path, "plain.pdf");
        var turned = Path.Combine(dir.Path, "turned.pdf");
        await File.WriteAllBytesAsync(plain, SamplePdf.Create(pages: 1), TestContext.Current.CancellationToken);
        var rotate = await PdfTools.RunAsync("qpdf", "--rotate=+90:1", plain, turned);
        Assert.True(rotate.ExitCode == 0, rotate.Output);

        using var document = PdfDocument.Open(await File.ReadAllBytesAsync(turned, TestContext.Current.CancellationToken));
        var match = Assert.Single(document.FindText("Page 1 of 1"));

        // Turned a quarter clockwise, the A4 page is 842 wide and 595 tall; the line that ran left to right 100 pt below
        // the top now runs top to bottom 100 pt left of the right edge, starting 72 pt from the top.
        Assert.Equal(new PdfPageSize(SamplePdf.A4Height, SamplePdf.A4Width), document.PageSize(0));
        Assert.InRange(match.Left, SamplePdf.A4Height - 100 - 10, SamplePdf.A4Height - 100 + 2);
        Assert.InRange(match.Left + match.Width, SamplePdf.A4Height - 100, SamplePdf.A4Height - 100 + 28 + 2);
        Assert.InRange(match.Top, 71, 73);
        Assert.InRange(match.Height, 120, 160);
    }

    [Fact]
    public void Every_occurrence_comes_in_page_order_and_the_search_stops_at_the_limit()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 5, title: "Signature here"));

        Assert.Equal([0, 1, 2, 3, 4], document.FindText("signature HERE").Select(m => m.PageIndex));
        Assert.Equal([0, 1], document.FindText("Signature here", maxMatches: 2).Select(m => m.PageIndex));
        Assert.Equal(1000, PdfDocument.MaxTextMatches);
    }

    [Theory]
    [InlineData("not in the document")]
    [InlineData("")]
    [InlineData("Page\0 1")]
    public void A_text_that_is_not_there_finds_nothing(string text)
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 2));

        Assert.Empty(document.FindText(text));
    }

    /// <summary>pdftotext -bbox: <c>&lt;word xMin="…" yMin="…" xMax="…" yMax="…"&gt;text&lt;/word&gt;</c>, y from the top.</summary>
    [GeneratedRegex("""<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>""")]
    private static partial Regex WordBox();
}
