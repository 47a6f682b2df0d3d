using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Orders;
using Appliance.Protocols.Tests.Orders.Coss;
using Appliance.Protocols.Tests.Orders.InfoPlus;
using Appliance.Protocols.Tests.Orders.WoSign;
using Appliance.Protocols.Tests.Security;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.Orders;

/// <summary>The order routes on a running terminal: signed calls, the seeds' codes, one PC's orders kept from another's.</summary>
public sealed class OrderEndpointsTests
{
    private static string WoSignOrder(string number = "HT-2026-0001", bool autoStart = false)
    {
        var json = JsonNode.Parse(WoSignOrderParserTests.Seed)!.AsObject();
        foreach (var name in new[] { "appId", "signAlgo", "timestamp", "nonce", "signature", "tokenid" }) json.Remove(name);
        json["orderNumber"] = number;
        json["autoStart"] = autoStart;
        return json.ToJsonString();
    }

    private static async Task<(RunningTerminal Terminal, LanClient Pc)> StartAsync()
    {
        var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0");
        var pc = new LanClient(terminal);
        await pc.PairAsync();
        return (terminal, pc);
    }

    [Fact]
    public async Task A_WoSign_order_is_taken_and_its_number_is_refused_minus_47_while_it_is_open()
    {
        var (terminal, pc) = await StartAsync();
        await using var _ = terminal;
        using var __ = pc;

        var created = await pc.SignedPostAsync("/orders/wosign", WoSignOrder());
        Assert.Equal(1, created.GetProperty("status").GetInt32());
        Assert.Equal(0, created.GetProperty("errorcode").GetInt32());
        Assert.Equal("HT-2026-0001", created.GetProperty("orderNumber").GetString());
        var id = created.GetProperty("signid").GetString()!;
        var order = terminal.Service<OrderDesk>().Get(pc.KeyId!, id);
        Assert.Equal(OrderShape.WoSign, order.Order.Shape);
        Assert.Equal(2, order.Order.Signers.Count);

        var again = await pc.SignedPostAsync("/orders/wosign", WoSignOrder());
        Assert.Equal((0, -47), (again.GetProperty("status").GetInt32(), again.GetProperty("errorcode").GetInt32()));

        // The caller's list shows it; revoking it frees the number for a new order.
        var list = await pc.SignedPostAsync("/orders/list", "{}");
        Assert.Equal("200", list.GetProperty("status").GetString());
        var listed = Assert.Single(list.GetProperty("data").GetProperty("orders").EnumerateArray());
        Assert.Equal((id, "HT-2026-0001", "wosign", "waiting", 0, 2),
            (listed.GetProperty("id").GetString(), listed.GetProperty("orderNumber").GetString(), listed.GetProperty("shape").GetString(),
             listed.GetProperty("state").GetString(), listed.GetProperty("signersDone").GetInt32(), listed.GetProperty("signers").GetInt32()));
        var revoked = await pc.SignedPostAsync("/orders/revoke", $$"""{"signid":"{{id}}"}""");
        Assert.Equal("revoked", revoked.GetProperty("data").GetProperty("state").GetString());
        Assert.Equal(1, (await pc.SignedPostAsync("/orders/wosign", WoSignOrder())).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Seed_002_codes_come_back_through_the_wire()
    {
        var (terminal, pc) = await StartAsync();
        await using var _ = terminal;
        using var __ = pc;

        async Task<int> Code(string json) => (await pc.SignedPostAsync("/orders/wosign", json)).GetProperty("errorcode").GetInt32();
        var seed = JsonNode.Parse(WoSignOrder())!;
        Assert.Equal(-43, await Code(Changed(seed, n => n["tempid"] = "T-1")));
        Assert.Equal(-64, await Code(Changed(seed, n => n["actiontype"] = "QuerySignOrder")));
        Assert.Equal(-48, await Code(Changed(seed, n => n["signerlist"] = new JsonArray())));
        Assert.Equal(-55, await Code(Changed(seed, n => n["orderNumber"] = "")));
        Assert.Equal(-56, await Code(Changed(seed, n => n.AsObject().Remove("fileformat"))));
        Assert.Equal(-79, await Code(Changed(seed, n => n["filebase"] = Convert.ToBase64String("not a pdf"u8.ToArray()))));
        var notJson = await pc.PostRawAsync("/orders/wosign", "{\"actiontype\": CreateSignOrder");
        Assert.Equal(-63, notJson.GetProperty("errorcode").GetInt32());
    }

    [Fact]
    public async Task Unsigned_badly_signed_stale_replayed_and_unknown_callers_are_refused_in_each_shapes_words()
    {
        var (terminal, pc) = await StartAsync();
        await using var _ = terminal;
        using var __ = pc;
        var order = WoSignOrder();

        Assert.Equal(-100, (await pc.PostRawAsync("/orders/wosign", order)).GetProperty("errorcode").GetInt32());
        var tampered = JsonNode.Parse(OrderWireClient.Sign(order, pc.KeyId!, pc.Secret!))!;
        tampered["orderNumber"] = "HT-OTHER";
        Assert.Equal(-80, (await pc.PostRawAsync("/orders/wosign", tampered.ToJsonString())).GetProperty("errorcode").GetInt32());
        Assert.Equal(-65, (await pc.PostRawAsync("/orders/wosign", OrderWireClient.Sign(order, "pc_nobody", "secret"))).GetProperty("errorcode").GetInt32());
        var stale = OrderWireClient.Sign(order, pc.KeyId!, pc.Secret!, DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(-79, (await pc.PostRawAsync("/orders/wosign", stale)).GetProperty("errorcode").GetInt32());
        var once = OrderWireClient.Sign(order, pc.KeyId!, pc.Secret!, algorithm: "HMACSHA256");
        Assert.Equal(1, (await pc.PostRawAsync("/orders/wosign", once)).GetProperty("status").GetInt32());
        Assert.Equal(-79, (await pc.PostRawAsync("/orders/wosign", once)).GetProperty("errorcode").GetInt32()); // replayed nonce
        var wrongRoute = OrderWireClient.Sign(JsonNode.Parse(WoSignOrder("HT-2"))!.AsObject().Also(n => n["command"] = "orders/infoplus").ToJsonString(), pc.KeyId!, pc.Secret!);
        Assert.Equal(-79, (await pc.PostRawAsync("/orders/wosign", wrongRoute)).GetProperty("errorcode").GetInt32());

        const string poll = """{"signDataId":"SO_none"}""";
        Assert.Equal("89000003", (await pc.PostRawAsync("/coss/service/v1/getSignResult", OrderWireClient.Sign(poll, "pc_nobody", "secret"))).GetProperty("status").GetString());
        var badCoss = JsonNode.Parse(OrderWireClient.Sign(poll, pc.KeyId!, pc.Secret!))!;
        badCoss["signDataId"] = "SO_other";
        Assert.Equal("89000005", (await pc.PostRawAsync("/coss/service/v1/getSignResult", badCoss.ToJsonString())).GetProperty("status").GetString());
        Assert.Equal("89009001", (await pc.PostRawAsync("/coss/service/v1/getSignResult",
            OrderWireClient.Sign(poll, pc.KeyId!, pc.Secret!, DateTimeOffset.UtcNow.AddHours(-1)))).GetProperty("status").GetString());
        Assert.Equal("89003002", (await pc.SignedPostAsync("/coss/service/v1/getSignResult", poll)).GetProperty("status").GetString());
        Assert.Equal("89000001", (await pc.SignedPostAsync("/coss/service/v1/addUser", "{}")).GetProperty("status").GetString());

        var info = await pc.PostRawAsync("/orders/infoplus", OrderWireClient.Sign("{}", "pc_nobody", "secret"));
        Assert.Equal((33, "UnknownAppId"), (info.GetProperty("errno").GetInt32(), info.GetProperty("ecode").GetString()));

        var audit = await File.ReadAllLinesAsync(Path.Combine(terminal.StateDir, "audit.log"), TestContext.Current.CancellationToken);
        Assert.Contains(audit, l => l.Contains("\"command\":\"orders/wosign\"", StringComparison.Ordinal) && l.Contains("-80", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_COSS_job_is_added_polled_and_revoked_and_another_PC_cannot_see_it()
    {
        var (terminal, pc) = await StartAsync();
        await using var _ = terminal;
        using var __ = pc;
        using var other = new LanClient(terminal, "127.0.0.2");
        await other.PairAsync("Other PC");

        var job = JsonNode.Parse(CossJobParserTests.Seed)!.AsObject();
        foreach (var name in new[] { "appId", "signAlgo", "timestamp", "nonce", "signature" }) job.Remove(name);
        job["transId"] = "T-1";
        job["autoStart"] = false;
        var added = await pc.SignedPostAsync("/coss/service/v1/addSignJob", job.ToJsonString());
        Assert.Equal(200, added.GetProperty("status").GetInt32());
        Assert.Equal("T-1", added.GetProperty("transId").GetString());
        var id = added.GetProperty("data").GetProperty("signDataId").GetString()!;
        Assert.Equal("", added.GetProperty("data").GetProperty("qrCode").GetString());

        var poll = $$"""{"signDataId":"{{id}}"}""";
        var result = (await pc.SignedPostAsync("/coss/service/v1/getSignResult", poll)).GetProperty("data");
        Assert.Equal(("UNSIGN", "T-1"), (result.GetProperty("jobStatus").GetString(), result.GetProperty("orderNumber").GetString()));
        Assert.Equal("89003002", (await other.SignedPostAsync("/coss/service/v1/getSignResult", poll)).GetProperty("status").GetString());
        Assert.Equal("89003002", (await other.SignedPostAsync("/coss/service/v1/revokeSignJob", $$"""{"signJobId":"{{id}}"}""")).GetProperty("status").GetString());
        Assert.Equal("89003002", (await other.SignedPostAsync("/orders/start", $$"""{"signid":"{{id}}"}""")).GetProperty("status").GetString());
        Assert.Empty((await other.SignedPostAsync("/orders/list", "{}")).GetProperty("data").GetProperty("orders").EnumerateArray());

        Assert.Equal(200, (await pc.SignedPostAsync("/coss/service/v1/revokeSignJob", $$"""{"signJobId":"{{id}}"}""")).GetProperty("status").GetInt32());
        Assert.Equal("REVOKE", (await pc.SignedPostAsync("/coss/service/v1/getSignResult", poll)).GetProperty("data").GetProperty("jobStatus").GetString());
        job["dataType"] = "WEB_SEAL";
        Assert.Equal("89000001", (await pc.SignedPostAsync("/coss/service/v1/addSignJob", job.ToJsonString())).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_InfoPlus_Signature_is_answered_as_a_Response_of_Signature()
    {
        var (terminal, pc) = await StartAsync();
        await using var _ = terminal;
        using var __ = pc;
        var signature = JsonNode.Parse(InfoPlusSignatureParserTests.Seed)!.AsObject();
        foreach (var name in new[] { "appId", "signAlgo", "timestamp", "nonce", "signature" }) signature.Remove(name);
        signature["seals"]!.AsArray().RemoveAt(1); // the sample PDF has no 审批人签字 text to find
        signature["autoStart"] = false;

        var answer = await pc.SignedPostAsync("/orders/infoplus", signature.ToJsonString());
        Assert.Equal((0, ""), (answer.GetProperty("errno").GetInt32(), answer.GetProperty("error").GetString()));
        var entity = Assert.Single(answer.GetProperty("entities").EnumerateArray());
        Assert.Equal("6f1c2a9e-0d3b-4e55-9a77-2f0b8c1d4e21", entity.GetProperty("id").GetString());
        Assert.False(entity.TryGetProperty("content", out JsonElement _));
        var id = answer.GetProperty("signid").GetString()!;
        Assert.Equal(OrderShape.InfoPlus, terminal.Service<OrderDesk>().Get(pc.KeyId!, id).Order.Shape);

        var again = await pc.SignedPostAsync("/orders/infoplus", signature.ToJsonString());
        Assert.Equal((3, "BeingSigned"), (again.GetProperty("errno").GetInt32(), again.GetProperty("ecode").GetString()));
    }

    [Fact]
    public async Task VerifyPdfSeal_and_verifySignData_check_signatures_for_the_caller()
    {
        var (terminal, pc) = await StartAsync();
        await using var _ = terminal;
        using var __ = pc;
        using var keys = new TempDir("appliance-keys-");
        var ct = TestContext.Current.CancellationToken;
        var request = new Appliance.Documents.Pdf.Signing.PdfSignRequest(
            [new Appliance.Documents.Pdf.Signing.PdfImagePlacement(0, 0.2, 0.5, 0.3, 0.1, new Appliance.Documents.Pdf.Signing.PdfRgbaImage(2, 1, new byte[8]))], DateTimeOffset.UtcNow);
        var key = Appliance.Documents.Pdf.Signing.DocumentSigningKey.LoadOrCreate(keys.Path, Appliance.Documents.Pdf.Signing.DocumentSigningAlgorithm.Sm2, "Terminal 0001", TimeProvider.System);
        var signed = await new Appliance.Documents.Pdf.Signing.PdfSigner(key).SignAsync(SamplePdf.Create(2), request, ct);

        var good = await pc.SignedPostAsync("/coss/service/v1/verifyPdfSeal", $$"""{"pdfFileStr":"{{Convert.ToBase64String(signed)}}","signSealType":"BJCA_SM2"}""");
        Assert.Equal(200, good.GetProperty("status").GetInt32());
        Assert.Equal("200", good.GetProperty("data").GetProperty("statusCode").GetString());
        var seal = Assert.Single(good.GetProperty("data").GetProperty("message").EnumerateArray());
        Assert.Equal(("200", "SM3WithSM2", "Terminal 0001", 1, false),
            (seal.GetProperty("statusCode").GetString(), seal.GetProperty("signAlg").GetString(), seal.GetProperty("commonName").GetString(),
             seal.GetProperty("pageNo").GetInt32(), seal.GetProperty("isTss").GetBoolean()));

        // Bytes appended after the signature: the signature still verifies over what it covers, the document does not.
        var changed = signed.Concat("\n% appended\n"u8.ToArray()).ToArray();
        var after = await pc.SignedPostAsync("/coss/service/v1/verifyPdfSeal", $$"""{"pdfFileStr":"{{Convert.ToBase64String(changed)}}"}""");
        Assert.Equal("89003019", after.GetProperty("data").GetProperty("statusCode").GetString());

        var none = await pc.SignedPostAsync("/coss/service/v1/verifyPdfSeal", $$"""{"pdfFileStr":"{{Convert.ToBase64String(SamplePdf.Create())}}"}""");
        Assert.Equal("89003019", none.GetProperty("data").GetProperty("statusCode").GetString());
        Assert.Empty(none.GetProperty("data").GetProperty("message").EnumerateArray());
        Assert.Contains("no signature", none.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("89003020", (await pc.SignedPostAsync("/coss/service/v1/verifyPdfSeal", """{"pdfFileStr":"not base64!"}""")).GetProperty("status").GetString());

        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Signer", ecdsa, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var data = "seed 004 verifySignData"u8.ToArray();
        var value = ecdsa.SignData(data, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence);
        string Call(byte[] signedData) => $$"""{"inDataType":"DATA","inData":"{{Convert.ToBase64String(signedData)}}","signAlg":"SHA256withECDSA","signValue":"{{Convert.ToBase64String(value)}}","cert":"{{Convert.ToBase64String(certificate.RawData)}}"}""";
        var valid = await pc.SignedPostAsync("/coss/service/v1/verifySignData", Call(data));
        Assert.Equal((200, true), (valid.GetProperty("status").GetInt32(), valid.GetProperty("data").GetBoolean()));
        Assert.False((await pc.SignedPostAsync("/coss/service/v1/verifySignData", Call([.. data, 0]))).GetProperty("data").GetBoolean());
        var verifySign = Call([.. data, 0]).Replace("\"inDataType\":\"DATA\",\"inData\"", "\"plain\"", StringComparison.Ordinal);
        Assert.Equal("89003019", (await pc.SignedPostAsync("/coss/service/v1/verifySign", verifySign)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_body_over_the_routes_limit_is_answered_in_the_shapes_words()
    {
        var (terminal, pc) = await StartAsync();
        await using var _ = terminal;
        using var __ = pc;
        var big = $$"""{"signDataId":"{{new string('x', 70 * 1024)}}"}""";
        Assert.Equal("89003001", (await pc.SignedPostAsync("/coss/service/v1/getSignResult", big)).GetProperty("status").GetString());
    }

    private static string Changed(JsonNode seed, Action<JsonNode> change)
    {
        var copy = seed.DeepClone();
        change(copy);
        return copy.ToJsonString();
    }
}

internal static class JsonNodeExtensions
{
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
