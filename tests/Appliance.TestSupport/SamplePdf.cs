using System.Globalization;
using System.Text;

namespace Appliance.TestSupport;

/// <summary>
/// Writes small, valid PDFs by hand (classic cross-reference table, Helvetica text, one coloured band per page) so a
/// test names the document it signs or shows without a PDF library. Turn one into the compressed form
/// (object streams + cross-reference stream) with <c>qpdf --object-streams=generate in out</c>.
/// </summary>
public static class SamplePdf
{
    /// <summary>A4 portrait in points.</summary>
    public const double A4Width = 595, A4Height = 842;

    /// <summary>
    /// <paramref name="pages"/> pages of <paramref name="width"/> × <paramref name="height"/> points; page i says
    /// "Page {i+1} of {n}" near the top in 28 pt type and carries a light blue band across its middle, so a render
    /// shows which page it is.
    /// </summary>
    public static byte[] Create(int pages = 1, double width = A4Width, double height = A4Height, string title = "Appliance sample")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        var body = new MemoryStream();
        var offsets = new List<long>();
        void Write(string s) { var b = Encoding.Latin1.GetBytes(s); body.Write(b); }
        void Object(int number, string content)
        {
            while (offsets.Count < number) offsets.Add(0);
            offsets[number - 1] = body.Position;
            Write($"{number} 0 obj\n{content}\nendobj\n");
        }
        static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

        Write("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        // 1 catalog, 2 pages, 3 font, 4 info; then per page: page, contents.
        var kids = string.Join(' ', Enumerable.Range(0, pages).Select(i => $"{5 + 2 * i} 0 R"));
        Object(1, "<< /Type /Catalog /Pages 2 0 R >>");
        Object(2, $"<< /Type /Pages /Kids [{kids}] /Count {pages} >>");
        Object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        Object(4, $"<< /Title ({title}) /Producer (Appliance tests) >>");
        for (var i = 0; i < pages; i++)
        {
            var content = $"0.8 0.9 1 rg 0 {N(height / 2 - 40)} {N(width)} 80 re f\n" +
                          $"0 0 0 rg BT /F1 28 Tf 72 {N(height - 100)} Td (Page {i + 1} of {pages}) Tj ET\n" +
                          $"BT /F1 12 Tf 72 {N(height - 130)} Td ({title}) Tj ET\n";
            Object(5 + 2 * i, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {N(width)} {N(height)}] " +
                              $"/Resources << /Font << /F1 3 0 R >> >> /Contents {6 + 2 * i} 0 R >>");
            Object(6 + 2 * i, $"<< /Length {Encoding.Latin1.GetByteCount(content)} >>\nstream\n{content}endstream");
        }
        var xref = body.Position;
        Write($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) Write($"{offset:D10} 00000 n \n");
        Write($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return body.ToArray();
    }
}
