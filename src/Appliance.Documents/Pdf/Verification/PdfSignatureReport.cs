namespace Appliance.Documents.Pdf.Verification;

/// <summary>One signature of a PDF, checked: what it claims and whether it holds.</summary>
public sealed record PdfSignatureReport
{
    /// <summary>True when the signature verifies over the bytes it covers and nothing about it is wrong (<see cref="Errors"/> is empty).</summary>
    public bool Valid { get; init; }
    /// <summary>The field's fully qualified name (its /T and its parents', joined by dots).</summary>
    public string FieldName { get; init; } = "";
    /// <summary>Why it is not valid, each "中文 / English".</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
    /// <summary>/SubFilter: ETSI.CAdES.detached, adbe.pkcs7.detached, …</summary>
    public string SubFilter { get; init; } = "";
    /// <summary>"SM3WithSM2", "SHA256WithECDSA", "SHA256WithRSA", …; empty when the CMS could not be read.</summary>
    public string SignatureAlgorithm { get; init; } = "";
    public byte[] SignatureValue { get; init; } = [];
    /// <summary>The CMS signing-time attribute, else the signature dictionary's /M (PAdES puts the claimed time there).</summary>
    public DateTimeOffset? SignedAt { get; init; }
    /// <summary>The signer's certificate first, then the others the signature carries (DER).</summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];
    /// <summary>The signer's subject CN.</summary>
    public string CommonName { get; init; } = "";
    /// <summary>The subject of each of <see cref="Certificates"/>, in the same order, as "C=CN,O=…,CN=…" in the certificate's RDN order.</summary>
    public IReadOnlyList<string> CertificateDns { get; init; } = [];
    /// <summary>The signer certificate's serial number, upper-case hex.</summary>
    public string CertificateSerial { get; init; } = "";
    public bool HasTimestamp { get; init; }
    /// <summary>The signature time-stamp token's genTime.</summary>
    public DateTimeOffset? TimestampedAt { get; init; }
    /// <summary>1-based page whose /Annots hold the signature's widget; 0 when none does.</summary>
    public int Page { get; init; }
    /// <summary>/ByteRange as (offset, length) pairs; empty when it is not one.</summary>
    public IReadOnlyList<(long Offset, long Length)> ByteRanges { get; init; } = [];
    /// <summary>The byte range runs to the end of the file: nothing was appended after this signature.</summary>
    public bool CoversWholeDocument { get; init; }
}
