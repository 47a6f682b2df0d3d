using System.Globalization;
using System.Text;

namespace Appliance.Documents.Pdf.Syntax;

/// <summary>Adds an entry to a name tree (ISO 32000-1 §7.9.6) without disturbing the entries it has.</summary>
internal static class PdfNameTree
{
    private const int MaxDepth = 32;
    /// <summary>Far more than any real tree; a hostile one reuses nodes to make 4^20 paths out of 20.</summary>
    private const int MaxNodes = 10_000;

    /// <summary>
    /// Inserts under <paramref name="wanted"/>, or "name (2)" and so on when the tree has it already, into the root
    /// (a copy the caller writes back): in order into its /Names, or as a new leaf among its /Kids.
    /// </summary>
    public static void Insert(PdfDocument document, PdfIncrementalUpdate update, PdfDictionary root, string wanted, PdfObject value, CancellationToken ct)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var nodes = 0;
        Collect(document, root, taken, [], ref nodes, 0, ct);
        var name = wanted;
        for (var n = 2; taken.Contains(Key(PdfString.FromText(name))); n++)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(wanted)} ({n}){Path.GetExtension(wanted)}");
        }
        var key = PdfString.FromText(name);

        if (document.Resolve(root["Kids"]) is PdfArray existingKids && root["Names"] is null)
        {
            var leaf = update.Add(new PdfDictionary()
                .Set("Limits", new PdfArray([key, key]))
                .Set("Names", new PdfArray([key, value])));
            var kids = new PdfArray(existingKids.Items);
            var at = kids.Count;
            for (var i = 0; i < kids.Count; i++)
            {
                if (document.Resolve(document.ResolveDictionary(kids[i])?["Limits"]) is PdfArray { Count: 2 } limits
                    && document.Resolve(limits[0]) is PdfString low && Compare(low, key) > 0)
                {
                    at = i;
                    break;
                }
            }
            kids.Items.Insert(at, leaf);
            root["Kids"] = Replace(update, root["Kids"], kids);
            return;
        }

        var pairs = new PdfArray((document.Resolve(root["Names"]) as PdfArray)?.Items ?? []);
        var position = pairs.Count - pairs.Count % 2;
        for (var i = 0; i + 1 < pairs.Count; i += 2)
        {
            if (document.Resolve(pairs[i]) is PdfString existing && Compare(existing, key) > 0)
            {
                position = i;
                break;
            }
        }
        pairs.Items.Insert(position, value);
        pairs.Items.Insert(position, key);
        root["Names"] = Replace(update, root["Names"], pairs);
    }

    private static PdfObject Replace(PdfIncrementalUpdate update, PdfObject? original, PdfObject updated)
    {
        if (original is not PdfReference reference) return updated;
        update.Write(reference, updated);
        return reference;
    }

    /// <summary>Every key in the tree; each node is read once, so a node listed twice (no tree then) is refused.</summary>
    private static void Collect(PdfDocument document, PdfDictionary node, HashSet<string> keys, HashSet<PdfObjectId> visited, ref int nodes, int depth, CancellationToken ct)
    {
        if (depth > MaxDepth) throw new PdfSyntaxException("name tree deeper than 32 levels");
        if (++nodes > MaxNodes) throw new PdfSyntaxException($"name tree has more than {MaxNodes} nodes");
        ct.ThrowIfCancellationRequested();
        if (document.Resolve(node["Names"]) is PdfArray pairs)
        {
            for (var i = 0; i < pairs.Count; i += 2)
            {
                if (document.Resolve(pairs[i]) is PdfString key) keys.Add(Key(key));
            }
        }
        if (document.Resolve(node["Kids"]) is PdfArray kids)
        {
            foreach (var kid in kids.Items)
            {
                if (kid is PdfReference reference && !visited.Add(reference.Id)) throw new PdfSyntaxException($"name tree reaches object {reference.Id} more than once");
                if (document.ResolveDictionary(kid) is { } child) Collect(document, child, keys, visited, ref nodes, depth + 1, ct);
            }
        }
    }

    private static string Key(PdfString key) => Encoding.Latin1.GetString(key.Bytes);

    /// <summary>Keys sort by their bytes (§7.9.6).</summary>
    private static int Compare(PdfString a, PdfString b) => a.Bytes.AsSpan().SequenceCompareTo(b.Bytes);
}
