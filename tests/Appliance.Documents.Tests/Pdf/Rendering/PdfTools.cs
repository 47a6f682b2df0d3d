using System.Diagnostics;

namespace Appliance.Documents.Tests.Pdf.Rendering;

/// <summary>poppler-utils and qpdf, run as a person would run them.</summary>
internal static class PdfTools
{
    public static async Task RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        // qpdf exits 3 for warnings only; the file it wrote is usable.
        Assert.True(process.ExitCode is 0 or 3, $"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await errors}");
    }

    /// <summary>pdftoppm's render of page <paramref name="pageNumber"/> (1-based) at <paramref name="dpi"/>.</summary>
    public static async Task<RgbPicture> PdftoppmAsync(string pdfPath, int pageNumber, int dpi)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(pdfPath)!, $"pdftoppm-{pageNumber}");
        await RunAsync("pdftoppm", "-r", $"{dpi}", "-f", $"{pageNumber}", "-l", $"{pageNumber}", "-singlefile", pdfPath, prefix);
        return RgbPicture.ReadPpm(await File.ReadAllBytesAsync(prefix + ".ppm", TestContext.Current.CancellationToken));
    }
}
