using System.Text;
using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>
/// What the signing tests share: one device key per algorithm (RSA generation is slow), sample documents in both
/// cross-reference forms, and the pictures to place (the tools that judge the output: TestSupport's PdfTools).
/// </summary>
internal static class SigningTestKit
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

    public static async Task<string> WriteAsync(TempDir dir, string name, byte[] bytes)
    {
        var path = dir.Combine(name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
