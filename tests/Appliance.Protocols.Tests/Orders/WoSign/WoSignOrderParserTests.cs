using System.Text.Json.Nodes;
using Appliance.Core.Orders;
using Appliance.Protocols.Orders;
using Appliance.Protocols.Orders.WoSign;
using Appliance.TestSupport;
using static Appliance.Protocols.Tests.Orders.OrderTestKit;

namespace Appliance.Protocols.Tests.Orders.WoSign;

public sealed class WoSignOrderParserTests
{
    private static readonly string Pdf = Convert.ToBase64String(SamplePdf.Create(2));

    /// <summary>Seed 002 §3.1's example (an organisation, then a person with two placements), made valid JSON, with a real PDF.</summary>
    public static string Seed => $$"""
        {
          "appId": "{{KeyId}}", "signAlgo": "HMAC", "timestamp": "1765159200000", "nonce": "n1", "signature": "x",
          "tokenid": "{{KeyId}}",
          "actiontype": "CreateSignOrder",
          "filebase": "{{Pdf}}",
          "fileformat": "pdf",
          "orderNumber": "HT-2026-0001",
          "tempid": "",
          "subject": "签署合同标签",
          "password": "",
          "signerlist": [
            {
              "signType": "1",
              "orgName": "沃通电子认证服务有限公司",
              "orgNo": " 440301103308619",
              "stampbase": "",
              "pic": "",
              "otherpic": "",
              "signlist": [{ "pagenumber": 1, "position": "0.30,0.57,0.46,0.69" }]
            },
            {
              "signType": 2,
              "userName": "张三",
              "userNo": "212125668686868888",
              "stampbase": "",
              "pic": "",
              "otherpic": "",
              "Signlist": [
                { "pagenumber": 1, "position": "0.65, 0.47, 0.82, 0.59" },
                { "pagenumber": "2", "position": "0.27, 0.39, 0.44, 0.50" }
              ]
            }
          ]
        }
        """;

    [Fact]
    public void The_seed_example_reads_into_an_organisation_and_a_person_with_their_areas()
    {
        var intake = WoSignOrderParser.Parse(Body(Seed), KeyId);

        Assert.Equal(KeyId, intake.Caller);
        Assert.Equal(OrderShape.WoSign, intake.Shape);
        Assert.Equal("HT-2026-0001", intake.OrderNumber);
        Assert.Equal("签署合同标签", intake.Subject);
        Assert.Equal(OrderContentKind.Pdf, intake.Content);
        Assert.Equal(Convert.FromBase64String(Pdf), intake.Bytes);
        Assert.Null(intake.ValidFor);
        Assert.Equal("", intake.CallbackUrl);
        Assert.Equal(2, intake.Signers.Count);

        var org = intake.Signers[0];
        Assert.Equal(SignerKind.Organisation, org.Kind);
        Assert.Equal("沃通电子认证服务有限公司", org.Name);
        Assert.Equal("440301103308619", org.Number);
        Assert.Null(org.StampPng);
        Assert.Equal([new PlacementSpec.Area(1, 0.30, 0.57, 0.46, 0.69)], org.Placements);

        var person = intake.Signers[1];
        Assert.Equal(SignerKind.Person, person.Kind);
        Assert.Equal("张三", person.Name);
        Assert.Equal("212125668686868888", person.Number);
        Assert.False(person.VerifyIdCard);
        Assert.Equal([new PlacementSpec.Area(1, 0.65, 0.47, 0.82, 0.59), new PlacementSpec.Area(2, 0.27, 0.39, 0.44, 0.50)], person.Placements);
    }

    [Fact]
    public void Our_additions_are_read_per_order_and_per_signer()
    {
        var json = JsonNode.Parse(Seed)!;
        json["verifyIdCard"] = "true";
        json["callbackUrl"] = "https://erp.example.com/wosign/push";
        json["callbackPin"] = new string('A', 64);
        json["expiryMinutes"] = 30;
        json["signerlist"]![1]!["fingerprint"] = true;
        json["signerlist"]![0]!["stampbase"] = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47]);
        var intake = WoSignOrderParser.Parse(Body(json.ToJsonString()), KeyId);

        Assert.Equal("https://erp.example.com/wosign/push", intake.CallbackUrl);
        Assert.Equal(new string('a', 64), intake.CallbackPin);
        Assert.Equal(TimeSpan.FromMinutes(30), intake.ValidFor);
        Assert.False(intake.Signers[0].VerifyIdCard); // the order's default is for people, not organisations
        Assert.True(intake.Signers[1].VerifyIdCard);
        Assert.True(intake.Signers[1].Fingerprint);
        Assert.False(intake.Signers[0].Fingerprint);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], intake.Signers[0].StampPng);
    }

    [Fact]
    public void A_long_subject_is_cut_at_256_characters()
    {
        var json = JsonNode.Parse(Seed)!;
        json["subject"] = new string('合', 300);
        Assert.Equal(256, WoSignOrderParser.Parse(Body(json.ToJsonString()), KeyId).Subject.Length);
    }

    public static TheoryData<string, string?, string> Refusals => new()
    {
        // member path, new value (null: removed), the seed 002 code
        { "tempid", "\"T-1\"", "-43" },
        { "signerlist", "[]", "-48" },
        { "signerlist[0].signType", "\"3\"", "-49" },
        { "signerlist[0].signType", "{}", "-49" },
        { "signerlist[0].orgName", "\"\"", "-51" },
        { "signerlist[0].orgNo", null, "-52" },
        { "signerlist[1].userName", "\" \"", "-53" },
        { "signerlist[1].userNo", null, "-54" },
        { "orderNumber", "\"\"", "-55" },
        { "fileformat", null, "-56" },
        { "fileformat", "\"docx\"", "-79" },
        { "password", "\"1234\"", "-79" },
        { "actiontype", "\"PushSignedDoc\"", "-64" },
        { "actiontype", null, "-100" },
        { "tokenid", "\"another-token\"", "-65" },
        { "filebase", null, "-100" },
        { "filebase", "\"not base64!\"", "-79" },
        { "signerlist[1].Signlist", null, "-100" },
        { "signerlist[1].Signlist[0].position", "\"0.1,0.2,0.3\"", "-79" },
        { "signerlist[1].Signlist[0].pagenumber", "\"first\"", "-79" },
        { "signerlist[0].stampbase", "\"@@@\"", "-79" },
        { "expiryMinutes", "4321", "-79" },
        { "callbackUrl", "\"ftp://erp.example.com/\"", "-79" },
        { "verifyIdCard", "\"yes\"", "-79" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_refusal_answers_its_seed_002_code(string path, string? value, string code)
    {
        var body = With(Seed, path, value is null ? null : JsonNode.Parse(value));
        var e = Assert.ThrowsAny<Exception>(() => WoSignOrderParser.Parse(body, KeyId));
        Assert.Equal(code, WoSignDialect.Instance.Refusal(e).Code);
    }

    [Fact]
    public void More_signers_than_the_terminal_takes_is_minus_48()
    {
        var json = JsonNode.Parse(Seed)!;
        var list = new JsonArray();
        for (var i = 0; i <= OrderLimits.MaxSigners; i++) list.Add(json["signerlist"]![1]!.DeepClone());
        json["signerlist"] = list;
        var e = Assert.Throws<OrderException>(() => WoSignOrderParser.Parse(Body(json.ToJsonString()), KeyId));
        Assert.Equal(OrderFailure.SignerCount, e.Failure);
    }

    [Fact]
    public void The_failures_the_desk_reports_map_to_seed_002_codes()
    {
        var d = WoSignDialect.Instance;
        Assert.Equal("-46", d.Code(OrderFailure.AlreadySigned));
        Assert.Equal("-47", d.Code(OrderFailure.BeingSigned));
        Assert.Equal("-48", d.Code(OrderFailure.SignerCount));
        Assert.Equal("-79", d.Code(OrderFailure.BadDocument));
        Assert.Equal("-79", d.Code(OrderFailure.PlacementNotFound));
        Assert.Equal("-79", d.Code(OrderFailure.TooLarge));
        Assert.Equal("-69", d.Code(OrderFailure.Internal));
        Assert.Equal("-80", d.Code(Appliance.Protocols.Security.Management.SignedCallFailure.BadSignature));
        Assert.Equal("-65", d.Code(Appliance.Protocols.Security.Management.SignedCallFailure.UnknownAppId));
        Assert.Equal("-100", d.Code(Appliance.Protocols.Security.Management.SignedCallFailure.MissingParameter));
        Assert.Equal("-79", d.Code(Appliance.Protocols.Security.Management.SignedCallFailure.ReplayedNonce));
        Assert.Equal("-63", d.Code(OrderCallProblem.NotJson));
    }
}
