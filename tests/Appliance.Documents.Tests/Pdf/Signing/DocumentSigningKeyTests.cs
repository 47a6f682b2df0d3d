using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;

namespace Appliance.Documents.Tests.Pdf.Signing;

public sealed class DocumentSigningKeyTests
{
    [Theory]
    [InlineData(DocumentSigningAlgorithm.EcdsaP256)]
    [InlineData(DocumentSigningAlgorithm.Sm2)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Loading_twice_gives_the_same_chain_and_the_key_file_is_private(DocumentSigningAlgorithm algorithm)
    {
        using var dir = new TempDir();

        var created = DocumentSigningKey.LoadOrCreate(dir.Path, algorithm, "Terminal A, counter 3", TimeProvider.System);
        var loaded = DocumentSigningKey.LoadOrCreate(dir.Path, algorithm, "Terminal A, counter 3", TimeProvider.System);

        Assert.Equal(algorithm, loaded.Algorithm);
        Assert.Equal(2, loaded.Chain.Count);
        Assert.Equal(created.Chain[0].GetEncoded(), loaded.Chain[0].GetEncoded());
        Assert.Equal(created.Chain[1].GetEncoded(), loaded.Chain[1].GetEncoded());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine(DocumentSigningKey.KeyFileName(algorithm))));
        Assert.Equal("CN=Terminal A\\, counter 3,O=Appliance", loaded.Chain[0].SubjectDN.ToString());
        Assert.Equal(loaded.Chain[1].SubjectDN, loaded.Chain[0].IssuerDN);
        loaded.Chain[0].Verify(loaded.Chain[1].GetPublicKey());
    }

    [Fact]
    public async Task The_reloaded_key_signs_what_the_stored_certificate_verifies()
    {
        using var dir = new TempDir();
        DocumentSigningKey.LoadOrCreate(dir.Path, DocumentSigningAlgorithm.EcdsaP256, "Terminal B", TimeProvider.System);
        var reloaded = DocumentSigningKey.LoadOrCreate(dir.Path, DocumentSigningAlgorithm.EcdsaP256, "Terminal B", TimeProvider.System);

        var signed = await new PdfSigner(reloaded).SignAsync(SamplePdf.Create(), SigningTestKit.Request(SigningTestKit.DarkBox()), TestContext.Current.CancellationToken);

        var (output, verdicts) = await PdfTools.PdfsigAsync(await SigningTestKit.WriteAsync(dir, "signed.pdf", signed));
        Assert.True(verdicts is ["Signature is Valid."], output);
    }
}
