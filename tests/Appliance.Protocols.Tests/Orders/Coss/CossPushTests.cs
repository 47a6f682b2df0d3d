using System.Security.Cryptography;
using Appliance.Core.Orders;
using static Appliance.Protocols.Tests.Orders.OrderTestKit;

namespace Appliance.Protocols.Tests.Orders.Coss;

public sealed class CossPushTests
{
    private const string Callback = "https://his.example.com/coss/callback";

    private static SigningOrder DataOrder() => Order(OrderShape.Coss, Callback, new OrderSigner
    {
        Kind = SignerKind.Person, Name = "张三", Account = "548a43ae04f109a2c8c812c95673579a03afd8512d7fc85f9abdc9de7066b2af",
    }) with { Content = OrderContentKind.Data, Algorithm = "SM3withSM2" };

    [Fact]
    public void A_signed_job_calls_back_with_the_seeds_fields_and_FINISH()
    {
        using var kit = new OrderTestKit();
        var signature = RandomNumberGenerator.GetBytes(71);
        var certificate = RandomNumberGenerator.GetBytes(500);
        var progress = SignedBy(1) with { DataSignature = Convert.ToBase64String(signature), Certificate = Convert.ToBase64String(certificate) };
        var view = kit.Stored(DataOrder(), progress, "签名测试数据"u8.ToArray());

        var push = kit.Composer().Compose(view, null)!;

        Assert.Equal(Callback, push.Url);
        Assert.Equal(PushAcceptance.CossStatus200, push.Acceptance);
        Assert.Equal("HT-2026-0001:" + Convert.ToHexStringLower(SHA256.HashData(signature)), push.IdempotencyKey);
        var body = VerifiedBody(push);
        Assert.Equal(view.Id, body.GetProperty("signJobId").GetString());
        Assert.Equal("FINISH", body.GetProperty("status").GetString());
        Assert.Equal("548a43ae04f109a2c8c812c95673579a03afd8512d7fc85f9abdc9de7066b2af", body.GetProperty("msspId").GetString());
        Assert.Equal(signature, body.GetProperty("signResult").GetBytesFromBase64());
        Assert.Equal(certificate, body.GetProperty("signCert").GetBytesFromBase64());
        Assert.Equal("HT-2026-0001", body.GetProperty("transId").GetString());
    }

    [Fact]
    public void A_refused_job_calls_back_REFUSE_without_a_result()
    {
        using var kit = new OrderTestKit();
        var view = kit.Stored(DataOrder(), Ended(OrderState.Refused, OrderFailure.Refused), "签名测试数据"u8.ToArray());
        var push = kit.Composer().Compose(view, null)!;
        Assert.Equal($"HT-2026-0001:{view.Id}:REFUSE", push.IdempotencyKey);
        var body = VerifiedBody(push);
        Assert.Equal("REFUSE", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("signResult", out _));
        Assert.False(body.TryGetProperty("signCert", out _));
    }
}
