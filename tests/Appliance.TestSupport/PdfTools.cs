using System.Diagnostics;
using SkiaSharp;

namespace Appliance.TestSupport;

/// <summary>
/// Third-party PDF tools (poppler-utils, qpdf, openssl: tools/install-deps.sh) run on what the terminal wrote, so a test
/// reads a signed document as any verifier would, never through our own parser.
/// </summary>
public static class PdfTools
{
    /// <summary>Runs <paramref name="tool"/> and returns its exit status and everything it printed (stdout, then stderr).</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (tools/install-deps.sh installs it)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary><c>pdfsig</c>'s report; each signature says "Signature Validation: Signature is Valid." when it holds.</summary>
    public static async Task<string> PdfsigAsync(string path) => (await RunAsync("pdfsig", path)).Output;

    /// <summary><c>qpdf --check</c>: exit 0 and "No syntax or stream encoding errors found" for a clean file.</summary>
    public static Task<(int Exit, string Output)> QpdfCheckAsync(string path) => RunAsync("qpdf", "--check", path);

    /// <summary>One page rendered by <c>pdftoppm</c> at <paramref name="dpi"/> (1-based page), as a bitmap.</summary>
    public static async Task<SKBitmap> RenderPageAsync(string path, int page, int dpi)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(path)!, $"render-{Guid.NewGuid():N}");
        var (exit, output) = await RunAsync("pdftoppm", "-png", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-f", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", page.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-singlefile", path, prefix);
        if (exit != 0) throw new InvalidOperationException($"pdftoppm failed: {output}");
        var png = prefix + ".png";
        try { return SKBitmap.Decode(png) ?? throw new InvalidOperationException("pdftoppm wrote no PNG"); }
        finally { File.Delete(png); }
    }

    /// <summary>How many signatures pdfsig found valid.</summary>
    public static int ValidSignatures(string pdfsigReport) =>
        pdfsigReport.Split('\n').Count(l => l.Contains("Signature Validation: Signature is Valid.", StringComparison.Ordinal));
}
