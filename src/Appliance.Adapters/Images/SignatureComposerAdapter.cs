using Appliance.Core.Capture;
using Appliance.Core.Images;
using Appliance.Imaging.Composite;

namespace Appliance.Adapters.Images;

/// <summary>Binds <see cref="ISignatureComposer"/> to <see cref="SignFingerComposite"/>; the drawing runs off the caller's thread.</summary>
public sealed class SignatureComposerAdapter : ISignatureComposer
{
    public Task<byte[]> ComposeAsync(byte[] signaturePng, byte[] fingerprintPng, CancellationToken cancel) => Task.Run(() =>
    {
        try
        {
            return SignFingerComposite.Merge(signaturePng, fingerprintPng);
        }
        catch (ArgumentException e)
        {
            throw new CaptureException(CaptureFailure.DeviceFailed, "合成失败 / the signature and fingerprint pictures could not be merged", e);
        }
    }, cancel);
}
