using Appliance.TestSupport;

namespace Appliance.Documents.Tests;

/// <summary>The hand-written sample documents the PDF tests use are themselves valid: qpdf finds nothing to say.</summary>
public sealed class SamplePdfTests
{
    [Fact]
    public async Task A_sample_document_passes_qpdf_check()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "sample.pdf");
        await File.WriteAllBytesAsync(path, SamplePdf.Create(pages: 3), TestContext.Current.CancellationToken);

        await PdfTools.AssertQpdfCleanAsync(path);
    }
}
