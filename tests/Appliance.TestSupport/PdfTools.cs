using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace Appliance.TestSupport;

/// <summary>
/// Third-party PDF tools (poppler-utils, qpdf, openssl: tools/install-deps.sh) run on what the terminal wrote, so a test
/// reads a document as any verifier would, never through our own parser.
/// </summary>
public static partial class PdfTools
{
    /// <summary>Runs <paramref name="tool"/> and returns its exit status and everything it printed (stdout, then stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        using var process = Start(tool, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs <paramref name="tool"/>, which must succeed, and returns the bytes it wrote to stdout.</summary>
    public static async Task<byte[]> RunForBytesAsync(string tool, params string[] args)
    {
        using var process = Start(tool, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var bytes = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(bytes, timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        await copy;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} exited {process.ExitCode}: {await stderr}");
        return bytes.ToArray();
    }

    private static Process Start(string tool, string[] args) =>
        Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
        ?? throw new InvalidOperationException($"{tool} did not start (tools/install-deps.sh installs it)");

    /// <summary><c>pdfsig</c>'s report and its verdict on each signature in document order ("Signature is Valid." …).</summary>
    public static async Task<(string Output, IReadOnlyList<string> Verdicts)> PdfsigAsync(string path)
    {
        var (_, output) = await RunAsync("pdfsig", path);
        return (output, [.. SignatureValidation().Matches(output).Select(m => m.Groups[1].Value.Trim())]);
    }

    /// <summary>How many signatures pdfsig finds valid.</summary>
    public static async Task<int> ValidSignaturesAsync(string path) =>
        (await PdfsigAsync(path)).Verdicts.Count(v => v == "Signature is Valid.");

    /// <summary><c>qpdf --check</c> exits 0, finds no syntax or stream errors, and warns of nothing.</summary>
    public static async Task AssertQpdfCleanAsync(string path)
    {
        var (exitCode, output) = await RunAsync("qpdf", "--check", path);
        if (exitCode != 0 || !output.Contains("No syntax or stream encoding errors found", StringComparison.Ordinal) || output.Contains("WARNING", StringComparison.Ordinal))
            throw new Xunit.Sdk.XunitException($"qpdf --check {path}: {output}");
    }

    /// <summary>One page rendered by <c>pdftoppm</c> at <paramref name="dpi"/> (1-based page), as a bitmap.</summary>
    public static async Task<SKBitmap> RenderPageAsync(string path, int page, int dpi)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(path)!, $"render-{Guid.NewGuid():N}");
        var (exit, output) = await RunAsync("pdftoppm", "-png", "-r", $"{dpi}", "-f", $"{page}", "-l", $"{page}", "-singlefile", path, prefix);
        if (exit != 0) throw new InvalidOperationException($"pdftoppm failed: {output}");
        var png = prefix + ".png";
        try { return SKBitmap.Decode(png) ?? throw new InvalidOperationException("pdftoppm wrote no PNG"); }
        finally { File.Delete(png); }
    }

    /// <summary>The last /ByteRange in the file and the CMS in its /Contents, found by plain text search.</summary>
    public static (long[] ByteRange, byte[] Cms) LastSignature(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var match = ByteRangePattern().Matches(text).Last();
        var range = Enumerable.Range(1, 4).Select(i => long.Parse(match.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var cms = Convert.FromHexString(text.Substring((int)range[1] + 1, (int)(range[2] - range[1] - 2)));
        // The placeholder's zero padding follows the DER; the outer SEQUENCE's length says where it ends.
        var length = new Org.BouncyCastle.Asn1.Asn1InputStream(cms).ReadObject().GetEncoded().Length;
        return (range, cms[..length]);
    }

    /// <summary>The bytes a signature covers: its two byte ranges joined.</summary>
    public static byte[] SignedBytes(byte[] pdf, long[] range) =>
        [.. pdf.AsSpan((int)range[0], (int)range[1]), .. pdf.AsSpan((int)range[2], (int)range[3])];

    [GeneratedRegex(@"Signature Validation: (.+)")]
    private static partial Regex SignatureValidation();

    [GeneratedRegex(@"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")]
    private static partial Regex ByteRangePattern();
}
