using System.Security.Cryptography;
using Appliance.Adapters.Orders;
using Appliance.Core.Orders;
using Appliance.Documents.Pdf.Signing;
using Appliance.Documents.Signing.Data;
using Appliance.Documents.Tests.Signing.Data;
using Appliance.TestSupport;
using Org.BouncyCastle.X509;

namespace Appliance.Documents.Tests.Adapters.Orders;

/// <summary>
/// Seed 004 DATA / HASH jobs signed with the device keys in a signing folder (made at first use), each algorithm with
/// its own key whatever key PDFs are signed with, checked by OpenSSL.
/// </summary>
public sealed class DataSignerAdapterTests
{
    private static readonly byte[] Data = "订单 2026-0042 同意条款"u8.ToArray();

    [Theory]
    [InlineData("SM3withSM2", DocumentSigningAlgorithm.Sm2)]
    [InlineData("SHA256withECDSA", DocumentSigningAlgorithm.EcdsaP256)]
    public async Task Each_algorithm_signs_with_its_own_key_from_the_signing_folder(string algorithm, DocumentSigningAlgorithm key)
    {
        using var dir = new TempDir();
        var folder = dir.Combine("signing");
        // The PDF signer's key already there: the data signer must not take it for another algorithm.
        DocumentSigningKey.LoadOrCreate(folder, DocumentSigningAlgorithm.EcdsaP256, "Counter 7", TimeProvider.System);
        var signer = new DataSignerAdapter(folder, "Counter 7", TimeProvider.System);

        var signature = await signer.SignAsync(Data, OrderContentKind.Data, algorithm, TestContext.Current.CancellationToken);

        Assert.True(File.Exists(Path.Combine(folder, DocumentSigningKey.KeyFileName(key))));
        var certificate = new X509Certificate(signature.Certificate);
        Assert.Equal("CN=Counter 7,O=Appliance", certificate.SubjectDN.ToString());
        Assert.Equal(DocumentSigningKey.LoadOrCreate(folder, key, "Counter 7", TimeProvider.System).Chain[0], certificate);
        var (verified, output) = await OpensslTool.VerifyAsync(dir, DataSignatureAlgorithms.Parse(algorithm), signature.Certificate, Data, signature.Value);
        Assert.True(verified, output);
    }

    [Fact]
    public async Task A_hash_job_signs_the_digest_it_is_given()
    {
        using var dir = new TempDir();
        var signer = new DataSignerAdapter(dir.Combine("signing"), "Counter 7", TimeProvider.System);

        var signature = await signer.SignAsync(SHA256.HashData(Data), OrderContentKind.Hash, "SHA256withECDSA", TestContext.Current.CancellationToken);

        var (verified, output) = await OpensslTool.VerifyAsync(dir, DataSignatureAlgorithm.Sha256WithEcdsa, signature.Certificate, Data, signature.Value);
        Assert.True(verified, output);
        Assert.True(new SignatureVerifierAdapter().VerifyData(Data, OrderContentKind.Data, "sha256withecdsa", signature.Value, signature.Certificate));
    }

    [Theory]
    [InlineData("SHA1withRSA", OrderContentKind.Data, 10)]
    [InlineData("SM2", OrderContentKind.Data, 10)]
    [InlineData("SM3withSM2", OrderContentKind.Hash, 31)]
    [InlineData("SM3withSM2", OrderContentKind.Pdf, 10)]
    public async Task What_the_terminal_does_not_sign_is_a_bad_parameter_before_any_key_is_made(string algorithm, OrderContentKind kind, int length)
    {
        using var dir = new TempDir();
        var folder = dir.Combine("signing");
        var signer = new DataSignerAdapter(folder, "Counter 7", TimeProvider.System);

        var failure = await Assert.ThrowsAsync<OrderException>(() => signer.SignAsync(new byte[length], kind, algorithm, TestContext.Current.CancellationToken));

        Assert.Equal(OrderFailure.BadParameter, failure.Failure);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task A_key_that_cannot_be_made_is_an_internal_failure()
    {
        using var dir = new TempDir();
        var blocker = dir.Combine("not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the signing folder should be", TestContext.Current.CancellationToken);
        var signer = new DataSignerAdapter(blocker, "Counter 7", TimeProvider.System);

        var failure = await Assert.ThrowsAsync<OrderException>(() => signer.SignAsync(Data, OrderContentKind.Data, "SM3withSM2", TestContext.Current.CancellationToken));

        Assert.Equal(OrderFailure.Internal, failure.Failure);
    }
}
