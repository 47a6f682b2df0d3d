using System.Text;
using Appliance.Documents.Pdf.Signing;
using Appliance.Documents.Signing.Data;
using Appliance.TestSupport;
using Org.BouncyCastle.Asn1;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;

namespace Appliance.Documents.Tests.Signing.Data;

/// <summary>Data signatures the terminal makes (seed 004 DATA / HASH), judged by OpenSSL with the certificate the terminal hands out.</summary>
public sealed class DataSignerTests
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("合同编号 2026-0042: 张三 agrees to the terms.");

    public static TheoryData<DataSignatureAlgorithm, DocumentSigningAlgorithm> Signed() => new()
    {
        { DataSignatureAlgorithm.Sm3WithSm2, DocumentSigningAlgorithm.Sm2 },
        { DataSignatureAlgorithm.Sha256WithRsa, DocumentSigningAlgorithm.Rsa2048 },
        { DataSignatureAlgorithm.Sha256WithEcdsa, DocumentSigningAlgorithm.EcdsaP256 },
    };

    [Theory]
    [MemberData(nameof(Signed))]
    public async Task Openssl_verifies_a_signature_over_the_data_with_the_terminals_certificate(DataSignatureAlgorithm algorithm, DocumentSigningAlgorithm key)
    {
        using var dir = new TempDir();

        var signature = DataSigner.Sign(Key(key), Message, DataContent.Message, algorithm);

        Assert.Equal(Key(key).Chain[0].GetEncoded(), signature.Certificate);
        var (verified, output) = await OpensslTool.VerifyAsync(dir, algorithm, signature.Certificate, Message, signature.Value);
        Assert.True(verified, output);
        var (tamperedVerified, _) = await OpensslTool.VerifyAsync(dir, algorithm, signature.Certificate, [.. Message, (byte)'!'], signature.Value);
        Assert.False(tamperedVerified);
    }

    [Theory]
    [MemberData(nameof(Signed))]
    public async Task A_signature_over_a_digest_verifies_with_openssl_over_the_data_it_digests(DataSignatureAlgorithm algorithm, DocumentSigningAlgorithm key)
    {
        using var dir = new TempDir();
        var certificate = Key(key).Chain[0].GetEncoded();
        // The caller's side of a HASH job: SHA-256 of the data, or for SM2 e = SM3(Z ‖ M) with the terminal's key in Z.
        var digest = await OpensslTool.DigestAsync(dir, algorithm, certificate, Message);

        var signature = DataSigner.Sign(Key(key), digest, DataContent.Digest, algorithm);

        var (verified, output) = await OpensslTool.VerifyAsync(dir, algorithm, certificate, Message, signature.Value);
        Assert.True(verified, output);
    }

    [Fact]
    public void The_sm2_value_is_a_der_sequence_of_r_and_s_and_differs_each_time()
    {
        var first = DataSigner.Sign(Key(DocumentSigningAlgorithm.Sm2), Message, DataContent.Message, DataSignatureAlgorithm.Sm3WithSm2);
        var second = DataSigner.Sign(Key(DocumentSigningAlgorithm.Sm2), Message, DataContent.Message, DataSignatureAlgorithm.Sm3WithSm2);

        var sequence = Assert.IsAssignableFrom<Asn1Sequence>(Asn1Object.FromByteArray(first.Value));
        Assert.Equal(2, sequence.Count);
        Assert.All(sequence, e => Assert.IsType<DerInteger>(e));
        Assert.NotEqual(first.Value, second.Value);
    }

    [Theory]
    [InlineData(DataSignatureAlgorithm.Sm3WithSm2, 31)]
    [InlineData(DataSignatureAlgorithm.Sm3WithSm2, 33)]
    [InlineData(DataSignatureAlgorithm.Sha256WithRsa, 20)]
    [InlineData(DataSignatureAlgorithm.Sha256WithEcdsa, 0)]
    public void A_digest_of_the_wrong_size_is_refused(DataSignatureAlgorithm algorithm, int length)
    {
        var failure = Assert.Throws<DataSignatureException>(() => DataSigner.Sign(Key(algorithm.SigningKey()), new byte[length], DataContent.Digest, algorithm));

        Assert.Equal(DataSignatureFailure.DigestLength, failure.Failure);
    }

    [Theory]
    [InlineData("SM3withSM2", DataSignatureAlgorithm.Sm3WithSm2)]
    [InlineData("sm3WithSm2", DataSignatureAlgorithm.Sm3WithSm2)]
    [InlineData("SHA1withRSA", DataSignatureAlgorithm.Sha1WithRsa)]
    [InlineData("sha256withrsa", DataSignatureAlgorithm.Sha256WithRsa)]
    [InlineData("SHA256WITHECDSA", DataSignatureAlgorithm.Sha256WithEcdsa)]
    public void Algorithm_names_are_read_whatever_their_case(string name, DataSignatureAlgorithm expected) =>
        Assert.Equal(expected, DataSignatureAlgorithms.Parse(name));

    [Theory]
    [InlineData("")]
    [InlineData("SM2")]
    [InlineData("SHA256withDSA")]
    public void An_unknown_algorithm_name_is_refused(string name) =>
        Assert.Equal(DataSignatureFailure.UnknownAlgorithm, Assert.Throws<DataSignatureException>(() => DataSignatureAlgorithms.Parse(name)).Failure);

    [Fact]
    public void Sha1_is_checked_but_never_signed_with() =>
        Assert.Equal(DataSignatureFailure.UnknownAlgorithm, Assert.Throws<DataSignatureException>(() => DataSignatureAlgorithm.Sha1WithRsa.SigningKey()).Failure);
}
