using Appliance.Adapters.Orders;
using Appliance.Core.Orders;
using Appliance.Documents.Pdf.Signing;
using Appliance.Documents.Signing.Data;
using Appliance.Documents.Tests.Signing.Data;
using Appliance.TestSupport;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;

namespace Appliance.Documents.Tests.Adapters.Orders;

/// <summary>The admin API's verification calls as Core sees them: PDF signature checks, data signatures, and refusals as <see cref="OrderException"/>.</summary>
public sealed class SignatureVerifierAdapterTests
{
    private static readonly byte[] Data = "seed 004 verifySignData"u8.ToArray();

    [Fact]
    public async Task A_signed_pdf_lists_its_checks_with_the_signers_details()
    {
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.Sm2)).SignAsync(SamplePdf.Create(pages: 2), Request(DarkBox(1)), TestContext.Current.CancellationToken);

        var check = Assert.Single(new SignatureVerifierAdapter().VerifyPdf(signed));

        Assert.True(check.Valid, string.Join("; ", check.Errors));
        Assert.Equal("Signature1", check.FieldName);
        Assert.Equal("SM3WithSM2", check.SignatureAlgorithm);
        Assert.Equal("Test terminal 0001", check.CommonName);
        Assert.Equal(["CN=Test terminal 0001,O=Appliance", "CN=Test terminal 0001 Device CA,O=Appliance"], check.CertificateDns);
        Assert.Equal(2, check.Page);
        Assert.True(check.CoversWholeDocument);
        Assert.Equal(SigningTime, check.SignedAt);
        Assert.NotEmpty(check.SignatureValue);
    }

    [Fact]
    public void Bytes_that_are_not_a_pdf_are_a_bad_document()
    {
        var failure = Assert.Throws<OrderException>(() => new SignatureVerifierAdapter().VerifyPdf("garbage, not a PDF"u8.ToArray()));

        Assert.Equal(OrderFailure.BadDocument, failure.Failure);
    }

    [Theory]
    [InlineData("SM3withSM2")]
    [InlineData("sha256withrsa")]
    [InlineData("SHA256withECDSA")]
    public async Task Data_signed_by_openssl_verifies_and_tampered_data_does_not(string algorithm)
    {
        using var dir = new TempDir();
        var parsed = DataSignatureAlgorithms.Parse(algorithm);
        var (key, certificate) = await OpensslTool.NewKeyAsync(dir, parsed);
        var signature = await OpensslTool.SignAsync(dir, parsed, key, Data);
        var verifier = new SignatureVerifierAdapter();

        Assert.True(verifier.VerifyData(Data, OrderContentKind.Data, algorithm, signature, certificate));
        Assert.False(verifier.VerifyData([.. Data, 0], OrderContentKind.Data, algorithm, signature, certificate));
        Assert.True(verifier.VerifyData(await OpensslTool.DigestAsync(dir, parsed, certificate, Data), OrderContentKind.Hash, algorithm, signature, certificate));
    }

    [Fact]
    public void An_unknown_algorithm_an_unreadable_certificate_or_a_pdf_kind_is_a_bad_parameter()
    {
        var verifier = new SignatureVerifierAdapter();
        var certificate = Key(DocumentSigningAlgorithm.Rsa2048).Chain[0].GetEncoded();

        Assert.Equal(OrderFailure.BadParameter, Assert.Throws<OrderException>(() => verifier.VerifyData(Data, OrderContentKind.Data, "MD5withRSA", [1], certificate)).Failure);
        Assert.Equal(OrderFailure.BadParameter, Assert.Throws<OrderException>(() => verifier.VerifyData(Data, OrderContentKind.Data, "SHA256withRSA", [1], [1, 2, 3])).Failure);
        Assert.Equal(OrderFailure.BadParameter, Assert.Throws<OrderException>(() => verifier.VerifyData(Data, OrderContentKind.Pdf, "SHA256withRSA", [1], certificate)).Failure);
        Assert.Equal(OrderFailure.BadParameter, Assert.Throws<OrderException>(() => verifier.VerifyData(new byte[31], OrderContentKind.Hash, "SHA256withRSA", [1], certificate)).Failure);
    }
}
