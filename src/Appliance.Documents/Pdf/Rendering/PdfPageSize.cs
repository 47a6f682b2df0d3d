namespace Appliance.Documents.Pdf.Rendering;

/// <summary>A page's size in points (1/72 inch) as it is displayed, that is after its /Rotate.</summary>
public readonly record struct PdfPageSize(double Width, double Height);
