using System.Security.Cryptography;
using System.Text;
using Appliance.Documents.Pdf.Signing;
using Appliance.Documents.Signing.Data;
using Appliance.TestSupport;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;

namespace Appliance.Documents.Tests.Signing.Data;

/// <summary>Data signatures made by OpenSSL with its own keys and certificates, checked by the terminal (seed 004 verifySignData).</summary>
public sealed class DataSignatureVerifierTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("付款 1000.00 元 to account 6222 0000 1234");

    [Theory]
    [InlineData(DataSignatureAlgorithm.Sm3WithSm2)]
    [InlineData(DataSignatureAlgorithm.Sha1WithRsa)]
    [InlineData(DataSignatureAlgorithm.Sha256WithRsa)]
    [InlineData(DataSignatureAlgorithm.Sha256WithEcdsa)]
    public async Task An_openssl_signature_verifies_and_a_changed_byte_of_data_or_signature_does_not(DataSignatureAlgorithm algorithm)
    {
        using var dir = new TempDir();
        var (key, certificate) = await OpensslTool.NewKeyAsync(dir, algorithm);
        var signature = await OpensslTool.SignAsync(dir, algorithm, key, Message);

        Assert.True(DataSignatureVerifier.Verify(Message, DataContent.Message, algorithm, signature, certificate));

        var tampered = Message.ToArray();
        tampered[3] ^= 0x01;
        Assert.False(DataSignatureVerifier.Verify(tampered, DataContent.Message, algorithm, signature, certificate));
        var badSignature = signature.ToArray();
        badSignature[^1] ^= 0x01;
        Assert.False(DataSignatureVerifier.Verify(Message, DataContent.Message, algorithm, badSignature, certificate));
    }

    [Theory]
    [InlineData(DataSignatureAlgorithm.Sm3WithSm2)]
    [InlineData(DataSignatureAlgorithm.Sha256WithRsa)]
    [InlineData(DataSignatureAlgorithm.Sha256WithEcdsa)]
    public async Task An_openssl_signature_verifies_against_the_digest_of_its_data(DataSignatureAlgorithm algorithm)
    {
        using var dir = new TempDir();
        var (key, certificate) = await OpensslTool.NewKeyAsync(dir, algorithm);
        var signature = await OpensslTool.SignAsync(dir, algorithm, key, Message);
        var digest = await OpensslTool.DigestAsync(dir, algorithm, certificate, Message);

        Assert.True(DataSignatureVerifier.Verify(digest, DataContent.Digest, algorithm, signature, certificate));
        digest[0] ^= 0x80;
        Assert.False(DataSignatureVerifier.Verify(digest, DataContent.Digest, algorithm, signature, certificate));
    }

    [Fact]
    public void The_terminals_own_signature_verifies_with_its_certificate_given_as_pem_too()
    {
        var key = Key(DocumentSigningAlgorithm.Sm2);
        var signature = DataSigner.Sign(key, Message, DataContent.Message, DataSignatureAlgorithm.Sm3WithSm2);
        var pem = Encoding.ASCII.GetBytes(new string(PemEncoding.Write("CERTIFICATE", signature.Certificate)));

        Assert.True(DataSignatureVerifier.Verify(Message, DataContent.Message, DataSignatureAlgorithm.Sm3WithSm2, signature.Value, signature.Certificate));
        Assert.True(DataSignatureVerifier.Verify(Message, DataContent.Message, DataSignatureAlgorithm.Sm3WithSm2, signature.Value, pem));
    }

    [Fact]
    public void A_signature_checked_under_another_algorithm_than_its_key_is_false()
    {
        var rsa = DataSigner.Sign(Key(DocumentSigningAlgorithm.Rsa2048), Message, DataContent.Message, DataSignatureAlgorithm.Sha256WithRsa);
        var ecdsa = DataSigner.Sign(Key(DocumentSigningAlgorithm.EcdsaP256), Message, DataContent.Message, DataSignatureAlgorithm.Sha256WithEcdsa);

        Assert.False(DataSignatureVerifier.Verify(Message, DataContent.Message, DataSignatureAlgorithm.Sm3WithSm2, rsa.Value, rsa.Certificate));
        Assert.False(DataSignatureVerifier.Verify(Message, DataContent.Message, DataSignatureAlgorithm.Sha1WithRsa, rsa.Value, rsa.Certificate));
        // The P-256 key is an EC key as SM2's is; the curve tells them apart.
        Assert.False(DataSignatureVerifier.Verify(Message, DataContent.Message, DataSignatureAlgorithm.Sm3WithSm2, ecdsa.Value, ecdsa.Certificate));
        Assert.False(DataSignatureVerifier.Verify(Message, DataContent.Message, DataSignatureAlgorithm.Sha256WithEcdsa, [1, 2, 3], ecdsa.Certificate));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    [InlineData(new byte[] { (byte)'n', (byte)'o', (byte)'t' })]
    public void An_unreadable_certificate_is_refused(byte[] certificate)
    {
        var failure = Assert.Throws<DataSignatureException>(() =>
            DataSignatureVerifier.Verify(Message, DataContent.Message, DataSignatureAlgorithm.Sha256WithRsa, [1], certificate));

        Assert.Equal(DataSignatureFailure.UnreadableCertificate, failure.Failure);
    }
}
