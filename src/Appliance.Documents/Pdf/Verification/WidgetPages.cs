using Appliance.Documents.Pdf.Syntax;

namespace Appliance.Documents.Pdf.Verification;

/// <summary>Which page each annotation is on: the pages' /Annots, read once for all of a document's signatures.</summary>
internal sealed class WidgetPages
{
    /// <summary>As many pages as the terminal shows (Rendering's PdfDocument.MaxPages).</summary>
    private const int MaxPages = 10_000;

    private readonly Dictionary<PdfObjectId, int> _byAnnotation = [];
    private readonly Dictionary<PdfObjectId, int> _byPage = [];

    /// <summary>The map of a readable page tree; an unreadable one maps nothing (every signature then has page 0).</summary>
    public static WidgetPages Read(PdfDocument document, PdfDictionary catalog)
    {
        var map = new WidgetPages();
        IReadOnlyList<(PdfReference Reference, PdfDictionary Dictionary)> pages;
        try { pages = PdfPageTree.All(document, catalog, MaxPages); }
        catch (Exception e) when (PdfSyntaxException.IsUnreadable(e)) { return map; }
        for (var i = 0; i < pages.Count; i++)
        {
            var (reference, page) = pages[i];
            map._byPage.TryAdd(reference.Id, i + 1);
            PdfArray? annots;
            try { annots = document.Resolve(page["Annots"]) as PdfArray; }
            catch (Exception e) when (PdfSyntaxException.IsUnreadable(e)) { continue; }
            foreach (var annotation in annots?.Items.OfType<PdfReference>() ?? []) map._byAnnotation.TryAdd(annotation.Id, i + 1);
        }
        return map;
    }

    /// <summary>1-based page of the first widget a page lists, else of the first widget's /P; 0 when neither says.</summary>
    public int PageOf(PdfDocument document, IReadOnlyList<PdfReference> widgets)
    {
        foreach (var widget in widgets)
            if (_byAnnotation.TryGetValue(widget.Id, out var page)) return page;
        foreach (var widget in widgets)
        {
            PdfDictionary? dictionary;
            // A widget that cannot be read says no page; the signature itself may still be fine.
            try { dictionary = document.ResolveDictionary(widget); }
            catch (Exception e) when (PdfSyntaxException.IsUnreadable(e)) { continue; }
            if (dictionary?["P"] is PdfReference pageReference && _byPage.TryGetValue(pageReference.Id, out var page)) return page;
        }
        return 0;
    }
}
