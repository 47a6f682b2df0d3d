using System.Security.Cryptography;
using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.X509;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>
/// SM2 with SM3 checked by OpenSSL: the signature over the signed attributes with the standard user ID, and the
/// message digest against SM3 of the byte ranges. pdfsig (NSS) knows neither algorithm.
/// </summary>
public sealed class Sm2SignatureTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Openssl_verifies_the_sm2_signature_with_the_standard_user_id_and_the_sm3_digest_of_the_ranges(bool objectStreams)
    {
        using var dir = new TempDir();
        var original = await SampleAsync(dir, objectStreams);
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.Sm2)).SignAsync(original, Request(DarkBox()), TestContext.Current.CancellationToken);
        await AssertQpdfCleanAsync(await WriteAsync(dir, "signed.pdf", signed));

        var (range, cms) = LastSignature(signed);
        var signedData = new CmsSignedData(cms);
        var signer = signedData.GetSignerInfos().GetSigners().Single();
        Assert.Equal("1.2.156.10197.1.401", signer.DigestAlgorithmID.Algorithm.Id);
        Assert.Equal("1.2.156.10197.1.501", signer.SignatureAlgorithm.Algorithm.Id);
        var certificate = signedData.GetCertificates().EnumerateMatches(null).Single(c => c.SerialNumber.Equals(signer.SignerID.SerialNumber));

        var publicKey = await WriteAsync(dir, "pub.pem", System.Text.Encoding.ASCII.GetBytes(
            new string(PemEncoding.Write("PUBLIC KEY", certificate.CertificateStructure.SubjectPublicKeyInfo.GetEncoded()))));
        var attributes = await WriteAsync(dir, "attrs.der", signer.GetEncodedSignedAttributes());
        var signature = await WriteAsync(dir, "sig.der", signer.GetSignature());
        var verify = await RunAsync("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicKey, "-rawin", "-digest", "sm3",
            "-pkeyopt", "distid:1234567812345678", "-in", attributes, "-sigfile", signature);
        Assert.True(verify.ExitCode == 0 && verify.Output.Contains("Signature Verified Successfully", StringComparison.Ordinal), verify.Output);

        // A different user ID must fail, or the check above proved nothing about the ID.
        var wrongId = await RunAsync("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicKey, "-rawin", "-digest", "sm3",
            "-pkeyopt", "distid:0000000000000000", "-in", attributes, "-sigfile", signature);
        Assert.NotEqual(0, wrongId.ExitCode);

        var ranges = await WriteAsync(dir, "ranges.bin", SignedBytes(signed, range));
        var sm3 = await RunForBytesAsync("openssl", "dgst", "-sm3", "-binary", ranges);
        var messageDigest = (Asn1OctetString)signer.SignedAttributes[Org.BouncyCastle.Asn1.Cms.CmsAttributes.MessageDigest].AttrValues[0];
        Assert.Equal(sm3, messageDigest.GetOctets());
    }

    [Fact]
    public async Task The_chain_is_the_signing_certificate_and_the_device_ca_both_sm2_signed()
    {
        using var dir = new TempDir();
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.Sm2)).SignAsync(await SampleAsync(dir, false), Request(DarkBox()), TestContext.Current.CancellationToken);
        var certificates = new CmsSignedData(LastSignature(signed).Cms).GetCertificates().EnumerateMatches(null).ToList();

        Assert.Equal(2, certificates.Count);
        foreach (var certificate in certificates)
        {
            var path = await WriteAsync(dir, "cert.der", certificate.GetEncoded());
            var text = await RunAsync("openssl", "x509", "-inform", "DER", "-in", path, "-noout", "-text");
            Assert.True(text.ExitCode == 0, text.Output);
            Assert.Contains("SM2-with-SM3", text.Output, StringComparison.OrdinalIgnoreCase);
        }
        var chain = Key(DocumentSigningAlgorithm.Sm2).Chain;
        // OpenSSL 3 assumes no SM2 ID for certificate signatures unless told; GM/T 0009's default is the one used.
        var verifyChain = await RunAsync("openssl", "verify", "-vfyopt", "distid:1234567812345678", "-CAfile", await WritePemAsync(dir, "ca.pem", chain[1]), await WritePemAsync(dir, "leaf.pem", chain[0]));
        Assert.True(verifyChain.ExitCode == 0, verifyChain.Output);
    }

    private static Task<string> WritePemAsync(TempDir dir, string name, X509Certificate certificate) =>
        WriteAsync(dir, name, System.Text.Encoding.ASCII.GetBytes(new string(PemEncoding.Write("CERTIFICATE", certificate.GetEncoded()))));
}
