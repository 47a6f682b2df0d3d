namespace Appliance.Protocols.CameraService.SignPdf;

/// <summary>
/// Configuration section <c>signPdf</c>: where <c>show_sign_pdf</c> may read documents by <c>file_path</c>, and how the
/// terminal signs the documents it returns (device key algorithm, timestamp authority).
/// </summary>
public sealed class SignPdfOptions
{
    public const string Section = "signPdf";

    /// <summary>
    /// The one folder <c>file_path</c> may name a document in (relative to it, or absolute inside it); empty: no file is
    /// read and a page sends <c>base64</c>. A path outside it (<c>..</c>, a symbolic link out) is refused.
    /// </summary>
    public string DocumentFolder { get; set; } = "";

    /// <summary>The device signing key: <c>ecdsa-p256</c> (default), <c>rsa-2048</c>, or <c>sm2</c> (SM2 with SM3, GM/T).</summary>
    public string KeyAlgorithm { get; set; } = "ecdsa-p256";

    /// <summary>An RFC 3161 timestamp authority (http or https URL): each signature gets a timestamp (PAdES B-T). Empty: none.</summary>
    public string TimestampUrl { get; set; } = "";

    public static readonly string[] KeyAlgorithms = ["ecdsa-p256", "rsa-2048", "sm2"];

    public string? Validate()
    {
        if (DocumentFolder.Length > 0 && !Path.IsPathFullyQualified(DocumentFolder))
            return $"{Section}:documentFolder: expected an absolute path, found \"{DocumentFolder}\"";
        if (!KeyAlgorithms.Contains(KeyAlgorithm))
            return $"{Section}:keyAlgorithm: expected {string.Join(", ", KeyAlgorithms)}, found \"{KeyAlgorithm}\"";
        if (TimestampUrl.Length > 0 && !(Uri.TryCreate(TimestampUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            return $"{Section}:timestampUrl: expected an http(s) URL, found \"{TimestampUrl}\"";
        return null;
    }
}
