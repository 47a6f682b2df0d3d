using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Appliance.Documents.Pdf.Syntax;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Tsp;

namespace Appliance.Documents.Pdf.Signing;

/// <summary>
/// Writes the placed images into a PDF and signs it PAdES baseline (B-B, or B-T with a timestamp authority) as ONE
/// incremental update appended to the original bytes (ISO 32000-1 §7.5.6, §12.8; ETSI EN 319 142-1), so earlier
/// revisions and their signatures stay intact.
/// </summary>
public sealed class PdfSigner(DocumentSigningKey key, ITimestampAuthority? timestamps = null)
{
    /// <summary>Room for a TSA's token with its certificate chain; the update is rebuilt if a token needs more.</summary>
    private const int TimestampReserve = 12 * 1024;
    private const int ByteRangeWidth = 40;
    /// <summary>Field flags ReadOnly (bit 1) and Pushbutton (bit 17), §12.7.3.1 and §12.7.4.2.</summary>
    private const int ReadOnlyPushButton = 1 | 1 << 16;

    private readonly DocumentSigningKey _key = key ?? throw new ArgumentNullException(nameof(key));

    /// <summary>The original bytes followed by one update holding the images, the signature field and the signature.</summary>
    public async Task<byte[]> SignAsync(ReadOnlyMemory<byte> pdf, PdfSignRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Images);
        foreach (var placement in request.Images) ImagePlacement.Validate(placement);

        var reserve = CadesSignature.EstimateLength(_key) + (timestamps is null ? 0 : TimestampReserve);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var prepared = Prepare(pdf, request, reserve, ct);
            var cades = CadesSignature.Sign(_key, DigestByteRanges(prepared));
            var token = timestamps is null ? null : await StampAsync(cades.SignatureValue, ct).ConfigureAwait(false);
            var cms = cades.Encode(token);
            if (cms.Length > reserve)
            {
                reserve = cms.Length + 1024;
                continue;
            }
            // The hex digits replace the placeholder's leading zeros; the rest stays zero padding (§12.8.1).
            Encoding.ASCII.GetBytes(Convert.ToHexString(cms), prepared.Output.AsSpan(prepared.ContentsOffset + 1));
            return prepared.Output;
        }
    }

    private sealed record PreparedDocument(byte[] Output, int ContentsOffset, int ContentsEnd);

    private byte[] DigestByteRanges(PreparedDocument prepared)
    {
        var digest = SignatureSuite.CreateDigest(_key.Algorithm);
        digest.BlockUpdate(prepared.Output, 0, prepared.ContentsOffset);
        digest.BlockUpdate(prepared.Output, prepared.ContentsEnd, prepared.Output.Length - prepared.ContentsEnd);
        var result = new byte[digest.GetDigestSize()];
        digest.DoFinal(result, 0);
        return result;
    }

    private async Task<byte[]> StampAsync(byte[] signatureValue, CancellationToken ct)
    {
        var imprint = SHA256.HashData(signatureValue);
        byte[] token;
        try
        {
            token = await timestamps!.GetTimestampTokenAsync(imprint, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not PdfSigningException && !(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            throw new PdfSigningException(PdfSigningFailure.Timestamp, $"timestamp authority failed: {e.Message}", e);
        }
        try
        {
            // The token goes into the signature as given, so it must be one, and for this signature value.
            var info = new TimeStampToken(new CmsSignedData(token)).TimeStampInfo;
            if (info.MessageImprintAlgOid != TspAlgorithms.Sha256 || !info.GetMessageImprintDigest().AsSpan().SequenceEqual(imprint))
            {
                throw new PdfSigningException(PdfSigningFailure.Timestamp, "timestamp token does not stamp the SHA-256 of this signature value");
            }
        }
        catch (Exception e) when (e is CmsException or TspException or IOException or ArgumentException or InvalidCastException)
        {
            throw new PdfSigningException(PdfSigningFailure.Timestamp, $"timestamp authority returned no usable token: {e.Message}", e);
        }
        return token;
    }

    private static PreparedDocument Prepare(ReadOnlyMemory<byte> pdf, PdfSignRequest request, int reserve, CancellationToken ct)
    {
        PdfDocument document;
        try
        {
            document = PdfDocument.Open(pdf, ct);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw new PdfSigningException(PdfSigningFailure.Malformed, $"unreadable PDF: {e.Message}", e);
        }
        if (document.Trailer.ContainsKey("Encrypt")) throw new PdfSigningException(PdfSigningFailure.Encrypted, "the PDF is encrypted (/Encrypt in its trailer)");
        try
        {
            return Write(document, pdf.Span, request, reserve, ct);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw new PdfSigningException(PdfSigningFailure.Malformed, $"unreadable PDF: {e.Message}", e);
        }
    }

    private static bool IsUnreadable(Exception e) => PdfSyntaxException.IsUnreadable(e);

    private static PreparedDocument Write(PdfDocument document, ReadOnlySpan<byte> original, PdfSignRequest request, int reserve, CancellationToken ct)
    {
        var catalogReference = (PdfReference)document.Trailer["Root"]!;
        var catalog = new PdfDictionary(document.ResolveDictionary(catalogReference) ?? throw new PdfSyntaxException($"/Root {catalogReference.Id} is not a dictionary"));
        var pageCount = PdfPageTree.Count(document, catalog);
        var pages = new Dictionary<int, PdfPage>();
        PdfPage PageAt(int index)
        {
            if (index < 0 || index >= pageCount)
            {
                throw new PdfSigningException(PdfSigningFailure.PageOutOfRange, string.Create(CultureInfo.InvariantCulture, $"page index {index} is outside the document's {pageCount} pages"));
            }
            if (!pages.TryGetValue(index, out var page))
            {
                page = PdfPageTree.Find(document, catalog, index) ?? throw new PdfSyntaxException($"page tree holds fewer pages than its /Count {pageCount}");
                pages[index] = page;
            }
            return page;
        }
        foreach (var placement in request.Images) PageAt(placement.PageIndex);

        var update = new PdfIncrementalUpdate(document, original);
        var signature = update.Allocate();
        var field = update.Allocate();
        var acroFormOriginal = catalog["AcroForm"];
        var acroForm = new PdfDictionary(document.ResolveDictionary(acroFormOriginal) ?? new PdfDictionary());
        var fieldsOriginal = acroForm["Fields"];
        var fields = new PdfArray((document.Resolve(fieldsOriginal) as PdfArray)?.Items ?? []);

        var fieldDictionary = new PdfDictionary()
            .Set("FT", "Sig")
            .Set("T", PdfString.FromText(UniqueFieldName(document, fields)))
            .Set("V", signature);
        var widgetsByPage = new Dictionary<PdfPage, List<PdfReference>>();
        void AddWidget(PdfPage page, PdfReference widget)
        {
            if (!widgetsByPage.TryGetValue(page, out var list)) widgetsByPage[page] = list = [];
            list.Add(widget);
        }
        PdfDictionary Widget(PdfDictionary into, PdfPage page, PdfRectangle rectangle, PdfReference? appearance)
        {
            into.Set("Type", "Annot").Set("Subtype", "Widget").Set("F", 4).Set("Rect", rectangle.ToArray()).Set("P", page.Reference);
            if (appearance is not null) into.Set("AP", new PdfDictionary().Set("N", appearance));
            return into;
        }

        // The first image is the signature's widget, merged with its field (§12.7.3.1); none makes an invisible signature.
        var firstPage = PageAt(request.Images.Count == 0 ? 0 : request.Images[0].PageIndex);
        if (request.Images.Count == 0)
        {
            update.Write(field, Widget(fieldDictionary, firstPage, default, null));
        }
        else
        {
            var where = ImagePlacement.On(firstPage, request.Images[0]);
            update.Write(field, Widget(fieldDictionary, firstPage, where.Rectangle, SignatureAppearance.Write(update, request.Images[0], where)));
        }
        AddWidget(firstPage, field);
        var addedFields = new List<PdfReference> { field };

        // Further images get widgets of their own: read-only push buttons, the form's usual image holder. Widgets
        // sharing the signature field as /Kids would be simpler, but poppler then sees each as an unsigned field.
        for (var i = 1; i < request.Images.Count; i++)
        {
            var placement = request.Images[i];
            var page = PageAt(placement.PageIndex);
            var where = ImagePlacement.On(page, placement);
            var button = new PdfDictionary()
                .Set("FT", "Btn")
                .Set("Ff", ReadOnlyPushButton)
                .Set("T", PdfString.FromText(string.Create(CultureInfo.InvariantCulture, $"{Encoding.Latin1.GetString(((PdfString)fieldDictionary["T"]!).Bytes)} image {i + 1}")));
            var widget = update.Add(Widget(button, page, where.Rectangle, SignatureAppearance.Write(update, placement, where)));
            AddWidget(page, widget);
            addedFields.Add(widget);
        }

        foreach (var (page, widgets) in widgetsByPage)
        {
            var annotsOriginal = page.Dictionary["Annots"];
            var annots = new PdfArray((document.Resolve(annotsOriginal) as PdfArray)?.Items ?? []);
            foreach (var widget in widgets) annots.Add(widget);
            if (annotsOriginal is PdfReference annotsReference) update.Write(annotsReference, annots);
            else update.Write(page.Reference, new PdfDictionary(page.Dictionary).Set("Annots", annots));
        }

        foreach (var added in addedFields) fields.Add(added);
        acroForm["Fields"] = Replace(update, fieldsOriginal, fields);
        // SignaturesExist | AppendOnly (§12.7.2, Table 219).
        acroForm.Set("SigFlags", 3);
        catalog["AcroForm"] = Replace(update, acroFormOriginal, acroForm);
        if (request.Evidence is { } evidence) EmbedEvidence(document, update, catalog, evidence, request, ct);
        update.Write(catalogReference, catalog);

        var (contentsOffset, contentsEnd, byteRangeOffset) = WriteSignatureDictionary(update, signature, request, reserve);
        var written = update.Finish();
        var output = new byte[original.Length + written.Length];
        original.CopyTo(output);
        written.CopyTo(output.AsSpan(original.Length));

        var byteRange = string.Create(CultureInfo.InvariantCulture, $"[0 {contentsOffset} {contentsEnd} {output.Length - contentsEnd}").PadRight(ByteRangeWidth - 1) + "]";
        Encoding.ASCII.GetBytes(byteRange, output.AsSpan(byteRangeOffset, ByteRangeWidth));
        return new PreparedDocument(output, contentsOffset, contentsEnd);
    }

    /// <summary>Writes the updated value where the original lived: under its reference if it was indirect, else returned for its parent to hold.</summary>
    private static PdfObject Replace(PdfIncrementalUpdate update, PdfObject? original, PdfObject updated)
    {
        if (original is not PdfReference reference) return updated;
        update.Write(reference, updated);
        return reference;
    }

    private static string UniqueFieldName(PdfDocument document, PdfArray fields)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var existing in fields.Items)
        {
            if (document.ResolveDictionary(existing)?["T"] is PdfString name) taken.Add(Encoding.Latin1.GetString(name.Bytes));
        }
        for (var n = 1; ; n++)
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"Signature{n}");
            if (!taken.Contains(candidate)) return candidate;
        }
    }

    private static (int ContentsOffset, int ContentsEnd, int ByteRangeOffset) WriteSignatureDictionary(
        PdfIncrementalUpdate update, PdfReference signature, PdfSignRequest request, int reserve)
    {
        var entries = new PdfDictionary()
            .Set("Type", "Sig")
            .Set("Filter", "Adobe.PPKLite")
            .Set("SubFilter", "ETSI.CAdES.detached")
            .Set("M", new PdfString(Encoding.ASCII.GetBytes(PdfDate(request.SigningTime))));
        if (request.SignerName is { } name) entries.Set("Name", PdfString.FromText(name));
        if (!string.IsNullOrEmpty(request.Reason)) entries.Set("Reason", PdfString.FromText(request.Reason));
        if (request.Location is { } location) entries.Set("Location", PdfString.FromText(location));

        var writer = update.Writer;
        update.BeginObject(signature);
        writer.Write("<<");
        writer.WriteDictionaryEntries(entries);
        writer.Write("/ByteRange ");
        var byteRangeOffset = checked((int)update.FileOffset);
        writer.Write("[" + new string(' ', ByteRangeWidth - 2) + "]");
        writer.Write("/Contents ");
        var contentsOffset = checked((int)update.FileOffset);
        writer.Write("<" + new string('0', reserve * 2) + ">");
        var contentsEnd = checked((int)update.FileOffset);
        writer.Write(">>");
        update.EndObject();
        return (contentsOffset, contentsEnd, byteRangeOffset);
    }

    /// <summary>A PDF date (§7.9.4): D:YYYYMMDDHHmmSS+HH'mm'.</summary>
    internal static string PdfDate(DateTimeOffset time)
    {
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"D:{time:yyyyMMddHHmmss}{sign}{offset.Hours:D2}'{offset.Minutes:D2}'");
    }

    private static void EmbedEvidence(PdfDocument document, PdfIncrementalUpdate update, PdfDictionary catalog, byte[] evidence, PdfSignRequest request, CancellationToken ct)
    {
        var subtype = request.EvidenceFileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json" : "application/octet-stream";
        var file = update.Add(new PdfStream(
            new PdfDictionary()
                .Set("Type", "EmbeddedFile")
                .Set("Subtype", subtype)
                .Set("Params", new PdfDictionary()
                    .Set("Size", evidence.LongLength)
                    .Set("ModDate", new PdfString(Encoding.ASCII.GetBytes(PdfDate(request.SigningTime)))))
                .Set("Filter", "FlateDecode"),
            PdfFilters.Deflate(evidence)));
        var fileName = PdfString.FromText(request.EvidenceFileName);
        var specification = update.Add(new PdfDictionary()
            .Set("Type", "Filespec")
            .Set("F", fileName)
            .Set("UF", fileName)
            .Set("Desc", PdfString.FromText("Signature evidence"))
            .Set("EF", new PdfDictionary().Set("F", file).Set("UF", file)));

        var namesOriginal = catalog["Names"];
        var names = new PdfDictionary(document.ResolveDictionary(namesOriginal) ?? new PdfDictionary());
        var treeOriginal = names["EmbeddedFiles"];
        var tree = new PdfDictionary(document.ResolveDictionary(treeOriginal) ?? new PdfDictionary());
        PdfNameTree.Insert(document, update, tree, request.EvidenceFileName, specification, ct);
        names["EmbeddedFiles"] = Replace(update, treeOriginal, tree);
        catalog["Names"] = Replace(update, namesOriginal, names);
    }
}
