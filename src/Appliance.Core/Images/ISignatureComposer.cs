namespace Appliance.Core.Images;

/// <summary>
/// Merges a signature and a fingerprint into one picture, the way a signed-and-fingerprinted paper looks: the finger
/// pressed in red ink over the end of the signature, the paper left transparent (UOS <c>mixsignfinger</c>).
/// </summary>
public interface ISignatureComposer
{
    /// <summary>The merged PNG. An input that is not a decodable image fails as <see cref="Capture.CaptureFailure.DeviceFailed"/>.</summary>
    Task<byte[]> ComposeAsync(byte[] signaturePng, byte[] fingerprintPng, CancellationToken cancel);
}
