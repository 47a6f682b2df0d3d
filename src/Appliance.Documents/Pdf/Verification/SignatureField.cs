using Appliance.Documents.Pdf.Syntax;

namespace Appliance.Documents.Pdf.Verification;

/// <summary>A signature field with a value: its full name, its /V as found (resolved only when checked), and its widgets.</summary>
internal sealed record SignatureField(string Name, PdfObject Value, IReadOnlyList<PdfReference> Widgets);
