namespace Appliance.Documents.Pdf.Rendering;

/// <summary>A text found on a page: its box in points on the page as displayed, the origin at the top-left corner.</summary>
public readonly record struct PdfTextMatch(int PageIndex, double Left, double Top, double Width, double Height);
