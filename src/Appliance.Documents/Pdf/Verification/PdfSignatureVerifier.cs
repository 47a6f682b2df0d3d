using Appliance.Documents.Pdf.Syntax;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Appliance.Documents.Pdf.Verification;

/// <summary>
/// Checks every signature of a PDF (ISO 32000-1 §12.8): each signed /Sig field of the form, its /ByteRange and the CMS
/// in its /Contents (adbe.pkcs7.detached, ETSI.CAdES.detached), the signature time-stamp token when there is one.
/// A broken signature is a report with errors; only a file that is no readable PDF throws.
/// </summary>
public static class PdfSignatureVerifier
{
    /// <summary>Signatures checked at most: each costs a hash of up to the whole file.</summary>
    public const int MaxSignatures = 100;

    /// <exception cref="UnreadablePdfException">The bytes are not a PDF, its cross-references or form cannot be read, or it is encrypted.</exception>
    public static IReadOnlyList<PdfSignatureReport> Verify(ReadOnlyMemory<byte> pdf, CancellationToken ct = default)
    {
        PdfDocument document;
        PdfDictionary catalog;
        IReadOnlyList<SignatureField> fields;
        try
        {
            document = PdfDocument.Open(pdf, ct);
            // Strings other than /Contents are encrypted too (field names); the terminal holds no password.
            if (document.Trailer.ContainsKey("Encrypt")) throw new UnreadablePdfException("文档已加密 / the PDF is encrypted");
            catalog = document.ResolveDictionary(document.Trailer["Root"]) ?? throw new PdfSyntaxException("/Root is not a dictionary");
            fields = SignatureFields.Find(document, catalog, MaxSignatures);
        }
        catch (Exception e) when (PdfSyntaxException.IsUnreadable(e))
        {
            throw new UnreadablePdfException($"不是可读的 PDF / not a readable PDF: {e.Message}", e);
        }
        if (fields.Count == 0) return [];
        var pages = WidgetPages.Read(document, catalog);
        var reports = new List<PdfSignatureReport>(fields.Count);
        foreach (var field in fields)
        {
            ct.ThrowIfCancellationRequested();
            reports.Add(Check(document, pdf, field, pages));
        }
        return reports;
    }

    private static PdfSignatureReport Check(PdfDocument document, ReadOnlyMemory<byte> pdf, SignatureField field, WidgetPages pages)
    {
        var report = new PdfSignatureReport { FieldName = field.Name };
        try
        {
            report = report with { Page = pages.PageOf(document, field.Widgets) };
            if (document.Resolve(field.Value) is not PdfDictionary signature)
                return Invalid(report, "签名字典缺失 / the field's /V is not a signature dictionary");
            var claimedTime = (document.Resolve(signature["M"]) as PdfString)?.ToText() is { } m ? PdfDate.Parse(m) : null;
            var subFilter = (document.Resolve(signature["SubFilter"]) as PdfName)?.Value ?? "";
            var contents = document.Resolve(signature["Contents"]) as PdfString;
            var ranges = SignedByteRanges.Read(document.Resolve(signature["ByteRange"]), pdf.Span, contents);
            report = report with
            {
                SubFilter = subFilter,
                SignedAt = claimedTime,
                ByteRanges = ranges.Ranges,
                CoversWholeDocument = ranges.CoversWholeFile,
            };
            var errors = new List<string>(ranges.Errors);
            if (subFilter is not ("adbe.pkcs7.detached" or "ETSI.CAdES.detached"))
                errors.Add($"不支持的签名类型 / unsupported /SubFilter \"{subFilter}\" (adbe.pkcs7.detached and ETSI.CAdES.detached are checked)");
            if (contents is null) return Invalid(report, [.. errors, "签名值缺失 / the signature dictionary has no /Contents string"]);

            SignedData signedData;
            try
            {
                signedData = ReadSignedData(contents.Bytes);
            }
            catch (Exception e) when (MalformedAsn1.Is(e))
            {
                return Invalid(report, [.. errors, $"签名内容无法解析 / /Contents holds no readable CMS SignedData: {e.Message}"]);
            }
            return Complete(report, errors, signedData, ranges, pdf);
        }
        catch (Exception e) when (PdfSyntaxException.IsUnreadable(e) || MalformedAsn1.Is(e))
        {
            return Invalid(report, [.. report.Errors, $"签名无法读取 / the signature cannot be read: {e.Message}"]);
        }
    }

    private static PdfSignatureReport Complete(PdfSignatureReport report, List<string> errors, SignedData signedData, SignedByteRanges ranges, ReadOnlyMemory<byte> pdf)
    {
        // Ranges outside the file cannot be hashed; the signature itself is still checked and its signer reported.
        var check = CmsSignerCheck.Verify(signedData, ranges.CanDigest ? digest => ranges.Feed(pdf.Span, digest) : null);
        errors.AddRange(check.Errors);
        var (hasTimestamp, timestampedAt, timestampErrors) = check.Signer is { } signer ? SignatureTimestamp.Read(signer) : (false, null, []);
        errors.AddRange(timestampErrors);
        var certificate = check.SignerCertificate;
        return report with
        {
            Valid = errors.Count == 0,
            Errors = errors,
            SignatureAlgorithm = check.Algorithm,
            SignatureValue = check.SignatureValue,
            SignedAt = check.SigningTime ?? report.SignedAt,
            Certificates = [.. check.Certificates.Select(c => c.GetEncoded())],
            CertificateDns = [.. check.Certificates.Select(c => c.SubjectDN.ToString())],
            CommonName = certificate is null ? "" : CommonName(certificate),
            CertificateSerial = certificate?.SerialNumber.ToString(16).ToUpperInvariant() ?? "",
            HasTimestamp = hasTimestamp,
            TimestampedAt = timestampedAt,
        };
    }

    /// <summary>The CMS from /Contents: the DER object at its start; the placeholder's zero padding after it is ignored.</summary>
    private static SignedData ReadSignedData(byte[] contents)
    {
        using var input = new Asn1InputStream(contents);
        var contentInfo = ContentInfo.GetInstance(input.ReadObject() ?? throw new IOException("/Contents is empty"));
        if (!contentInfo.ContentType.Equals(CmsObjectIdentifiers.SignedData)) throw new IOException($"content type {contentInfo.ContentType.Id} is not signedData");
        return SignedData.GetInstance(contentInfo.Content);
    }

    private static string CommonName(X509Certificate certificate) =>
        certificate.SubjectDN.GetValueList(X509Name.CN) is { Count: > 0 } names ? names[0] : "";

    private static PdfSignatureReport Invalid(PdfSignatureReport report, params IEnumerable<string> errors) =>
        report with { Valid = false, Errors = [.. errors] };
}
