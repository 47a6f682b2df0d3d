namespace Appliance.Documents.Pdf.Signing;

/// <summary>A time-stamping authority (RFC 3161) that stamps the SHA-256 of a signature value.</summary>
public interface ITimestampAuthority
{
    /// <summary>The DER TimeStampToken (a CMS ContentInfo) whose message imprint is <paramref name="sha256OfSignatureValue"/>.</summary>
    Task<byte[]> GetTimestampTokenAsync(byte[] sha256OfSignatureValue, CancellationToken ct);
}
