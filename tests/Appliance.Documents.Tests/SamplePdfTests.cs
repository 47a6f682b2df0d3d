using System.Diagnostics;
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

        using var qpdf = Process.Start(new ProcessStartInfo("qpdf", ["--check", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await qpdf.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken) + await qpdf.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await qpdf.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(qpdf.ExitCode == 0, output);
        Assert.Contains("No syntax or stream encoding errors found", output, StringComparison.Ordinal);
    }
}
