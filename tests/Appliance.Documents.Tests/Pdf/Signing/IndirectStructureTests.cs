using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>
/// Structures the update extends that live in objects of their own: the page's /Annots and the form's /Fields are
/// rewritten under their numbers, an /EmbeddedFiles tree with /Kids gains a leaf, and what they held stays. Each input
/// is itself an incremental update written here by hand (a /Prev chain).
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
        var (output, verdicts) = await PdfsigAsync(path);
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
    private static byte[] WithIndirectAnnotsAndFields(byte[] original) => WithUpdate(original, size: 101,
        (1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields 100 0 R /DA (/Helv 0 Tf 0 g) >> >>"),
        (5, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 6 0 R /Annots 99 0 R >>"),
        (97, "<< /FT /Tx /T (Comment) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 5 0 R >>"),
        (98, "<< /Type /Annot /Subtype /Square /Rect [400 700 500 780] /C [1 0 0] >>"),
        (99, "[98 0 R 97 0 R]"),
        (100, "[97 0 R]"));

    /// <summary><paramref name="original"/> with one update section appended by hand: the objects, a classic xref, a trailer with /Prev.</summary>
    private static byte[] WithUpdate(byte[] original, int size, params (int Number, string Body)[] objects)
    {
        var text = Encoding.Latin1.GetString(original);
        var previous = long.Parse(Regex.Match(text, @"startxref\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var update = new StringBuilder();
        var offsets = new SortedDictionary<int, long>();
        foreach (var (number, body) in objects)
        {
            offsets[number] = original.Length + update.Length;
            update.Append(CultureInfo.InvariantCulture, $"{number} 0 obj\n{body}\nendobj\n");
        }
        var xref = original.Length + update.Length;
        update.Append("xref\n");
        foreach (var (number, offset) in offsets) update.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:D10} 00000 n \n");
        update.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {size} /Root 1 0 R /Info 4 0 R /Prev {previous} >>\nstartxref\n{xref}\n%%EOF\n");
        return [.. original, .. Encoding.Latin1.GetBytes(update.ToString())];
    }

    [Fact]
    public async Task Evidence_joins_an_embedded_files_tree_that_has_kids()
    {
        using var dir = new TempDir();
        // A name tree whose root has /Kids: one leaf holding "a.txt", another "zz.txt".
        var input = WithUpdate(SamplePdf.Create(), size: 97,
            (1, "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 90 0 R >> >>"),
            (90, "<< /Kids [91 0 R 92 0 R] >>"),
            (91, "<< /Limits [(a.txt) (a.txt)] /Names [(a.txt) 93 0 R] >>"),
            (92, "<< /Limits [(zz.txt) (zz.txt)] /Names [(zz.txt) 95 0 R] >>"),
            (93, "<< /Type /Filespec /F (a.txt) /EF << /F 94 0 R >> >>"),
            (94, "<< /Type /EmbeddedFile /Length 1 >>\nstream\nA\nendstream"),
            (95, "<< /Type /Filespec /F (zz.txt) /EF << /F 96 0 R >> >>"),
            (96, "<< /Type /EmbeddedFile /Length 1 >>\nstream\nZ\nendstream"));
        await AssertQpdfCleanAsync(await WriteAsync(dir, "input.pdf", input));

        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(input, Request(DarkBox()) with { Evidence = [7, 7] }, TestContext.Current.CancellationToken);

        var path = await WriteAsync(dir, "signed.pdf", signed);
        await AssertQpdfCleanAsync(path);
        Assert.Equal("A"u8.ToArray(), await RunForBytesAsync("qpdf", "--show-attachment=a.txt", path));
        Assert.Equal("Z"u8.ToArray(), await RunForBytesAsync("qpdf", "--show-attachment=zz.txt", path));
        Assert.Equal([7, 7], await RunForBytesAsync("qpdf", "--show-attachment=signature-evidence.json", path));
        var (output, verdicts) = await PdfsigAsync(path);
        Assert.True(verdicts is ["Signature is Valid."], output);
    }

    [GeneratedRegex(@"\d+ 0 R")]
    private static partial Regex References();
}
