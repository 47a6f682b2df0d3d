using Appliance.Core.Orders;
using Appliance.Documents.Pdf.Rendering;

namespace Appliance.Adapters.Orders;

/// <summary>
/// Binds <see cref="IDocumentLayoutReader"/> to poppler (Documents' <see cref="PdfDocument"/>): a document it cannot open
/// is <see cref="OrderFailure.BadDocument"/>; poppler missing on the terminal is <see cref="OrderFailure.Internal"/>.
/// </summary>
public sealed class DocumentLayoutReaderAdapter : IDocumentLayoutReader
{
    public IDocumentLayout Open(byte[] pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        try
        {
            return new DocumentLayoutAdapter(PdfDocument.Open(pdf));
        }
        catch (PdfDocumentException e) when (e.Failure == PdfDocumentFailure.LibraryMissing)
        {
            throw new OrderException(OrderFailure.Internal, $"终端无法读取 PDF / the terminal cannot read PDFs: {e.Message}", e);
        }
        catch (PdfDocumentException e) when (e.Failure == PdfDocumentFailure.Encrypted)
        {
            throw new OrderException(OrderFailure.BadDocument, "文档已加密 / the PDF is encrypted", e);
        }
        catch (PdfDocumentException e)
        {
            throw new OrderException(OrderFailure.BadDocument, $"文档无法打开 / the PDF cannot be opened: {e.Message}", e);
        }
    }
}
