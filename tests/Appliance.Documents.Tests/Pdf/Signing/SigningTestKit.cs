using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>
/// What the signing tests share: one device key per algorithm (RSA generation is slow), sample documents in both
/// cross-reference forms, and the third-party tools that judge the output (pdfsig, qpdf, pdftoppm, openssl).
/// </summary>
internal static partial class SigningTestKit
{
    private static readonly TempDir KeyDirectory = CreateKeyDirectory();
    private static readonly Dictionary<DocumentSigningAlgorithm, Lazy<DocumentSigningKey>> Keys = Enum.GetValues<DocumentSigningAlgorithm>()
        .ToDictionary(a => a, a => new Lazy<DocumentSigningKey>(() => DocumentSigningKey.LoadOrCreate(KeyDirectory.Path, a, "Test terminal 0001", TimeProvider.System)));

    public static readonly DateTimeOffset SigningTime = new(2026, 12, 7, 10, 30, 0, TimeSpan.FromHours(8));

    private static TempDir CreateKeyDirectory()
    {
        var dir = new TempDir("appliance-signing-keys-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Dispose();
        return dir;
    }

    public static DocumentSigningKey Key(DocumentSigningAlgorithm algorithm) => Keys[algorithm].Value;

    /// <summary>A 3-page sample, classic (table + trailer) or compressed by qpdf (object streams + xref stream).</summary>
    public static async Task<byte[]> SampleAsync(TempDir dir, bool objectStreams, int pages = 3)
    {
        var classic = SamplePdf.Create(pages);
        if (!objectStreams) return classic;
        var input = dir.Combine("plain.pdf");
        var output = dir.Combine("compressed.pdf");
        await File.WriteAllBytesAsync(input, classic);
        var result = await RunAsync("qpdf", "--object-streams=generate", input, output);
        Assert.True(result.ExitCode == 0, result.Output);
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.True(bytes.AsSpan().IndexOf("/ObjStm"u8) >= 0 && bytes.AsSpan().IndexOf("/XRef"u8) >= 0, "qpdf made no object streams");
        return bytes;
    }

    public static PdfRgbaImage Solid(int width, int height, byte r, byte g, byte b, byte a = 255)
    {
        var rgba = new byte[width * height * 4];
        for (var i = 0; i < rgba.Length; i += 4)
        {
            rgba[i] = r;
            rgba[i + 1] = g;
            rgba[i + 2] = b;
            rgba[i + 3] = a;
        }
        return new PdfRgbaImage(width, height, rgba);
    }

    public static PdfSignRequest Request(params PdfImagePlacement[] images) =>
        new(images, SigningTime) { SignerName = "张三 Zhang San", Location = "Counter 3" };

    public static PdfImagePlacement DarkBox(int page = 0) => new(page, 0.25, 0.5, 0.3, 0.1, Solid(120, 40, 10, 10, 40));

    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task<byte[]> RunForBytesAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var bytes = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(bytes);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await copy;
        Assert.True(process.ExitCode == 0, await stderr);
        return bytes.ToArray();
    }

    public static async Task<string> WriteAsync(TempDir dir, string name, byte[] bytes)
    {
        var path = dir.Combine(name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    /// <summary>pdfsig's verdict on each signature, in document order ("Signature is Valid." and so on).</summary>
    public static async Task<(string Output, IReadOnlyList<string> Verdicts)> PdfSigAsync(string path)
    {
        var (_, output) = await RunAsync("pdfsig", path);
        var verdicts = SignatureValidation().Matches(output).Select(m => m.Groups[1].Value.Trim()).ToList();
        return (output, verdicts);
    }

    public static async Task AssertQpdfCleanAsync(string path)
    {
        var (exitCode, output) = await RunAsync("qpdf", "--check", path);
        Assert.True(exitCode == 0, output);
        Assert.Contains("No syntax or stream encoding errors found", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", output, StringComparison.Ordinal);
    }

    /// <summary>The last /ByteRange in the file and the CMS in its /Contents, found by plain text search.</summary>
    public static (long[] ByteRange, byte[] Cms) LastSignature(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var match = ByteRangePattern().Matches(text).Last();
        var range = Enumerable.Range(1, 4).Select(i => long.Parse(match.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var hex = text.Substring((int)range[1] + 1, (int)(range[2] - range[1] - 2));
        var cms = Convert.FromHexString(hex);
        // The placeholder's zero padding follows the DER; the outer SEQUENCE's length says where it ends.
        var length = new Org.BouncyCastle.Asn1.Asn1InputStream(cms).ReadObject().GetEncoded().Length;
        return (range, cms[..length]);
    }

    public static byte[] SignedBytes(byte[] pdf, long[] range) =>
        [.. pdf.AsSpan((int)range[0], (int)range[1]), .. pdf.AsSpan((int)range[2], (int)range[3])];

    [GeneratedRegex(@"Signature Validation: (.+)")]
    private static partial Regex SignatureValidation();

    [GeneratedRegex(@"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")]
    private static partial Regex ByteRangePattern();
}
