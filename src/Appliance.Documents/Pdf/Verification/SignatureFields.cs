using Appliance.Documents.Pdf.Syntax;

namespace Appliance.Documents.Pdf.Verification;

/// <summary>
/// The signed signature fields of the interactive form (ISO 32000-1 §12.7.2–3, §12.7.4.5): a walk of /AcroForm /Fields
/// and their /Kids, /FT inherited, that keeps terminal fields of type /Sig with a /V. Every revision's signatures are
/// there, since an update that signs again extends the field list.
/// </summary>
internal static class SignatureFields
{
    /// <summary>Fields and widgets visited at most: a form larger than this is not one a terminal checks.</summary>
    private const int MaxNodes = 100_000;
    private const int MaxDepth = 32;

    public static IReadOnlyList<SignatureField> Find(PdfDocument document, PdfDictionary catalog, int maxSignatures)
    {
        var found = new List<SignatureField>();
        var form = document.ResolveDictionary(catalog["AcroForm"]);
        if (document.Resolve(form?["Fields"]) is not PdfArray fields) return found;

        var visited = new HashSet<PdfObjectId>();
        var stack = new Stack<(PdfObject Node, string ParentName, string? InheritedType, int Depth)>();
        for (var i = fields.Count - 1; i >= 0; i--) stack.Push((fields[i], "", null, 0));
        var nodes = 0;
        while (stack.Count > 0 && found.Count < maxSignatures)
        {
            var (node, parentName, inheritedType, depth) = stack.Pop();
            if (++nodes > MaxNodes || depth > MaxDepth) throw new PdfSyntaxException($"the form's field tree is larger than {MaxNodes} nodes or deeper than {MaxDepth}");
            if (node is PdfReference reference && !visited.Add(reference.Id)) continue;
            if (document.ResolveDictionary(node) is not { } field) continue;

            var partial = (document.Resolve(field["T"]) as PdfString)?.ToText() ?? "";
            var name = parentName.Length == 0 ? partial : partial.Length == 0 ? parentName : parentName + "." + partial;
            var type = (document.Resolve(field["FT"]) as PdfName)?.Value ?? inheritedType;
            var kids = document.Resolve(field["Kids"]) as PdfArray;
            // Kids with a /T are fields of their own; kids without are this field's widgets (§12.7.3.1).
            var childFields = kids?.Items.Where(k => document.ResolveDictionary(k)?.ContainsKey("T") == true).ToList() ?? [];
            if (childFields.Count > 0)
            {
                for (var i = childFields.Count - 1; i >= 0; i--) stack.Push((childFields[i], name, type, depth + 1));
                continue;
            }
            if (type != "Sig" || field["V"] is null or PdfNull) continue;
            List<PdfReference> widgets = kids is not null ? [.. kids.Items.OfType<PdfReference>()]
                : node is PdfReference merged ? [merged] : [];
            found.Add(new SignatureField(name, field["V"]!, widgets));
        }
        return found;
    }
}
