using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Appliance.Documents.Pdf.Signing;
using Appliance.Documents.Pdf.Verification;
using Appliance.TestSupport;
using Org.BouncyCastle.Cms;
using static Appliance.Documents.Tests.Pdf.Signing.SigningTestKit;
using static Appliance.TestSupport.PdfTools;

namespace Appliance.Documents.Tests.Pdf.Verification;

/// <summary>
/// Signatures made by the terminal's PDF signer, checked by <see cref="PdfSignatureVerifier"/> and compared with what
/// poppler's pdfsig (NSS) says of the same file; tampered and malformed ones are reports, not exceptions.
/// </summary>
public sealed partial class PdfSignatureVerifierTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_document_signed_twice_has_two_valid_signatures_as_pdfsig_sees_them(bool objectStreams)
    {
        using var dir = new TempDir();
        var ct = TestContext.Current.CancellationToken;
        var once = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(await SampleAsync(dir, objectStreams), Request(DarkBox(0)), ct);
        var twice = await new PdfSigner(Key(DocumentSigningAlgorithm.Rsa2048)).SignAsync(once, Request(DarkBox(2)), ct);
        var pdfsig = await PdfsigReport.ReadAsync(await WriteAsync(dir, "twice.pdf", twice));

        var reports = PdfSignatureVerifier.Verify(twice, ct);

        Assert.Equal(2, reports.Count);
        Assert.Equal(2, pdfsig.Count);
        Assert.All(reports, r => Assert.True(r.Valid, string.Join("; ", r.Errors)));
        Assert.All(reports, r => Assert.Empty(r.Errors));
        Assert.Equal(["SHA256WithECDSA", "SHA256WithRSA"], reports.Select(r => r.SignatureAlgorithm));
        Assert.Equal([1, 3], reports.Select(r => r.Page));
        Assert.Equal([false, true], reports.Select(r => r.CoversWholeDocument));
        Assert.Equal(once.Length, reports[0].ByteRanges[1].Offset + reports[0].ByteRanges[1].Length);
        for (var i = 0; i < 2; i++)
        {
            var (ours, theirs) = (reports[i], pdfsig[i]);
            Assert.Equal("Signature is Valid.", theirs.Fields["Signature Validation"]);
            Assert.Equal(theirs.Fields["Signature Field Name"], ours.FieldName);
            Assert.Equal(theirs.Fields["Signer Certificate Common Name"], ours.CommonName);
            Assert.Equal(Rdns(theirs.Fields["Signer full Distinguished Name"]), Rdns(ours.CertificateDns[0]));
            Assert.Equal(theirs.Fields["Signature Type"], ours.SubFilter);
            Assert.Equal("SHA-256", theirs.Fields["Signing Hash Algorithm"]);
            Assert.Equal(theirs.Fields["Signed Ranges"], string.Join(", ", ours.ByteRanges.Select(r => $"[{r.Offset} - {r.Offset + r.Length}]")));
            Assert.Contains(ours.CoversWholeDocument ? "Total document signed" : "Not total document signed", theirs.Flags);
            // pdfsig prints the dictionary's /M in local time; the CMS carries no signing-time (PAdES), so ours is /M too.
            Assert.Equal(SigningTime, ours.SignedAt);
            Assert.Equal(theirs.Fields["Signing Time"], ours.SignedAt!.Value.ToLocalTime().ToString("MMM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture));
            Assert.False(ours.HasTimestamp);
        }
        Assert.Equal(["Signature1", "Signature2"], reports.Select(r => r.FieldName));
        Assert.Equal("Test terminal 0001", reports[1].CommonName);

        // The certificates are the signer's, then the device CA's; the value is the CMS's own.
        var rsa = Key(DocumentSigningAlgorithm.Rsa2048);
        Assert.Equal(rsa.Chain.Select(c => c.GetEncoded()), reports[1].Certificates);
        Assert.Equal(rsa.Chain.Select(c => c.SubjectDN.ToString()), reports[1].CertificateDns);
        Assert.Equal(rsa.Chain[0].SerialNumber.ToString(16).ToUpperInvariant(), reports[1].CertificateSerial);
        Assert.Matches("^[0-9A-F]+$", reports[1].CertificateSerial);
        var signer = new CmsSignedData(LastSignature(twice).Cms).GetSignerInfos().GetSigners().Single();
        Assert.Equal(signer.GetSignature(), reports[1].SignatureValue);
    }

    [Fact]
    public async Task An_sm2_signature_verifies_with_sm3_and_the_standard_user_id()
    {
        using var dir = new TempDir();
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.Sm2)).SignAsync(await SampleAsync(dir, objectStreams: true), Request(DarkBox(1)), TestContext.Current.CancellationToken);

        var report = Assert.Single(PdfSignatureVerifier.Verify(signed, TestContext.Current.CancellationToken));

        Assert.True(report.Valid, string.Join("; ", report.Errors));
        Assert.Equal("SM3WithSM2", report.SignatureAlgorithm);
        Assert.Equal(2, report.Page);
        Assert.True(report.CoversWholeDocument);
        Assert.Equal(Key(DocumentSigningAlgorithm.Sm2).Chain[0].GetEncoded(), report.Certificates[0]);
    }

    [Fact]
    public async Task A_time_stamped_signature_reports_the_authoritys_time()
    {
        using var dir = new TempDir();
        using var tsa = new LoopbackTimestampAuthority();
        using var http = new HttpClient();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256), new HttpTimestampAuthority(http, tsa.Url))
            .SignAsync(SamplePdf.Create(), Request(DarkBox()), TestContext.Current.CancellationToken);
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        var report = Assert.Single(PdfSignatureVerifier.Verify(signed, TestContext.Current.CancellationToken));

        Assert.True(report.Valid, string.Join("; ", report.Errors));
        Assert.True(report.HasTimestamp);
        Assert.InRange(report.TimestampedAt!.Value, before, after);
    }

    [Fact]
    public async Task A_changed_byte_breaks_every_signature_that_covers_it_and_no_other()
    {
        using var dir = new TempDir();
        var ct = TestContext.Current.CancellationToken;
        var once = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(SamplePdf.Create(pages: 3), Request(DarkBox(0)), ct);
        var twice = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(once, Request(DarkBox(1)), ct);

        // A byte of page 1's text: both signatures cover it.
        var early = twice.ToArray();
        early[early.AsSpan().IndexOf("(Page 1 of 3)"u8) + 1] ^= 0x01;
        var earlyReports = PdfSignatureVerifier.Verify(early, TestContext.Current.CancellationToken);
        Assert.Equal([false, false], earlyReports.Select(r => r.Valid));
        Assert.All(earlyReports, r => Assert.Contains(r.Errors, e => e.Contains("digest mismatch", StringComparison.Ordinal)));

        // A digit of the second signature's /M date: only the second covers it.
        var late = twice.ToArray();
        late[late.AsSpan().LastIndexOf("/M (D:2"u8) + "/M (D:".Length] = (byte)'3';
        var lateReports = PdfSignatureVerifier.Verify(late, TestContext.Current.CancellationToken);
        Assert.Equal([true, false], lateReports.Select(r => r.Valid));
        Assert.Contains(lateReports[1].Errors, e => e.Contains("digest mismatch", StringComparison.Ordinal));

        var (output, verdicts) = await PdfsigAsync(await WriteAsync(dir, "late.pdf", late));
        Assert.True(verdicts is ["Signature is Valid.", "Digest Mismatch."], output);
    }

    [Theory]
    [InlineData("1 {a} {b} {c}", "does not start at byte 0")]
    [InlineData("0 {a} {a-10} {c+10}", "overlap")]
    [InlineData("0 {a} {b} {c+1}", "past the end of the file")]
    [InlineData("0 {a-1} {b} {c}", "not exactly the /Contents")]
    [InlineData("0 {a} {b}", "four non-negative integers")]
    public async Task A_wrong_byte_range_is_an_invalid_signature_saying_why(string byteRange, string error)
    {
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(SamplePdf.Create(), Request(DarkBox()), TestContext.Current.CancellationToken);
        var (range, _) = LastSignature(signed);
        var text = byteRange.Replace("{a}", $"{range[1]}").Replace("{a-1}", $"{range[1] - 1}").Replace("{b}", $"{range[2]}").Replace("{a-10}", $"{range[1] - 10}")
            .Replace("{c}", $"{range[3]}").Replace("{c+1}", $"{range[3] + 1}").Replace("{c+10}", $"{range[3] + 10}");

        var report = Assert.Single(PdfSignatureVerifier.Verify(ReplaceByteRange(signed, text), TestContext.Current.CancellationToken));

        Assert.False(report.Valid);
        Assert.Contains(report.Errors, e => e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contents_that_are_no_cms_are_an_invalid_signature()
    {
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(SamplePdf.Create(), Request(DarkBox()), TestContext.Current.CancellationToken);
        var (range, _) = LastSignature(signed);
        // The CMS's first bytes (30 82: a long SEQUENCE) become 0000.
        Encoding.ASCII.GetBytes("0000", signed.AsSpan((int)range[1] + 1));

        var report = Assert.Single(PdfSignatureVerifier.Verify(signed, TestContext.Current.CancellationToken));

        Assert.False(report.Valid);
        Assert.Contains(report.Errors, e => e.Contains("no readable CMS", StringComparison.Ordinal));
        Assert.Equal("Signature1", report.FieldName);
    }

    [Fact]
    public async Task An_invisible_signature_is_on_page_1_and_an_unsigned_document_has_none()
    {
        var signed = await new PdfSigner(Key(DocumentSigningAlgorithm.EcdsaP256)).SignAsync(SamplePdf.Create(pages: 2), Request(), TestContext.Current.CancellationToken);

        Assert.Equal(1, Assert.Single(PdfSignatureVerifier.Verify(signed, TestContext.Current.CancellationToken)).Page);
        Assert.Empty(PdfSignatureVerifier.Verify(SamplePdf.Create(), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a pdf at all")]
    [InlineData("%PDF-1.7\n1 0 obj << >> endobj\n")]
    public void Bytes_that_are_no_readable_pdf_are_refused(string bytes) =>
        Assert.Throws<UnreadablePdfException>(() => PdfSignatureVerifier.Verify(Encoding.ASCII.GetBytes(bytes), TestContext.Current.CancellationToken));

    /// <summary>The signature's /ByteRange array rewritten in place, padded to its width, so nothing else moves.</summary>
    internal static byte[] ReplaceByteRange(byte[] pdf, string numbers)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var match = ByteRangeArray().Matches(text).Last();
        var replacement = ("[" + numbers).PadRight(match.Length - 1) + "]";
        Assert.Equal(match.Length, replacement.Length);
        var copy = pdf.ToArray();
        Encoding.Latin1.GetBytes(replacement, copy.AsSpan(match.Index));
        return copy;
    }

    private static string[] Rdns(string dn) => [.. dn.Split(',').Select(r => r.Trim()).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\[\s*\d+\s+\d+\s+\d+\s+\d+\s*\]")]
    private static partial Regex ByteRangeArray();
}
