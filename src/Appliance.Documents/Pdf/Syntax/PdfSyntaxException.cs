namespace Appliance.Documents.Pdf.Syntax;

/// <summary>The document's bytes are not PDF this reader understands; the message says where and why.</summary>
internal sealed class PdfSyntaxException(string message) : Exception(message);
