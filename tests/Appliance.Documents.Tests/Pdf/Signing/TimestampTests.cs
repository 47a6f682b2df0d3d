using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>PAdES B-T: a signature time-stamp from an RFC 3161 authority over HTTP, checked by openssl ts.</summary>
public sealed class TimestampTests
{
    [Theory]
    [InlineData(DocumentSigningAlgorithm.EcdsaP256)]
    [InlineData(DocumentSigningAlgorithm.Sm2)]
    public async Task The_signature_carries_a_token_whose_imprint_is_the_sha256_of_the_signature_value(DocumentSigningAlgorithm algorithm)
    {
        using var dir = new TempDir();
        using var tsa = new LoopbackTimestampAuthority();
        using var http = new HttpClient();
        var signer = new PdfSigner(Key(algorithm), new HttpTimestampAuthority(http, tsa.Url));

        var signed = await signer.SignAsync(await SampleAsync(dir, objectStreams: true), Request(DarkBox()), TestContext.Current.CancellationToken);

        var path = await WriteAsync(dir, "signed.pdf", signed);
        await AssertQpdfCleanAsync(path);
        if (algorithm == DocumentSigningAlgorithm.EcdsaP256)
        {
            var (output, verdicts) = await PdfsigAsync(path);
            Assert.True(verdicts is ["Signature is Valid."], output);
        }
        var signerInfo = new CmsSignedData(LastSignature(signed).Cms).GetSignerInfos().GetSigners().Single();
        var stamp = signerInfo.UnsignedAttributes[PkcsObjectIdentifiers.IdAASignatureTimeStampToken];
        Assert.NotNull(stamp);
        var token = await WriteAsync(dir, "token.der", stamp.AttrValues[0].GetEncoded(Asn1Encodable.Der));
        var signatureValue = await WriteAsync(dir, "signature.bin", signerInfo.GetSignature());
        var imprint = Convert.ToHexStringLower(await RunForBytesAsync("openssl", "dgst", "-sha256", "-binary", signatureValue));
        var tsaCertificate = await WriteAsync(dir, "tsa.pem", System.Text.Encoding.ASCII.GetBytes(
            new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", tsa.Certificate.GetEncoded()))));

        // openssl checks the token's signature under the TSA certificate and that its imprint is this digest.
        var verify = await RunAsync("openssl", "ts", "-verify", "-digest", imprint, "-token_in", "-in", token, "-CAfile", tsaCertificate);
        Assert.True(verify.ExitCode == 0 && verify.Output.Contains("Verification: OK", StringComparison.Ordinal), verify.Output);
        var text = await RunAsync("openssl", "ts", "-reply", "-token_in", "-in", token, "-text");
        Assert.Contains("Hash Algorithm: sha256", text.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LoopbackTimestampAuthority.Behaviour.Reject)]
    [InlineData(LoopbackTimestampAuthority.Behaviour.HttpError)]
    public async Task A_refusing_or_failing_authority_is_a_timestamp_failure(LoopbackTimestampAuthority.Behaviour behaviour)
    {
        using var dir = new TempDir();
        using var tsa = new LoopbackTimestampAuthority(behaviour);
        using var http = new HttpClient();
        var signer = new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256), new HttpTimestampAuthority(http, tsa.Url));

        var failure = await Assert.ThrowsAsync<PdfSigningException>(() =>
            signer.SignAsync(SamplePdf.Create(), Request(DarkBox()), TestContext.Current.CancellationToken));

        Assert.Equal(PdfSigningFailure.Timestamp, failure.Failure);
        Assert.Equal(1, tsa.Requests);
    }

    [Fact]
    public async Task An_authority_whose_token_stamps_something_else_is_a_timestamp_failure()
    {
        using var tsa = new LoopbackTimestampAuthority();
        using var http = new HttpClient();
        var honest = new HttpTimestampAuthority(http, tsa.Url);
        var signer = new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256), new ForeignImprint(honest));

        var failure = await Assert.ThrowsAsync<PdfSigningException>(() =>
            signer.SignAsync(SamplePdf.Create(), Request(DarkBox()), TestContext.Current.CancellationToken));

        Assert.Equal(PdfSigningFailure.Timestamp, failure.Failure);
    }

    /// <summary>Asks a real authority to stamp a different hash than the one it was given.</summary>
    private sealed class ForeignImprint(ITimestampAuthority inner) : ITimestampAuthority
    {
        public Task<byte[]> GetTimestampTokenAsync(byte[] sha256OfSignatureValue, CancellationToken ct) =>
            inner.GetTimestampTokenAsync(new byte[32], ct);
    }
}
