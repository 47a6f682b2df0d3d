namespace Appliance.Core.Orders;

/// <summary>
/// Signs data (seed 004 DATA / HASH jobs) with the device key, the same key family the PDF signer uses
/// (<c>STATE_DIR/signing/</c>). Failures are <see cref="OrderException"/>: <see cref="OrderFailure.BadParameter"/> for an
/// algorithm the terminal does not do or a HASH of the wrong length, <see cref="OrderFailure.Internal"/> for the key.
/// </summary>
public interface IDataSigner
{
    /// <param name="algorithm">Seed 004 names: <c>SM3withSM2</c> (ID 1234567812345678), <c>SHA256withRSA</c>, <c>SHA256withECDSA</c>.</param>
    /// <param name="kind"><see cref="OrderContentKind.Data"/>: the bytes are digested; <see cref="OrderContentKind.Hash"/>: they are the digest (SM2: e = SM3(Z ‖ M)).</param>
    Task<DataSignature> SignAsync(byte[] data, OrderContentKind kind, string algorithm, CancellationToken cancel);
}

/// <summary>A data signature: the value (DER, as seed 004 carries it base64) and the signing certificate (DER).</summary>
public sealed record DataSignature(byte[] Value, byte[] Certificate);

/// <summary>Checks signatures for the admin API's verification calls (seed 004 verifyPdfSeal, verifySign, verifySignData).</summary>
public interface ISignatureVerifier
{
    /// <summary>Every signature in the PDF, checked. Throws <see cref="OrderException"/> <see cref="OrderFailure.BadDocument"/> for a file that is not a PDF.</summary>
    IReadOnlyList<PdfSignatureCheck> VerifyPdf(byte[] pdf);

    /// <summary>
    /// True when <paramref name="signature"/> over <paramref name="data"/> verifies with <paramref name="certificate"/>'s key.
    /// Throws <see cref="OrderException"/> <see cref="OrderFailure.BadParameter"/> for an unknown algorithm or an unreadable certificate.
    /// </summary>
    /// <param name="algorithm"><c>SM3withSM2</c>, <c>SHA1withRSA</c>, <c>SHA256withRSA</c>, <c>SHA256withECDSA</c>.</param>
    bool VerifyData(byte[] data, OrderContentKind kind, string algorithm, byte[] signature, byte[] certificate);
}

/// <summary>One signature of a PDF as seed 004 §3.4.8.3 lists it.</summary>
public sealed record PdfSignatureCheck
{
    /// <summary>True when the signature is cryptographically valid over the bytes it covers.</summary>
    public bool Valid { get; init; }
    public string FieldName { get; init; } = "";
    public IReadOnlyList<string> Errors { get; init; } = [];
    /// <summary>Seed 004 names: <c>SM3WithSM2</c>, <c>SHA256WithECDSA</c>, <c>SHA256WithRSA</c>.</summary>
    public string SignatureAlgorithm { get; init; } = "";
    public byte[] SignatureValue { get; init; } = [];
    /// <summary>The signing time the signature claims (CMS signingTime), if any.</summary>
    public DateTimeOffset? SignedAt { get; init; }
    /// <summary>Signer certificate first, then the chain it carries (DER).</summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];
    public string CommonName { get; init; } = "";
    public IReadOnlyList<string> CertificateDns { get; init; } = [];
    /// <summary>Upper-case hex.</summary>
    public string CertificateSerial { get; init; } = "";
    public bool HasTimestamp { get; init; }
    public DateTimeOffset? TimestampedAt { get; init; }
    /// <summary>1-based page of the signature's widget (0 when it has none).</summary>
    public int Page { get; init; }
    /// <summary>True when the signature's byte range covers the whole file as given (no later update).</summary>
    public bool CoversWholeDocument { get; init; }
}
