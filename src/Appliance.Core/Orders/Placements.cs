namespace Appliance.Core.Orders;

/// <summary>A placement as a caller wrote it, before it is resolved against the document's pages and text.</summary>
public abstract record PlacementSpec
{
    /// <summary>Seed 002 <c>pagenumber</c> + <c>position</c> "left,bottom,right,top" in 0-1 fractions of the page, bottom-left origin.</summary>
    public sealed record Area(int Page, double Left, double Bottom, double Right, double Top) : PlacementSpec;

    /// <summary>Seed 001 <c>x</c> / <c>y</c>: PDF points from the page's bottom-left corner (the signature's lower-left corner).</summary>
    public sealed record Point(int Page, double X, double Y) : PlacementSpec;

    /// <summary>
    /// Seed 001 <c>placeHolder</c> / seed 004 <c>keyWord</c>: the signature sits on the text found. <see cref="Occurrence"/>
    /// 0 = every occurrence, n = the n-th (negative: from the end); offsets in points, right and down from the text's box.
    /// </summary>
    public sealed record Text(string Value, int Occurrence, double OffsetX, double OffsetY) : PlacementSpec;
}

/// <summary>A text found on a page: its box in points, top-left origin.</summary>
public readonly record struct TextHit(int Page, double Left, double Top, double Width, double Height);

/// <summary>The pages and text of a PDF, read once when an order arrives (placements are resolved against it).</summary>
public interface IDocumentLayout : IDisposable
{
    int PageCount { get; }

    /// <summary>The page's size in points, as displayed (rotation applied).</summary>
    (double Width, double Height) PageSize(int page);

    /// <summary>Every occurrence of <paramref name="text"/>, in page order then reading order.</summary>
    IReadOnlyList<TextHit> FindText(string text);
}

/// <summary>Opens PDFs for layout. Throws <see cref="OrderException"/> <see cref="OrderFailure.BadDocument"/> for one it cannot open.</summary>
public interface IDocumentLayoutReader
{
    IDocumentLayout Open(byte[] pdf);
}

/// <summary>Turns what a caller wrote into boxes on pages.</summary>
public static class OrderPlacements
{
    /// <summary>A signature placed by a point or a text is this wide (points) and this tall.</summary>
    public const double SignatureWidthPoints = 150, SignatureHeightPoints = 60;

    public static IReadOnlyList<OrderPlacement> Resolve(PlacementSpec spec, IDocumentLayout layout)
    {
        switch (spec)
        {
            case PlacementSpec.Area a:
            {
                var page = CheckPage(a.Page, layout);
                if (!(a.Left >= 0 && a.Right <= 1 && a.Bottom >= 0 && a.Top <= 1 && a.Right - a.Left >= 0.01 && a.Top - a.Bottom >= 0.005))
                    throw new OrderException(OrderFailure.BadParameter, $"position: expected \"left,bottom,right,top\" fractions 0-1 with left < right and bottom < top, found {a.Left},{a.Bottom},{a.Right},{a.Top}");
                return [new OrderPlacement(page, a.Left, 1 - a.Top, a.Right - a.Left, a.Top - a.Bottom)];
            }
            case PlacementSpec.Point p:
            {
                var page = CheckPage(p.Page, layout);
                var (w, h) = layout.PageSize(page);
                if (!(p.X >= 0 && p.X < w && p.Y >= 0 && p.Y < h))
                    throw new OrderException(OrderFailure.BadDocument, $"x/y ({p.X}, {p.Y}) is off page {p.Page} ({w:0} x {h:0} points)");
                return [Box(page, p.X, h - p.Y - SignatureHeightPoints, w, h)];
            }
            case PlacementSpec.Text t:
            {
                if (string.IsNullOrWhiteSpace(t.Value)) throw new OrderException(OrderFailure.BadParameter, "keyword / placeHolder: empty");
                var hits = layout.FindText(t.Value);
                if (hits.Count == 0) throw new OrderException(OrderFailure.PlacementNotFound, $"\"{t.Value}\" is not in the document");
                IEnumerable<TextHit> chosen = t.Occurrence == 0 ? hits
                    : Math.Abs(t.Occurrence) <= hits.Count ? [hits[t.Occurrence > 0 ? t.Occurrence - 1 : hits.Count + t.Occurrence]]
                    : throw new OrderException(OrderFailure.PlacementNotFound, $"\"{t.Value}\" occurs {hits.Count} times, not {t.Occurrence}");
                return [.. chosen.Take(OrderLimits.MaxPlacements).Select(hit =>
                {
                    var (w, h) = layout.PageSize(hit.Page);
                    // Centred on the text, then moved by the offsets.
                    var left = hit.Left + hit.Width / 2 - SignatureWidthPoints / 2 + t.OffsetX;
                    var top = hit.Top + hit.Height / 2 - SignatureHeightPoints / 2 + t.OffsetY;
                    return Box(hit.Page, left, top, w, h);
                })];
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(spec));
        }
    }

    private static int CheckPage(int oneBased, IDocumentLayout layout) =>
        oneBased >= 1 && oneBased <= layout.PageCount ? oneBased - 1
            : throw new OrderException(OrderFailure.BadDocument, $"page {oneBased}: the document has {layout.PageCount} page(s)");

    /// <summary>A signature-sized box at (left, top) points, kept on the page.</summary>
    private static OrderPlacement Box(int page, double left, double top, double pageWidth, double pageHeight)
    {
        var w = Math.Min(SignatureWidthPoints, pageWidth);
        var h = Math.Min(SignatureHeightPoints, pageHeight);
        left = Math.Clamp(left, 0, pageWidth - w);
        top = Math.Clamp(top, 0, pageHeight - h);
        return new OrderPlacement(page, left / pageWidth, top / pageHeight, w / pageWidth, h / pageHeight);
    }
}
