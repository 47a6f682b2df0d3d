using Appliance.Core.Orders;
using Appliance.Documents.Pdf.Verification;
using Appliance.Documents.Signing.Data;
using DataContent = Appliance.Documents.Signing.Data.DataContent;

namespace Appliance.Adapters.Orders;

/// <summary>
/// Binds <see cref="ISignatureVerifier"/> to Documents' checkers: PDF signatures (<see cref="PdfSignatureVerifier"/>) and
/// data signatures (<see cref="DataSignatureVerifier"/>), their refusals as <see cref="OrderException"/>.
/// </summary>
public sealed class SignatureVerifierAdapter : ISignatureVerifier
{
    public IReadOnlyList<PdfSignatureCheck> VerifyPdf(byte[] pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        IReadOnlyList<PdfSignatureReport> reports;
        try
        {
            reports = PdfSignatureVerifier.Verify(pdf);
        }
        catch (UnreadablePdfException e)
        {
            throw new OrderException(OrderFailure.BadDocument, e.Message, e);
        }
        return [.. reports.Select(r => new PdfSignatureCheck
        {
            Valid = r.Valid,
            FieldName = r.FieldName,
            Errors = r.Errors,
            SignatureAlgorithm = r.SignatureAlgorithm,
            SignatureValue = r.SignatureValue,
            SignedAt = r.SignedAt,
            Certificates = r.Certificates,
            CommonName = r.CommonName,
            CertificateDns = r.CertificateDns,
            CertificateSerial = r.CertificateSerial,
            HasTimestamp = r.HasTimestamp,
            TimestampedAt = r.TimestampedAt,
            Page = r.Page,
            CoversWholeDocument = r.CoversWholeDocument,
        })];
    }

    public bool VerifyData(byte[] data, OrderContentKind kind, string algorithm, byte[] signature, byte[] certificate)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(certificate);
        try
        {
            return DataSignatureVerifier.Verify(data, DataContentOf(kind), DataSignatureAlgorithms.Parse(algorithm), signature, certificate);
        }
        catch (DataSignatureException e)
        {
            throw new OrderException(OrderFailure.BadParameter, e.Message, e);
        }
    }

    internal static DataContent DataContentOf(OrderContentKind kind) => kind switch
    {
        OrderContentKind.Data => DataContent.Message,
        OrderContentKind.Hash => DataContent.Digest,
        _ => throw new OrderException(OrderFailure.BadParameter, $"数据类型应为 DATA 或 HASH / the data kind must be DATA or HASH, not {kind}"),
    };
}
