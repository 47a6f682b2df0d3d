namespace Appliance.Documents.Pdf.Signing;

/// <summary>Straight (unpremultiplied) RGBA8888, row-major, no padding: <c>Width × Height × 4</c> bytes.</summary>
public sealed record PdfRgbaImage(int Width, int Height, byte[] Rgba);

/// <summary>
/// An image placed on a page. Left, Top, Width and Height are fractions 0..1 of the page as displayed (its crop box,
/// turned by /Rotate), origin top-left, as seed 003 §9.6 gives positions.
/// </summary>
public sealed record PdfImagePlacement(int PageIndex, double Left, double Top, double Width, double Height, PdfRgbaImage Image);

/// <summary>What to write into the document and sign. The first placement is the signature field's widget.</summary>
public sealed record PdfSignRequest(IReadOnlyList<PdfImagePlacement> Images, DateTimeOffset SigningTime)
{
    public string? SignerName { get; init; }
    public string Reason { get; init; } = "签批 / Signed on the terminal";
    public string? Location { get; init; }

    /// <summary>A file embedded in the signed revision (e.g. the pen data as JSON), listed under /EmbeddedFiles.</summary>
    public byte[]? Evidence { get; init; }
    public string EvidenceFileName { get; init; } = "signature-evidence.json";
}
