using Appliance.Documents.Pdf.Verification;
using Appliance.Documents.Signing.Data;
using Appliance.Documents.Tests.Signing.Data;
using Appliance.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Verification;

/// <summary>Detached CMS signatures made by <c>openssl cms -sign</c> (another implementation than ours) checked over their content.</summary>
public sealed class CmsSignerCheckTests
{
    private static readonly byte[] Content = "%PDF-1.7 the bytes a signature covers"u8.ToArray();

    [Theory]
    [InlineData(DataSignatureAlgorithm.Sha256WithRsa, false, "SHA256WithRSA")]
    [InlineData(DataSignatureAlgorithm.Sha256WithRsa, true, "SHA256WithRSA")]
    [InlineData(DataSignatureAlgorithm.Sha256WithEcdsa, false, "SHA256WithECDSA")]
    [InlineData(DataSignatureAlgorithm.Sha256WithEcdsa, true, "SHA256WithECDSA")]
    public async Task An_openssl_cms_verifies_over_its_content_and_not_over_other_bytes(DataSignatureAlgorithm algorithm, bool withoutAttributes, string name)
    {
        using var dir = new TempDir();
        var (key, certificate) = await OpensslTool.NewKeyAsync(dir, algorithm);
        var certificatePath = dir.Combine("signer.der");
        await File.WriteAllBytesAsync(certificatePath, certificate, TestContext.Current.CancellationToken);
        var pem = dir.Combine("signer.pem");
        Assert.Equal(0, (await RunAsync("openssl", "x509", "-inform", "DER", "-in", certificatePath, "-out", pem)).ExitCode);
        var contentPath = dir.Combine("content.bin");
        await File.WriteAllBytesAsync(contentPath, Content, TestContext.Current.CancellationToken);
        string[] attributes = withoutAttributes ? ["-noattr"] : [];
        var cms = await RunForBytesAsync("openssl", ["cms", "-sign", "-binary", "-md", "sha256", "-in", contentPath, "-signer", pem, "-inkey", key, "-outform", "DER", .. attributes]);
        var signedData = SignedData.GetInstance(ContentInfo.GetInstance(Asn1Object.FromByteArray(cms)).Content);

        var good = CmsSignerCheck.Verify(signedData, d => d.BlockUpdate(Content, 0, Content.Length));
        var bad = CmsSignerCheck.Verify(signedData, d => d.BlockUpdate([.. Content, 0], 0, Content.Length + 1));

        Assert.Empty(good.Errors);
        Assert.Equal(name, good.Algorithm);
        Assert.Equal(certificate, good.SignerCertificate!.GetEncoded());
        Assert.NotEmpty(bad.Errors);
        Assert.Contains(bad.Errors, e => e.Contains(withoutAttributes ? "bad signature" : "digest mismatch", StringComparison.Ordinal));
    }
}
