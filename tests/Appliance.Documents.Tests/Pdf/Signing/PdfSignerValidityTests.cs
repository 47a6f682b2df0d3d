using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>Signed output judged by poppler's pdfsig and qpdf, for both cross-reference forms of the input.</summary>
public sealed class PdfSignerValidityTests
{
    [Theory]
    [InlineData(DocumentSigningAlgorithm.EcdsaP256, false)]
    [InlineData(DocumentSigningAlgorithm.EcdsaP256, true)]
    [InlineData(DocumentSigningAlgorithm.Rsa2048, false)]
    [InlineData(DocumentSigningAlgorithm.Rsa2048, true)]
    public async Task Pdfsig_finds_the_signature_valid_and_qpdf_finds_the_file_clean(DocumentSigningAlgorithm algorithm, bool objectStreams)
    {
        using var dir = new TempDir();
        var original = await SampleAsync(dir, objectStreams);

        var signed = await new PdfSigner(Key(algorithm)).SignAsync(original, Request(DarkBox(1)), TestContext.Current.CancellationToken);

        Assert.Equal(original, signed[..original.Length]);
        var path = await WriteAsync(dir, "signed.pdf", signed);
        var (output, verdicts) = await PdfsigAsync(path);
        Assert.True(verdicts is ["Signature is Valid."], output);
        Assert.Contains("ETSI.CAdES.detached", output, StringComparison.Ordinal);
        Assert.Contains("Total document signed", output, StringComparison.Ordinal);
        await AssertQpdfCleanAsync(path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Signing_the_signed_output_again_leaves_both_signatures_valid(bool objectStreams)
    {
        using var dir = new TempDir();
        var original = await SampleAsync(dir, objectStreams);
        var ct = TestContext.Current.CancellationToken;

        var once = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(original, Request(DarkBox(0)), ct);
        var twice = await new PdfSigner(Key(DocumentSigningAlgorithm.Rsa2048)).SignAsync(once, Request(DarkBox(2)), ct);

        Assert.Equal(once, twice[..once.Length]);
        var path = await WriteAsync(dir, "twice.pdf", twice);
        var (output, verdicts) = await PdfsigAsync(path);
        Assert.True(verdicts is ["Signature is Valid.", "Signature is Valid."], output);
        await AssertQpdfCleanAsync(path);
    }

    [Fact]
    public async Task A_flipped_byte_inside_the_signed_range_makes_pdfsig_report_the_signature_invalid()
    {
        using var dir = new TempDir();
        var original = await SampleAsync(dir, objectStreams: false);
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(original, Request(DarkBox()), TestContext.Current.CancellationToken);

        // A byte of page 1's text ("Page 1 of 3"), inside the first signed range.
        var at = signed.AsSpan().IndexOf("(Page 1 of 3)"u8) + 1;
        signed[at] ^= 0x01;

        var (output, verdicts) = await PdfsigAsync(await WriteAsync(dir, "tampered.pdf", signed));
        // poppler says "Digest Mismatch." when the ranges no longer hash to the signed digest.
        Assert.True(verdicts is ["Digest Mismatch."], output);
    }
}
