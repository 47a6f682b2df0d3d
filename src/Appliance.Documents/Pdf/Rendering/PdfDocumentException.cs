namespace Appliance.Documents.Pdf.Rendering;

/// <summary>Why a document could not be opened.</summary>
public enum PdfDocumentFailure
{
    /// <summary>Not a PDF, or one poppler cannot read (truncated, broken cross-references).</summary>
    Malformed,

    /// <summary>The document needs a password to be opened.</summary>
    Encrypted,

    /// <summary>libpoppler-glib, libcairo or GLib is not installed.</summary>
    LibraryMissing,
}

public sealed class PdfDocumentException(PdfDocumentFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public PdfDocumentFailure Failure { get; } = failure;
}
