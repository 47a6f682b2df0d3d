using System.Text;
using Appliance.Documents.Pdf.Signing;
using Appliance.TestSupport;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Signing;

/// <summary>What the update keeps and adds besides the signature, and how unusable input is refused.</summary>
public sealed class DocumentTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_evidence_file_is_embedded_and_qpdf_gives_its_bytes_back(bool objectStreams)
    {
        using var dir = new TempDir();
        var evidence = Encoding.UTF8.GetBytes("{\"points\":[[1,2,0.5],[3,4,0.6]],\"device\":\"签批终端\"}");
        var request = Request(DarkBox()) with { Evidence = evidence };

        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(await SampleAsync(dir, objectStreams), request, TestContext.Current.CancellationToken);

        var path = await WriteAsync(dir, "signed.pdf", signed);
        await AssertQpdfCleanAsync(path);
        var list = await RunAsync("qpdf", "--list-attachments", path);
        Assert.Contains("signature-evidence.json", list.Output, StringComparison.Ordinal);
        Assert.Equal(evidence, await RunForBytesAsync("qpdf", "--show-attachment=signature-evidence.json", path));
        var (output, verdicts) = await PdfsigAsync(path);
        Assert.True(verdicts is ["Signature is Valid."], output);
    }

    [Fact]
    public async Task A_second_signature_keeps_the_first_evidence_file_beside_its_own()
    {
        using var dir = new TempDir();
        var ct = TestContext.Current.CancellationToken;
        var signer = new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256));
        var once = await signer.SignAsync(SamplePdf.Create(), Request(DarkBox()) with { Evidence = [1, 2, 3] }, ct);
        var twice = await signer.SignAsync(once, Request(DarkBox(0)) with { Evidence = [4, 5], EvidenceFileName = "second.bin" }, ct);
        var thrice = await signer.SignAsync(twice, Request(DarkBox(0)) with { Evidence = [6] }, ct);

        var path = await WriteAsync(dir, "thrice.pdf", thrice);
        await AssertQpdfCleanAsync(path);
        Assert.Equal([1, 2, 3], await RunForBytesAsync("qpdf", "--show-attachment=signature-evidence.json", path));
        Assert.Equal([4, 5], await RunForBytesAsync("qpdf", "--show-attachment=second.bin", path));
        Assert.Equal([6], await RunForBytesAsync("qpdf", "--show-attachment=signature-evidence (2).json", path));
        var (output, verdicts) = await PdfsigAsync(path);
        Assert.True(verdicts is ["Signature is Valid.", "Signature is Valid.", "Signature is Valid."], output);
    }

    [Fact]
    public async Task Existing_annotations_fields_and_document_information_are_kept()
    {
        using var dir = new TempDir();
        var ct = TestContext.Current.CancellationToken;
        var once = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(SamplePdf.Create(title: "Keep me"), Request(DarkBox(0)), ct);
        var twice = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(once, Request(DarkBox(0)), ct);

        var path = await WriteAsync(dir, "twice.pdf", twice);
        var json = (await RunAsync("qpdf", "--json", "--json-key=pages", "--json-key=acroform", path)).Output;
        // Both widgets on page 1, both fields in the form.
        Assert.Contains("\"Signature1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Signature2\"", json, StringComparison.Ordinal);
        var info = await RunAsync("pdfinfo", path);
        Assert.Contains("Keep me", info.Output, StringComparison.Ordinal);
        var fields = await PdfsigAsync(path);
        Assert.Equal(2, fields.Verdicts.Count);
    }

    [Fact]
    public async Task An_encrypted_document_is_refused_as_encrypted()
    {
        using var dir = new TempDir();
        var plain = await WriteAsync(dir, "plain.pdf", SamplePdf.Create());
        var encrypted = dir.Combine("encrypted.pdf");
        var (exitCode, output) = await RunAsync("qpdf", "--encrypt", "u", "o", "256", "--", plain, encrypted);
        Assert.True(exitCode == 0, output);

        var failure = await Assert.ThrowsAsync<PdfSigningException>(() =>
            new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(File.ReadAllBytes(encrypted), Request(DarkBox()), TestContext.Current.CancellationToken));

        Assert.Equal(PdfSigningFailure.Encrypted, failure.Failure);
    }

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "not a PDF", Encoding.ASCII.GetBytes("hello, this is not a PDF at all") },
        { "empty", [] },
        { "no startxref", Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n") },
        { "startxref into nowhere", Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << >> endobj\nstartxref\n999999\n%%EOF\n") },
        { "truncated", SamplePdf.Create()[..^200] },
        { "xref points at junk", Encoding.ASCII.GetBytes("%PDF-1.7\njunk junk junk\nstartxref\n9\n%%EOF\n") },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Unreadable_input_is_refused_as_malformed_with_a_message(string what, byte[] bytes)
    {
        var failure = await Assert.ThrowsAsync<PdfSigningException>(() =>
            new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(bytes, Request(DarkBox()), TestContext.Current.CancellationToken));

        Assert.True(failure.Failure == PdfSigningFailure.Malformed, what);
        Assert.False(string.IsNullOrWhiteSpace(failure.Message));
    }

    [Fact]
    public async Task A_catalog_offset_that_points_elsewhere_is_malformed_and_says_which_object()
    {
        var text = Encoding.Latin1.GetString(SamplePdf.Create());
        // Object 1's cross-reference entry moved by one byte.
        var start = text.IndexOf("0000000015 00000 n", StringComparison.Ordinal);
        Assert.True(start > 0);
        var broken = Encoding.Latin1.GetBytes(text.Remove(start, 18).Insert(start, "0000000016 00000 n"));

        var failure = await Assert.ThrowsAsync<PdfSigningException>(() =>
            new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(broken, Request(DarkBox()), TestContext.Current.CancellationToken));

        Assert.Equal(PdfSigningFailure.Malformed, failure.Failure);
        Assert.Contains("object 1 0", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(1000)]
    public async Task A_page_the_document_does_not_have_is_refused_as_out_of_range(int pageIndex)
    {
        var failure = await Assert.ThrowsAsync<PdfSigningException>(() =>
            new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(SamplePdf.Create(pages: 3), Request(DarkBox(pageIndex)), TestContext.Current.CancellationToken));

        Assert.Equal(PdfSigningFailure.PageOutOfRange, failure.Failure);
    }

    [Fact]
    public async Task Without_images_the_signature_is_invisible_and_valid()
    {
        using var dir = new TempDir();
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.Rsa2048)).SignAsync(SamplePdf.Create(), Request(), TestContext.Current.CancellationToken);

        var path = await WriteAsync(dir, "signed.pdf", signed);
        await AssertQpdfCleanAsync(path);
        var (output, verdicts) = await PdfsigAsync(path);
        Assert.True(verdicts is ["Signature is Valid."], output);
    }
}
