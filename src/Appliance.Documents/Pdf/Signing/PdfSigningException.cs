namespace Appliance.Documents.Pdf.Signing;

public enum PdfSigningFailure
{
    /// <summary>The document could not be read; the message says where.</summary>
    Malformed,
    /// <summary>The document is encrypted (/Encrypt in its trailer); the terminal holds no password.</summary>
    Encrypted,
    /// <summary>A placement names a page the document does not have.</summary>
    PageOutOfRange,
    /// <summary>The timestamp authority did not answer with a token matching the request.</summary>
    Timestamp,
}

public sealed class PdfSigningException(PdfSigningFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public PdfSigningFailure Failure { get; } = failure;
}
