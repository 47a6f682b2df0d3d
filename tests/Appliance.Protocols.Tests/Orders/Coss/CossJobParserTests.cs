using System.Text.Json.Nodes;
using Appliance.Core.Orders;
using Appliance.Protocols.Orders;
using Appliance.Protocols.Orders.Coss;
using static Appliance.Protocols.Tests.Orders.OrderTestKit;

namespace Appliance.Protocols.Tests.Orders.Coss;

public sealed class CossJobParserTests
{
    /// <summary>Seed 004 §3.3.3's addSignJob example, with our timestamp and nonce.</summary>
    public const string Seed = """
        {
          "version": "1.0",
          "appId": "pc_0123456789abcdef",
          "signAlgo": "HMAC",
          "timestamp": "1765159200000",
          "nonce": "n1",
          "userId": "548a43ae04f109a2c8c812c95673579a03afd8512d7fc85f9abdc9de7066b2af",
          "title": "测试签名",
          "dataType": "DATA",
          "algo": "SM3withSM2",
          "description": "签名数据描述信息",
          "expiryDate": "1440",
          "data": "562+5ZCN5rWL6K+V5pWw5o2u",
          "signature": "CGlj1xQgXuewoKUs1CK61KyL2EjwsazsIin8ae7K0Mw="
        }
        """;

    [Fact]
    public void The_seed_example_is_a_DATA_job_for_one_person()
    {
        var intake = CossJobParser.Parse(Body(Seed), KeyId);
        Assert.Equal(OrderShape.Coss, intake.Shape);
        Assert.Equal(OrderContentKind.Data, intake.Content);
        Assert.Equal("SM3withSM2", intake.Algorithm);
        Assert.Equal("签名测试数据", System.Text.Encoding.UTF8.GetString(intake.Bytes));
        Assert.Equal("测试签名", intake.Subject);
        Assert.Equal(TimeSpan.FromMinutes(1440), intake.ValidFor);
        Assert.StartsWith("SD_", intake.OrderNumber, StringComparison.Ordinal); // no transId: a number of its own
        var signer = Assert.Single(intake.Signers);
        Assert.Equal((SignerKind.Person, "测试签名", "", "548a43ae04f109a2c8c812c95673579a03afd8512d7fc85f9abdc9de7066b2af", false),
            (signer.Kind, signer.Name, signer.Number, signer.Account, signer.VerifyIdCard));
        Assert.Empty(signer.Placements);
    }

    [Fact]
    public void TransId_is_the_order_number_and_our_additions_name_the_person()
    {
        var json = JsonNode.Parse(Seed)!;
        json["transId"] = "T-20261208-7";
        json["userName"] = "张三";
        json["idNumber"] = "110101199003074514";
        json["verifyIdCard"] = true;
        json["fingerprint"] = "1";
        json["callBackUrl"] = "https://his.example.com/coss/callback";
        json["dataType"] = "HASH";
        json["data"] = Convert.ToBase64String(new byte[32]);
        var intake = CossJobParser.Parse(Body(json.ToJsonString()), KeyId);
        Assert.Equal("T-20261208-7", intake.OrderNumber);
        Assert.Equal(OrderContentKind.Hash, intake.Content);
        Assert.Equal("https://his.example.com/coss/callback", intake.CallbackUrl);
        var signer = Assert.Single(intake.Signers);
        Assert.Equal(("张三", "110101199003074514", true, true), (signer.Name, signer.Number, signer.VerifyIdCard, signer.Fingerprint));
    }

    public static TheoryData<string, string?, string> Refusals => new()
    {
        { "dataType", "\"WEB_SEAL\"", "89000001" },
        { "dataType", "\"PDF\"", "89000001" },
        { "algo", "\"SHA256withRSA\"", "89000001" },
        { "title", null, "89000001" },
        { "title", $"\"{new string('题', 101)}\"", "89000001" },
        { "description", $"\"{new string('述', 201)}\"", "89000001" },
        { "expiryDate", "\"4321\"", "89000001" },
        { "expiryDate", "\"tomorrow\"", "89000001" },
        { "data", null, "89003004" },
        { "data", "\"562+5ZCN5rWL6K+V5pWw5o2u!\"", "89003020" },
        { "verifyIdCard", "true", "89000001" }, // no userName to match the card
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_refusal_answers_its_seed_004_code(string path, string? value, string code)
    {
        var e = Assert.ThrowsAny<Exception>(() => CossJobParser.Parse(With(Seed, path, value is null ? null : JsonNode.Parse(value)), KeyId));
        Assert.Equal(code, CossDialect.Instance.Refusal(e).Code);
    }

    [Fact]
    public void Data_over_1_MiB_is_89003001()
    {
        var json = JsonNode.Parse(Seed)!;
        json["data"] = Convert.ToBase64String(new byte[OrderLimits.MaxDataBytes + 1]);
        var e = Assert.Throws<OrderCallException>(() => CossJobParser.Parse(Body(json.ToJsonString()), KeyId));
        Assert.Equal("89003001", CossDialect.Instance.Refusal(e).Code);
        json["data"] = Convert.ToBase64String(new byte[OrderLimits.MaxDataBytes]);
        Assert.Equal(OrderLimits.MaxDataBytes, CossJobParser.Parse(Body(json.ToJsonString()), KeyId).Bytes.Length);
    }

    [Fact]
    public void A_HASH_job_takes_an_SM3_digest_and_verify_id_card_needs_the_id_number()
    {
        var json = JsonNode.Parse(Seed)!;
        json["dataType"] = "HASH";
        Assert.Equal("89000001", CossDialect.Instance.Refusal(Assert.Throws<OrderException>(() => CossJobParser.Parse(Body(json.ToJsonString()), KeyId))).Code);
        json = JsonNode.Parse(Seed)!;
        json["verifyIdCard"] = true;
        json["userName"] = "张三";
        Assert.Equal("89000008", CossDialect.Instance.Refusal(Assert.Throws<OrderException>(() => CossJobParser.Parse(Body(json.ToJsonString()), KeyId))).Code);
    }

    [Fact]
    public void The_failures_of_the_desk_and_the_signature_map_to_seed_004_codes()
    {
        var d = CossDialect.Instance;
        Assert.Equal("89003002", d.Code(OrderFailure.UnknownOrder));
        Assert.Equal("89003008", d.Code(OrderFailure.Expired));
        Assert.Equal("89003009", d.Code(OrderFailure.AlreadyEnded));
        Assert.Equal("89003009", d.Code(OrderFailure.AlreadySigned));
        Assert.Equal("89005025", d.Code(OrderFailure.Revoked));
        Assert.Equal("89005099", d.Code(OrderFailure.IdentityMismatch));
        Assert.Equal("89009011", d.Code(OrderFailure.Refused));
        Assert.Equal("89000001", d.Code(OrderFailure.BadParameter));
        Assert.Equal("89000007", d.Code(OrderFailure.Internal));
        Assert.Equal("89000003", d.Code(Appliance.Protocols.Security.Management.SignedCallFailure.UnknownAppId));
        Assert.Equal("89000005", d.Code(Appliance.Protocols.Security.Management.SignedCallFailure.BadSignature));
        Assert.Equal("89009001", d.Code(Appliance.Protocols.Security.Management.SignedCallFailure.StaleTimestamp));
        Assert.Equal("89009002", d.Code(Appliance.Protocols.Security.Management.SignedCallFailure.ReplayedNonce));
        Assert.Equal("89003001", d.Code(OrderCallProblem.BodyTooLarge));
    }
}
