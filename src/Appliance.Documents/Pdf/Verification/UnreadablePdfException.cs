namespace Appliance.Documents.Pdf.Verification;

/// <summary>The bytes are not a PDF whose signatures can be looked for (not a PDF, its structure broken, or encrypted).</summary>
public sealed class UnreadablePdfException(string message, Exception? inner = null) : Exception(message, inner);
