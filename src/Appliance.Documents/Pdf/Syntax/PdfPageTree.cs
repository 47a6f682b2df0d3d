namespace Appliance.Documents.Pdf.Syntax;

/// <summary>A page found in the page tree, with the attributes it inherits (ISO 32000-1 §7.7.3.4) resolved.</summary>
internal sealed record PdfPage(PdfReference Reference, PdfDictionary Dictionary, PdfRectangle MediaBox, PdfRectangle? CropBox, int Rotate)
{
    /// <summary>The region shown: the crop box clipped to the media box, else the media box (§14.11.2).</summary>
    public PdfRectangle VisibleBox => CropBox is { } crop ? crop.Intersect(MediaBox) : MediaBox;
}

internal readonly record struct PdfRectangle(double Left, double Bottom, double Right, double Top)
{
    public double Width => Right - Left;
    public double Height => Top - Bottom;

    public PdfRectangle Intersect(PdfRectangle other)
    {
        var clipped = new PdfRectangle(Math.Max(Left, other.Left), Math.Max(Bottom, other.Bottom), Math.Min(Right, other.Right), Math.Min(Top, other.Top));
        // Disjoint boxes are an error in the file; viewers then fall back to the media box.
        return clipped.Width > 0 && clipped.Height > 0 ? clipped : other;
    }

    public PdfArray ToArray() => PdfArray.Of(Left, Bottom, Right, Top);

    /// <summary>Any two corners in any order, as §7.9.5 allows.</summary>
    public static PdfRectangle? From(PdfDocument document, PdfObject? value)
    {
        if (document.Resolve(value) is not PdfArray { Count: 4 } array) return null;
        var numbers = new double[4];
        for (var i = 0; i < 4; i++)
        {
            numbers[i] = document.Resolve(array[i]) switch
            {
                PdfInteger integer => integer.Value,
                PdfReal real => real.Value,
                _ => double.NaN,
            };
            if (!double.IsFinite(numbers[i])) return null;
        }
        return new PdfRectangle(Math.Min(numbers[0], numbers[2]), Math.Min(numbers[1], numbers[3]), Math.Max(numbers[0], numbers[2]), Math.Max(numbers[1], numbers[3]));
    }
}

internal static class PdfPageTree
{
    private const int MaxDepth = 64;

    /// <summary>The page count the root /Pages node declares.</summary>
    public static int Count(PdfDocument document, PdfDictionary catalog)
    {
        var root = document.ResolveDictionary(catalog["Pages"]) ?? throw new PdfSyntaxException("catalog has no /Pages dictionary");
        return (int)Math.Clamp((document.Resolve(root["Count"]) as PdfInteger)?.Value ?? throw new PdfSyntaxException("root /Pages has no /Count"), 0, int.MaxValue);
    }

    /// <summary>The page at a 0-based index, descending by /Count so only one path through the tree is read.</summary>
    public static PdfPage? Find(PdfDocument document, PdfDictionary catalog, int index)
    {
        if (catalog["Pages"] is not PdfReference rootReference) throw new PdfSyntaxException("catalog /Pages is not an indirect reference");
        PdfObject? mediaBox = null, cropBox = null, rotate = null;
        var node = rootReference;
        var remaining = index;
        var visited = new HashSet<PdfObjectId>();
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            if (!visited.Add(node.Id)) throw new PdfSyntaxException($"page tree loops at object {node.Id}");
            var dictionary = document.ResolveDictionary(node) ?? throw new PdfSyntaxException($"page tree node {node.Id} is not a dictionary");
            mediaBox = dictionary["MediaBox"] ?? mediaBox;
            cropBox = dictionary["CropBox"] ?? cropBox;
            rotate = dictionary["Rotate"] ?? rotate;
            if (document.Resolve(dictionary["Kids"]) is not PdfArray kids)
            {
                if (remaining != 0) return null;
                return MakePage(document, node, dictionary, mediaBox, cropBox, rotate);
            }
            PdfReference? next = null;
            foreach (var kid in kids.Items)
            {
                if (kid is not PdfReference kidReference) throw new PdfSyntaxException($"page tree node {node.Id} has a kid that is not a reference");
                var kidDictionary = document.ResolveDictionary(kidReference) ?? throw new PdfSyntaxException($"page tree kid {kidReference.Id} is not a dictionary");
                var isLeaf = document.Resolve(kidDictionary["Kids"]) is not PdfArray;
                var count = isLeaf ? 1 : (document.Resolve(kidDictionary["Count"]) as PdfInteger)?.Value ?? throw new PdfSyntaxException($"page tree node {kidReference.Id} has no /Count");
                if (remaining < count)
                {
                    next = kidReference;
                    break;
                }
                remaining -= (int)count;
            }
            if (next is null) return null;
            node = next;
        }
        throw new PdfSyntaxException("page tree deeper than 64 levels");
    }

    /// <summary>
    /// Every page's reference and dictionary in document order, at most <paramref name="maxPages"/> (a walk of the
    /// whole tree; <see cref="Find"/> reads one path). Attributes are not inherited: callers read the page's own entries.
    /// </summary>
    public static IReadOnlyList<(PdfReference Reference, PdfDictionary Dictionary)> All(PdfDocument document, PdfDictionary catalog, int maxPages)
    {
        if (catalog["Pages"] is not PdfReference rootReference) throw new PdfSyntaxException("catalog /Pages is not an indirect reference");
        var pages = new List<(PdfReference, PdfDictionary)>();
        var visited = new HashSet<PdfObjectId>();
        // Depth-first with an explicit stack of (node, depth), kids pushed in reverse so they come out in order.
        var stack = new Stack<(PdfReference Node, int Depth)>();
        stack.Push((rootReference, 0));
        while (stack.Count > 0 && pages.Count < maxPages)
        {
            var (node, depth) = stack.Pop();
            if (depth > MaxDepth) throw new PdfSyntaxException("page tree deeper than 64 levels");
            if (!visited.Add(node.Id)) throw new PdfSyntaxException($"page tree loops at object {node.Id}");
            var dictionary = document.ResolveDictionary(node) ?? throw new PdfSyntaxException($"page tree node {node.Id} is not a dictionary");
            if (document.Resolve(dictionary["Kids"]) is not PdfArray kids)
            {
                pages.Add((node, dictionary));
                continue;
            }
            for (var i = kids.Count - 1; i >= 0; i--)
            {
                if (kids[i] is not PdfReference kid) throw new PdfSyntaxException($"page tree node {node.Id} has a kid that is not a reference");
                stack.Push((kid, depth + 1));
            }
        }
        return pages;
    }

    private static PdfPage MakePage(PdfDocument document, PdfReference reference, PdfDictionary dictionary, PdfObject? mediaBox, PdfObject? cropBox, PdfObject? rotate)
    {
        // A page without a usable /MediaBox is read as US Letter, as viewers do.
        var media = PdfRectangle.From(document, mediaBox) ?? new PdfRectangle(0, 0, 612, 792);
        var crop = PdfRectangle.From(document, cropBox);
        var degrees = (document.Resolve(rotate) as PdfInteger)?.Value ?? 0;
        var normalized = (int)(((degrees % 360) + 360) % 360 / 90 * 90);
        return new PdfPage(reference, dictionary, media, crop, normalized);
    }
}
