using Appliance.Core.Orders;
using Appliance.Documents.Pdf.Rendering;

namespace Appliance.Adapters.Orders;

/// <summary>An opened document's pages and text for placements; pages are 0-based, as <see cref="OrderPlacements"/> uses them.</summary>
internal sealed class DocumentLayoutAdapter(PdfDocument document) : IDocumentLayout
{
    public int PageCount => document.PageCount;

    public (double Width, double Height) PageSize(int page)
    {
        var size = document.PageSize(page);
        return (size.Width, size.Height);
    }

    public IReadOnlyList<TextHit> FindText(string text) =>
        [.. document.FindText(text, PdfDocument.MaxTextMatches).Select(m => new TextHit(m.PageIndex, m.Left, m.Top, m.Width, m.Height))];

    public void Dispose() => document.Dispose();
}
