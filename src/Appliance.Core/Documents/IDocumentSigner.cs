namespace Appliance.Core.Documents;

/// <summary>
/// Writes the stamps into the PDF as an incremental update and signs it with the device key (PAdES baseline). Failures
/// are <see cref="Capture.CaptureException"/>: <see cref="Capture.CaptureFailure.BadRequest"/> for a document that cannot
/// be signed (encrypted, malformed), <see cref="Capture.CaptureFailure.DeviceFailed"/> for the key or the timestamp authority.
/// </summary>
public interface IDocumentSigner
{
    Task<SignedDocument> SignAsync(byte[] pdf, IReadOnlyList<DocumentStamp> stamps, DocumentEvidence evidence, CancellationToken cancel);
}

/// <summary>What binds the handwriting to this document: embedded in the signed PDF and covered by its signature.</summary>
/// <param name="Json">UTF-8 JSON: the document's SHA-256, and each signature's page, place and raw pen samples.</param>
public sealed record DocumentEvidence(byte[] Json, string? SignerName);

/// <summary>The signed PDF and its SHA-256 (lower-case hex).</summary>
public sealed record SignedDocument(byte[] Pdf, string Sha256);
