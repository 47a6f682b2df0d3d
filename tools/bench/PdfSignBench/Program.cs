using System.Diagnostics;
using System.Globalization;
using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;

// pdf-sign-bench [iterations] [pages] [--sample FILE]: signs a sample of `pages` pages (default 20) with a
// 480×160 RGBA signature image and a 2 KB evidence file, `iterations` times per algorithm after a warm-up, and prints
// the median and p90 in milliseconds. --sample FILE signs that file instead (e.g. qpdf's object-stream form).
var iterations = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 50;
var pages = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var p) ? p : 20;
var sampleIndex = Array.IndexOf(args, "--sample");
var pdf = sampleIndex >= 0 ? File.ReadAllBytes(args[sampleIndex + 1]) : SamplePdf.Create(pages);

var image = new byte[480 * 160 * 4];
for (var i = 0; i < image.Length; i += 4)
{
    // Ink strokes over transparency, so the soft mask is written too.
    var x = i / 4 % 480;
    var y = i / 4 / 480;
    var ink = Math.Abs(y - 80 - 40 * Math.Sin(x / 30.0)) < 4;
    (image[i], image[i + 1], image[i + 2], image[i + 3]) = ink ? ((byte)10, (byte)10, (byte)60, (byte)255) : ((byte)0, (byte)0, (byte)0, (byte)0);
}
var request = new PdfSignRequest([new PdfImagePlacement(pages - 1, 0.55, 0.8, 0.35, 0.1, new PdfRgbaImage(480, 160, image))], DateTimeOffset.Now)
{
    SignerName = "Bench",
    Evidence = new byte[2048],
};

var keys = Directory.CreateTempSubdirectory("pdf-sign-bench-");
try
{
    Console.WriteLine($"document: {pdf.Length} bytes, {(sampleIndex >= 0 ? args[sampleIndex + 1] : $"{pages}-page sample")}; {iterations} signings per algorithm after 5 warm-up");
    foreach (var algorithm in new[] { DocumentSigningAlgorithm.EcdsaP256, DocumentSigningAlgorithm.Sm2, DocumentSigningAlgorithm.Rsa2048 })
    {
        var signer = new PdfSigner(DocumentSigningKey.LoadOrCreate(keys.FullName, algorithm, "Bench", TimeProvider.System));
        for (var i = 0; i < 5; i++) await signer.SignAsync(pdf, request, CancellationToken.None);
        var times = new double[iterations];
        var size = 0;
        for (var i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            size = (await signer.SignAsync(pdf, request, CancellationToken.None)).Length;
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{algorithm,-10} median {times[iterations / 2],7:0.00} ms   p90 {times[iterations * 9 / 10],7:0.00} ms   min {times[0],7:0.00} ms   output {size} bytes"));
    }
}
finally
{
    keys.Delete(recursive: true);
}
