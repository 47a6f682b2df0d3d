using System.Security.Cryptography;
using Appliance.Core.Orders;
using Appliance.Documents.Pdf.Signing;
using Appliance.Protocols.Orders.InfoPlus;
using Appliance.TestSupport;
using static Appliance.Protocols.Tests.Orders.OrderTestKit;

namespace Appliance.Protocols.Tests.Orders.InfoPlus;

public sealed class InfoPlusPushTests
{
    private static (SigningOrder Order, byte[] Pdf) SeedOrder(string? seed = null)
    {
        var intake = InfoPlusSignatureParser.Parse(Body(seed ?? InfoPlusSignatureParserTests.Seed), KeyId);
        var order = Order(OrderShape.InfoPlus, intake.CallbackUrl,
            Person("张三", "110101199003074514", intake.Signers[0].Account), Person("李四", "", intake.Signers[1].Account)) with
        {
            OrderNumber = intake.OrderNumber, ShapeJson = intake.ShapeJson, FileName = intake.FileName,
        };
        return (order, intake.Bytes);
    }

    private static PdfSignatureCheck Check(string field, byte value, string algorithm) => new()
    {
        Valid = true, FieldName = field, SignatureAlgorithm = algorithm, SignatureValue = [value, value, value], Page = 1,
    };

    [Fact]
    public void A_signed_order_posts_the_Signature_back_with_each_signers_seals_filled()
    {
        using var kit = new OrderTestKit();
        var (order, pdf) = SeedOrder();
        var view = kit.Stored(order, SignedBy(2), pdf);
        byte[] zhangPng = [0x89, 0x50, 0x4E, 0x47, 1], liPng = [0x89, 0x50, 0x4E, 0x47, 2];
        kit.Store.WriteFile(view.Id, OrderStore.SignatureName(0), zhangPng);
        kit.Store.WriteFile(view.Id, OrderStore.SignatureName(1), liPng);
        // The PDF came signed once already: the order's two signatures are the last two, in signer order.
        kit.Verifier.Checks = [Check("Earlier", 9, "SHA256WithRSA"), Check("Signature1", 1, "SM3WithSM2"), Check("Signature2", 2, "SHA256WithECDSA")];
        var signedPdf = SamplePdf.Create(2, title: "signed by both");

        var push = kit.Composer().Compose(view, signedPdf)!;

        Assert.Equal("https://infoplus.example.edu/api/signature/6f1c2a9e-0d3b-4e55-9a77-2f0b8c1d4e21", push.Url);
        Assert.Equal(PushAcceptance.Http2xx, push.Acceptance);
        var sha = Convert.ToHexStringLower(SHA256.HashData(signedPdf));
        Assert.Equal("6f1c2a9e-0d3b-4e55-9a77-2f0b8c1d4e21:" + sha, push.IdempotencyKey);

        var body = VerifiedBody(push);
        Assert.Equal("6f1c2a9e-0d3b-4e55-9a77-2f0b8c1d4e21", body.GetProperty("id").GetString());
        Assert.Equal("请假审批单.pdf", body.GetProperty("name").GetString());
        Assert.Equal("application/pdf", body.GetProperty("mime").GetString());
        Assert.Equal(view.Id, body.GetProperty("signid").GetString());
        Assert.Equal("FINISH", body.GetProperty("state").GetString());
        Assert.Equal(signedPdf, body.GetProperty("content").GetBytesFromBase64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body.GetProperty("content").GetBytesFromBase64())), body.GetProperty("hash").GetString());

        var seals = body.GetProperty("seals").EnumerateArray().ToList();
        Assert.Equal(3, seals.Count);
        // Seals 0 and 2 are 张三's (signer 0), seal 1 is 李四's (signer 1).
        foreach (var (seal, value, algorithm, png) in new[] { (seals[0], (byte)1, "SM3WithSM2", zhangPng), (seals[1], (byte)2, "SHA256WithECDSA", liPng), (seals[2], (byte)1, "SM3WithSM2", zhangPng) })
        {
            Assert.Equal(Convert.ToBase64String([value, value, value]), seal.GetProperty("signature").GetString());
            Assert.Equal(algorithm, seal.GetProperty("algorithm").GetString());
            Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), seal.GetProperty("image").GetString());
            Assert.Equal(1, seal.EnumerateObject().Count(p => p.Name == "signature")); // replaced, not added twice
        }
        Assert.Equal("申请人", seals[0].GetProperty("description").GetString());
        Assert.Equal("审批人签字", seals[1].GetProperty("placeHolder").GetString());
    }

    [Fact]
    public async Task The_seals_carry_the_signatures_read_back_from_a_really_signed_PDF_in_signer_order()
    {
        using var kit = new OrderTestKit();
        using var keys = new TempDir("appliance-keys-");
        var (order, pdf) = SeedOrder();
        var view = kit.Stored(order, SignedBy(2), pdf);
        kit.Store.WriteFile(view.Id, OrderStore.SignatureName(0), [1]);
        kit.Store.WriteFile(view.Id, OrderStore.SignatureName(1), [2]);
        var request = new PdfSignRequest([new PdfImagePlacement(0, 0.2, 0.5, 0.3, 0.1, new PdfRgbaImage(2, 1, new byte[8]))], Now);
        var ct = TestContext.Current.CancellationToken;
        var bySm2 = await new PdfSigner(DocumentSigningKey.LoadOrCreate(keys.Path, DocumentSigningAlgorithm.Sm2, "Terminal", TimeProvider.System)).SignAsync(pdf, request, ct);
        var thenEcdsa = await new PdfSigner(DocumentSigningKey.LoadOrCreate(keys.Path, DocumentSigningAlgorithm.EcdsaP256, "Terminal", TimeProvider.System)).SignAsync(bySm2, request, ct);
        var verifier = new Appliance.Adapters.Orders.SignatureVerifierAdapter();
        var checks = verifier.VerifyPdf(thenEcdsa);

        var body = VerifiedBody(kit.Composer(verifier).Compose(view, thenEcdsa)!);

        var seals = body.GetProperty("seals").EnumerateArray().ToList();
        Assert.Equal(("SM3WithSM2", Convert.ToBase64String(checks[0].SignatureValue)), (seals[0].GetProperty("algorithm").GetString(), seals[0].GetProperty("signature").GetString()));
        Assert.Equal(("SHA256WithECDSA", Convert.ToBase64String(checks[1].SignatureValue)), (seals[1].GetProperty("algorithm").GetString(), seals[1].GetProperty("signature").GetString()));
        Assert.Equal(seals[0].GetProperty("signature").GetString(), seals[2].GetProperty("signature").GetString());
        Assert.Equal(thenEcdsa, body.GetProperty("content").GetBytesFromBase64());
    }

    [Fact]
    public void An_order_that_ended_unsigned_posts_the_Signature_as_it_was_with_its_state()
    {
        using var kit = new OrderTestKit();
        var (order, pdf) = SeedOrder();
        var view = kit.Stored(order, Ended(OrderState.Revoked, OrderFailure.Revoked), pdf);

        var push = kit.Composer().Compose(view, null)!;

        Assert.Equal($"6f1c2a9e-0d3b-4e55-9a77-2f0b8c1d4e21:{view.Id}:REVOKE", push.IdempotencyKey);
        var body = VerifiedBody(push);
        Assert.Equal("REVOKE", body.GetProperty("state").GetString());
        Assert.False(body.TryGetProperty("content", out _));
        Assert.Contains("revoked", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("", body.GetProperty("seals")[0].GetProperty("signature").GetString());
    }

    [Fact]
    public void A_verifier_that_throws_anything_still_lets_the_result_be_pushed_with_the_seals_unsigned()
    {
        using var kit = new OrderTestKit();
        var (order, pdf) = SeedOrder();
        var view = kit.Stored(order, SignedBy(2), pdf);
        kit.Store.WriteFile(view.Id, OrderStore.SignatureName(0), [1]);
        kit.Store.WriteFile(view.Id, OrderStore.SignatureName(1), [2]);
        var signedPdf = SamplePdf.Create(2, title: "signed by both");

        // As a BouncyCastle exception from a signature the caller's PDF already carried: not an OrderException.
        var push = kit.Composer(new ThrowingVerifier()).Compose(view, signedPdf);

        Assert.NotNull(push);
        var body = VerifiedBody(push);
        Assert.Equal(signedPdf, body.GetProperty("content").GetBytesFromBase64());
        var seal = body.GetProperty("seals")[0];
        Assert.Equal(("", ""), (seal.GetProperty("signature").GetString(), seal.GetProperty("algorithm").GetString()));
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String([1]), seal.GetProperty("image").GetString());
    }

    [Fact]
    public void Seals_whose_signer_account_is_a_number_are_filled_as_the_parser_read_them()
    {
        using var kit = new OrderTestKit();
        var seed = InfoPlusSignatureParserTests.Seed
            .Replace("\"account\": \"zhangsan\"", "\"account\": 1001", StringComparison.Ordinal)
            .Replace("\"account\": \"lisi\"", "\"account\": 1002", StringComparison.Ordinal);
        var (order, pdf) = SeedOrder(seed);
        Assert.Equal(["1001", "1002"], order.Signers.Select(s => s.Account));
        var view = kit.Stored(order, SignedBy(2), pdf);
        kit.Store.WriteFile(view.Id, OrderStore.SignatureName(0), [1]);
        kit.Store.WriteFile(view.Id, OrderStore.SignatureName(1), [2]);
        kit.Verifier.Checks = [Check("Signature1", 1, "SM3WithSM2"), Check("Signature2", 2, "SHA256WithECDSA")];

        var body = VerifiedBody(kit.Composer().Compose(view, SamplePdf.Create(2, title: "signed"))!);

        var seals = body.GetProperty("seals").EnumerateArray().ToList();
        Assert.Equal(1001, seals[0].GetProperty("signer").GetProperty("account").GetInt32()); // echoed as it came
        foreach (var (seal, value, algorithm) in new[] { (seals[0], (byte)1, "SM3WithSM2"), (seals[1], (byte)2, "SHA256WithECDSA"), (seals[2], (byte)1, "SM3WithSM2") })
        {
            Assert.Equal(Convert.ToBase64String([value, value, value]), seal.GetProperty("signature").GetString());
            Assert.Equal(algorithm, seal.GetProperty("algorithm").GetString());
            Assert.Equal("data:image/png;base64," + Convert.ToBase64String([value]), seal.GetProperty("image").GetString());
        }
    }

    /// <summary>A verifier whose PDF reader fails with an exception of its own, as a third-party parser's.</summary>
    private sealed class ThrowingVerifier : ISignatureVerifier
    {
        public IReadOnlyList<PdfSignatureCheck> VerifyPdf(byte[] pdf) => throw new FormatException("malformed CMS in an earlier signature");

        public bool VerifyData(byte[] data, OrderContentKind kind, string algorithm, byte[] signature, byte[] certificate) => false;
    }
}
