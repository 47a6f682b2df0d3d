using Appliance.TestSupport;

namespace Appliance.Documents.Tests.Pdf.Rendering;

/// <summary>pdftoppm's render of a page, as the raw PPM pixels (no PNG round trip) our render is compared with.</summary>
internal static class Pdftoppm
{
    /// <summary>Page <paramref name="pageNumber"/> (1-based) at <paramref name="dpi"/>.</summary>
    public static async Task<RgbPicture> RenderAsync(string pdfPath, int pageNumber, int dpi)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(pdfPath)!, $"pdftoppm-{pageNumber}");
        await RunAsync("pdftoppm", "-r", $"{dpi}", "-f", $"{pageNumber}", "-l", $"{pageNumber}", "-singlefile", pdfPath, prefix);
        return RgbPicture.ReadPpm(await File.ReadAllBytesAsync(prefix + ".ppm", TestContext.Current.CancellationToken));
    }

    /// <summary>Runs a tool that must succeed; qpdf exits 3 for warnings only, and the file it wrote is usable.</summary>
    public static async Task RunAsync(string tool, params string[] arguments)
    {
        var (exitCode, output) = await PdfTools.RunAsync(tool, arguments);
        Assert.True(exitCode is 0 or 3, $"{tool} {string.Join(' ', arguments)} exited {exitCode}: {output}");
    }
}
