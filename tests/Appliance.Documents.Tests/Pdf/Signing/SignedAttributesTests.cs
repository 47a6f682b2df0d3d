using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>The PAdES baseline attribute set, read by openssl cms: what pdfsig does not check.</summary>
public sealed class SignedAttributesTests
{
    [Theory]
    [InlineData(DocumentSigningAlgorithm.EcdsaP256)]
    [InlineData(DocumentSigningAlgorithm.Rsa2048)]
    [InlineData(DocumentSigningAlgorithm.Sm2)]
    public async Task Signed_attributes_are_content_type_message_digest_and_signing_certificate_v2_without_signing_time(DocumentSigningAlgorithm algorithm)
    {
        using var dir = new TempDir();
        var key = Key(algorithm);
        var signed = await new PdfSigner(key).SignAsync(SamplePdf.Create(), Request(DarkBox()), TestContext.Current.CancellationToken);
        var cms = await WriteAsync(dir, "cms.der", LastSignature(signed).Cms);

        var (exitCode, print) = await RunAsync("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", cms);

        Assert.True(exitCode == 0, print);
        var signedAttributes = print[print.IndexOf("signedAttrs:", StringComparison.Ordinal)..print.IndexOf("unsignedAttrs:", StringComparison.Ordinal)];
        Assert.Contains("contentType (1.2.840.113549.1.9.3)", signedAttributes, StringComparison.Ordinal);
        Assert.Contains("messageDigest (1.2.840.113549.1.9.4)", signedAttributes, StringComparison.Ordinal);
        Assert.Contains("signingCertificateV2 (1.2.840.113549.1.9.16.2.47)", signedAttributes, StringComparison.Ordinal);
        Assert.DoesNotContain("signingTime", signedAttributes, StringComparison.Ordinal);
        var certificate = await WriteAsync(dir, "signer.der", key.Chain[0].GetEncoded());
        var certificateHash = Convert.ToHexString(await RunForBytesAsync("openssl", "dgst", "-sha256", "-binary", certificate));
        Assert.Contains($"[HEX DUMP]:{certificateHash}", signedAttributes, StringComparison.Ordinal);
        Assert.Contains("<ABSENT>", print[print.IndexOf("unsignedAttrs:", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }
}
