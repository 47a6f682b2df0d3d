using System.Diagnostics;
using System.Globalization;
using Appliance.Documents.Pdf.Rendering;

// Times one page at 150 dpi two ways: reading and opening the file then rendering (what one pdftoppm run does, less its
// process start and writing the PPM), and rendering alone from an open document (the terminal turning a page).
// Usage: PdfRenderBench FILE [PAGE (1-based, default 1)] [RUNS (default 11)] [OUT.ppm: our render, to compare by eye with pdftoppm's]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: PdfRenderBench FILE [PAGE] [RUNS] [OUT.ppm]");
    return 2;
}
var path = args[0];
var pageNumber = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 11;
const double Scale = 150.0 / 72;

void OpenAndRender()
{
    using var document = PdfDocument.Open(File.ReadAllBytes(path));
    using var image = document.Render(pageNumber - 1, Scale);
}

using (var document = PdfDocument.Open(File.ReadAllBytes(path)))
{
    using var image = document.Render(pageNumber - 1, Scale);
    if (args.Length > 3) WritePpm(image, args[3]);
    Console.WriteLine($"{Path.GetFileName(path)}: {document.PageCount} pages; page {pageNumber} is {document.PageSize(pageNumber - 1).Width:0.#}x{document.PageSize(pageNumber - 1).Height:0.#} pt, {image.Width}x{image.Height} px at 150 dpi");
}

var openAndRender = Median(runs, OpenAndRender);
double renderOnly;
using (var document = PdfDocument.Open(File.ReadAllBytes(path)))
    renderOnly = Median(runs, () => { using var image = document.Render(pageNumber - 1, Scale); });

// The script reads these two lines.
Console.WriteLine($"open_and_render_ms {openAndRender.ToString("0.00", CultureInfo.InvariantCulture)}");
Console.WriteLine($"render_only_ms {renderOnly.ToString("0.00", CultureInfo.InvariantCulture)}");
return 0;

// Median wall time in ms of RUNS calls, after two that warm the JIT, poppler's font cache and the page cache of the file.
static double Median(int runs, Action run)
{
    run();
    run();
    var times = new double[runs];
    for (var i = 0; i < runs; i++)
    {
        var started = Stopwatch.GetTimestamp();
        run();
        times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
    Array.Sort(times);
    return runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
}

// Binary PPM: the premultiplied BGRA rows as RGB, which is exact because the page is painted opaque white first.
static void WritePpm(PdfPageImage image, string path)
{
    using var file = File.Create(path);
    file.Write(System.Text.Encoding.ASCII.GetBytes($"P6\n{image.Width} {image.Height}\n255\n"));
    var row = new byte[image.Width * 3];
    for (var y = 0; y < image.Height; y++)
    {
        var bgra = image.Pixels.Slice(y * image.Stride, image.Width * 4);
        for (var x = 0; x < image.Width; x++)
        {
            row[x * 3] = bgra[x * 4 + 2];
            row[x * 3 + 1] = bgra[x * 4 + 1];
            row[x * 3 + 2] = bgra[x * 4];
        }
        file.Write(row);
    }
}
