using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>
/// Arrays the update extends that live in objects of their own: the page's /Annots and the form's /Fields are
/// rewritten under their numbers, and what they held stays. The input is itself an incremental update (a /Prev chain).
/// </summary>
public sealed partial class IndirectStructureTests
{
    [Fact]
    public async Task Indirect_annots_and_fields_arrays_are_extended_in_place()
    {
        using var dir = new TempDir();
        var input = WithIndirectAnnotsAndFields(SamplePdf.Create(2));
        var inputPath = await WriteAsync(dir, "input.pdf", input);
        await AssertQpdfCleanAsync(inputPath);

        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(input, Request(DarkBox(0)), TestContext.Current.CancellationToken);

        var path = await WriteAsync(dir, "signed.pdf", signed);
        await AssertQpdfCleanAsync(path);
        var (output, verdicts) = await PdfSigAsync(path);
        Assert.True(verdicts is ["Signature is Valid."], output);
        var annots = (await RunAsync("qpdf", "--show-object=99", path)).Output;
        Assert.True(References().Matches(annots).Count == 3 && annots.Contains("98 0 R 97 0 R", StringComparison.Ordinal), annots);
        var fields = (await RunAsync("qpdf", "--show-object=100", path)).Output;
        Assert.True(References().Matches(fields).Count == 2 && fields.Contains("97 0 R", StringComparison.Ordinal), fields);
        // The page object itself needed no new revision: its /Annots is still the reference.
        var page = (await RunAsync("qpdf", "--show-object=5", path)).Output;
        Assert.Contains("/Annots 99 0 R", page, StringComparison.Ordinal);
    }

    /// <summary>
    /// Appends an update by hand: a square annotation (98) in an indirect /Annots array (99) on page 1 (object 5), and
    /// an /AcroForm whose /Fields is an indirect array (100) holding a text field (97).
    /// </summary>
    private static byte[] WithIndirectAnnotsAndFields(byte[] original)
    {
        var text = Encoding.Latin1.GetString(original);
        var previous = long.Parse(Regex.Match(text, @"startxref\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var update = new StringBuilder();
        var offsets = new SortedDictionary<int, long>();
        void Object(int number, string body)
        {
            offsets[number] = original.Length + update.Length;
            update.Append(CultureInfo.InvariantCulture, $"{number} 0 obj\n{body}\nendobj\n");
        }
        Object(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields 100 0 R /DA (/Helv 0 Tf 0 g) >> >>");
        Object(5, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 6 0 R /Annots 99 0 R >>");
        Object(97, "<< /FT /Tx /T (Comment) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 5 0 R >>");
        Object(98, "<< /Type /Annot /Subtype /Square /Rect [400 700 500 780] /C [1 0 0] >>");
        Object(99, "[98 0 R 97 0 R]");
        Object(100, "[97 0 R]");
        var xref = original.Length + update.Length;
        update.Append("xref\n");
        foreach (var (number, offset) in offsets)
        {
            update.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:D10} 00000 n \n");
        }
        update.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size 101 /Root 1 0 R /Info 4 0 R /Prev {previous} >>\nstartxref\n{xref}\n%%EOF\n");
        return [.. original, .. Encoding.Latin1.GetBytes(update.ToString())];
    }

    [GeneratedRegex(@"\d+ 0 R")]
    private static partial Regex References();
}
