namespace Appliance.Documents.Pdf.Syntax;

/// <summary>The document's bytes are not PDF this reader understands; the message says where and why.</summary>
internal sealed class PdfSyntaxException(string message) : Exception(message)
{
    /// <summary>
    /// What reading a corrupt file throws: our own errors, and the checked arithmetic, slicing and casts they guard.
    /// Out-of-memory is not among them: the reader's caps (object numbers, decoded sizes) keep it from happening.
    /// </summary>
    public static bool IsUnreadable(Exception e) =>
        e is PdfSyntaxException or OverflowException or ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidOperationException or InvalidCastException;
}
