using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Orders;
using Appliance.Protocols.Orders.InfoPlus;
using Appliance.TestSupport;
using static Appliance.Protocols.Tests.Orders.OrderTestKit;

namespace Appliance.Protocols.Tests.Orders.InfoPlus;

public sealed class InfoPlusSignatureParserTests
{
    private static readonly byte[] PdfBytes = SamplePdf.Create(2);

    /// <summary>Seed 001's Signature type filled in as a workflow engine would, plus content and the signed-call parameters.</summary>
    public static string Seed => $$"""
        {
          "appId": "{{KeyId}}", "signAlgo": "HMACSHA256", "timestamp": "1765159200000", "nonce": "n1", "signature": "x",
          "id": "6f1c2a9e-0d3b-4e55-9a77-2f0b8c1d4e21",
          "name": "请假审批单.pdf",
          "size": {{PdfBytes.Length}},
          "uri": "https://infoplus.example.edu/file/6f1c2a9e",
          "mime": "application/pdf",
          "createTime": 1765159000,
          "seals": [
            {
              "x": 100, "y": 120,
              "signer": { "account": "zhangsan", "name": "张三", "idNumber": "110101199003074514" },
              "permission": { "sealTypes": ["personal"], "sealIds": [], "signers": ["zhangsan"] },
              "template": "", "image": "", "description": "申请人", "algorithm": "", "signature": ""
            },
            {
              "placeHolder": "审批人签字",
              "signer": { "account": "lisi", "name": "李四" },
              "description": "审批人"
            },
            {
              "x": 300, "y": 80, "page": 2,
              "signer": { "account": "zhangsan", "name": "张三" }
            }
          ],
          "content": "{{Convert.ToBase64String(PdfBytes)}}",
          "callbackUrl": "https://infoplus.example.edu/api",
          "expiryMinutes": "60"
        }
        """;

    [Fact]
    public void Signers_are_the_distinct_accounts_in_first_seal_order_and_each_seal_is_a_placement()
    {
        var intake = InfoPlusSignatureParser.Parse(Body(Seed), KeyId);

        Assert.Equal(OrderShape.InfoPlus, intake.Shape);
        Assert.Equal("6f1c2a9e-0d3b-4e55-9a77-2f0b8c1d4e21", intake.OrderNumber);
        Assert.Equal("请假审批单.pdf", intake.FileName);
        Assert.Equal(PdfBytes, intake.Bytes);
        Assert.Equal("https://infoplus.example.edu/api", intake.CallbackUrl);
        Assert.Equal(TimeSpan.FromMinutes(60), intake.ValidFor);
        Assert.Equal(2, intake.Signers.Count);

        var zhang = intake.Signers[0];
        Assert.Equal((SignerKind.Person, "张三", "110101199003074514", "zhangsan"), (zhang.Kind, zhang.Name, zhang.Number, zhang.Account));
        Assert.Equal([new PlacementSpec.Point(1, 100, 120), new PlacementSpec.Point(2, 300, 80)], zhang.Placements);

        var li = intake.Signers[1];
        Assert.Equal((SignerKind.Person, "李四", "", "lisi"), (li.Kind, li.Name, li.Number, li.Account));
        Assert.Equal([new PlacementSpec.Text("审批人签字", 1, 0, 0)], li.Placements);
    }

    [Fact]
    public void The_Signature_object_is_kept_without_content_and_without_the_call_parameters()
    {
        var intake = InfoPlusSignatureParser.Parse(Body(Seed), KeyId);
        var kept = JsonDocument.Parse(intake.ShapeJson).RootElement;
        Assert.Equal(["id", "name", "size", "uri", "mime", "createTime", "seals"], kept.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, kept.GetProperty("seals").GetArrayLength());
        Assert.Equal("申请人", kept.GetProperty("seals")[0].GetProperty("description").GetString());
    }

    [Fact]
    public void Verify_id_card_needs_the_signers_id_number()
    {
        var json = JsonNode.Parse(Seed)!;
        json["verifyIdCard"] = true;
        var e = Assert.Throws<OrderException>(() => InfoPlusSignatureParser.Parse(Body(json.ToJsonString()), KeyId));
        Assert.Equal(OrderFailure.PersonNumberEmpty, e.Failure); // 李四 has none
        json["seals"]![1]!["signer"]!["idNumber"] = "110101198505050011";
        Assert.All(InfoPlusSignatureParser.Parse(Body(json.ToJsonString()), KeyId).Signers, s => Assert.True(s.VerifyIdCard));
    }

    public static TheoryData<string, string?, OrderFailure> Refusals => new()
    {
        { "id", null, OrderFailure.OrderNumberEmpty },
        { "mime", "\"application/msword\"", OrderFailure.FileFormat },
        { "size", "12", OrderFailure.BadParameter },
        { "seals", "[]", OrderFailure.SignerCount },
        { "seals[1].signer.name", "\"\"", OrderFailure.PersonNameEmpty },
        { "seals[1].signer.account", null, OrderFailure.BadParameter },
        { "seals[2].signer.name", "\"张叁\"", OrderFailure.BadParameter },
        { "seals[0].x", null, OrderFailure.BadParameter },
        { "seals[2].page", "0", OrderFailure.BadParameter },
        { "content", "\"%%%\"", OrderFailure.BadParameter },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_refusal_names_its_failure(string path, string? value, OrderFailure failure)
    {
        var e = Assert.Throws<OrderException>(() => InfoPlusSignatureParser.Parse(With(Seed, path, value is null ? null : JsonNode.Parse(value)), KeyId));
        Assert.Equal(failure, e.Failure);
    }

    [Fact]
    public void Without_content_the_order_is_refused_as_missing_with_its_own_errno()
    {
        var e = Assert.Throws<Appliance.Protocols.Orders.OrderCallException>(() => InfoPlusSignatureParser.Parse(With(Seed, "content", null), KeyId));
        var refusal = InfoPlusDialect.Instance.Refusal(e);
        Assert.Equal(("44", "MissingParameter"), (refusal.Code, refusal.Name));
        Assert.Contains("uri", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_are_numbered_and_named()
    {
        var refusal = InfoPlusDialect.Instance.Refusal(new OrderException(OrderFailure.BeingSigned, "order 1 is being signed"));
        Assert.Equal(("3", "BeingSigned", "order 1 is being signed"), (refusal.Code, refusal.Name, refusal.Message));
        var body = JsonDocument.Parse(Appliance.Protocols.Orders.OrderCallRunner.Write(w => InfoPlusDialect.Instance.WriteError(w, refusal))).RootElement;
        Assert.Equal(3, body.GetProperty("errno").GetInt32());
        Assert.Equal("order 1 is being signed", body.GetProperty("error").GetString());
        Assert.Equal("BeingSigned", body.GetProperty("ecode").GetString());
        // Every failure has its own number.
        var numbers = Enum.GetValues<OrderFailure>().Select(InfoPlusDialect.Instance.Code).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }
}
