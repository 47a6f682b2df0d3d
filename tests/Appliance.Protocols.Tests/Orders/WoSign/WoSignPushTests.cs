using System.Security.Cryptography;
using Appliance.Core.Orders;
using Appliance.TestSupport;
using static Appliance.Protocols.Tests.Orders.OrderTestKit;

namespace Appliance.Protocols.Tests.Orders.WoSign;

public sealed class WoSignPushTests
{
    private const string Callback = "https://erp.example.com/wosign/push";

    [Fact]
    public void A_signed_order_is_pushed_as_PushSignedDoc_with_the_PDF_and_its_SHA_256()
    {
        using var kit = new OrderTestKit();
        var signedPdf = SamplePdf.Create(2, title: "signed");
        var view = kit.Stored(Order(OrderShape.WoSign, Callback), SignedBy(1));

        var push = kit.Composer().Compose(view, signedPdf)!;

        Assert.Equal(Callback, push.Url);
        Assert.Equal(PushAcceptance.BodyIsOne, push.Acceptance);
        var sha = Convert.ToHexStringLower(SHA256.HashData(signedPdf));
        Assert.Equal("HT-2026-0001:" + sha, push.IdempotencyKey);
        var body = VerifiedBody(push);
        Assert.Equal("PushSignedDoc", body.GetProperty("actiontype").GetString());
        Assert.Equal(1, body.GetProperty("status").GetInt32());
        Assert.Equal("0", body.GetProperty("errorcode").GetString());
        var extend = body.GetProperty("extendData");
        Assert.Equal(view.Id, extend.GetProperty("signid").GetString());
        Assert.Equal("HT-2026-0001", extend.GetProperty("ordernumber").GetString());
        var content = extend.GetProperty("content").GetBytesFromBase64();
        Assert.Equal(signedPdf, content);
        // Seed 002: the hash is of content's bytes (decoded), SHA-2.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), extend.GetProperty("hash").GetString());
        Assert.False(extend.TryGetProperty("state", out _));
    }

    [Theory]
    [InlineData(OrderState.Refused, OrderFailure.IdentityMismatch, "89005099", "REFUSE")]
    [InlineData(OrderState.Refused, OrderFailure.Refused, "89009011", "REFUSE")]
    [InlineData(OrderState.Expired, OrderFailure.Expired, "89003008", "EXPIRE")]
    [InlineData(OrderState.Revoked, OrderFailure.Revoked, "89005025", "REVOKE")]
    public void An_order_that_ended_unsigned_is_pushed_with_status_0_its_code_and_state(OrderState state, OrderFailure failure, string code, string word)
    {
        using var kit = new OrderTestKit();
        var view = kit.Stored(Order(OrderShape.WoSign, Callback), Ended(state, failure, "the reason in words"));

        var push = kit.Composer().Compose(view, null)!;

        Assert.Equal($"HT-2026-0001:{view.Id}:{word}", push.IdempotencyKey);
        var body = VerifiedBody(push);
        Assert.Equal(0, body.GetProperty("status").GetInt32());
        Assert.Equal(code, body.GetProperty("errorcode").GetString());
        var extend = body.GetProperty("extendData");
        Assert.Equal(word, extend.GetProperty("state").GetString());
        Assert.Equal("the reason in words", extend.GetProperty("message").GetString());
        Assert.False(extend.TryGetProperty("content", out _));
        Assert.False(extend.TryGetProperty("hash", out _));
    }

    [Fact]
    public void An_end_without_a_recorded_failure_takes_it_from_the_state_and_words_of_its_own()
    {
        using var kit = new OrderTestKit();
        var view = kit.Stored(Order(OrderShape.WoSign, Callback), Ended(OrderState.Expired));
        var extend = VerifiedBody(kit.Composer().Compose(view, null)!);
        Assert.Equal("89003008", extend.GetProperty("errorcode").GetString());
        Assert.Contains("expired", extend.GetProperty("extendData").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_number_placed_again_after_an_unsigned_end_ends_under_a_key_of_its_own()
    {
        using var kit = new OrderTestKit();
        // The number is free again once its first order was refused: the second order ends refused too.
        var first = kit.Stored(Order(OrderShape.WoSign, Callback), Ended(OrderState.Refused, OrderFailure.Refused));
        var second = kit.Stored(Order(OrderShape.WoSign, Callback), Ended(OrderState.Refused, OrderFailure.Refused));
        Assert.Equal(first.Order.OrderNumber, second.Order.OrderNumber);

        var firstKey = kit.Composer().Compose(first, null)!.IdempotencyKey;
        var secondKey = kit.Composer().Compose(second, null)!.IdempotencyKey;

        Assert.NotEqual(firstKey, secondKey);
        Assert.Equal(($"HT-2026-0001:{first.Id}:REFUSE", $"HT-2026-0001:{second.Id}:REFUSE"), (firstKey, secondKey));
        // The same order's end composed again (a replay) keeps its key.
        Assert.Equal(firstKey, kit.Composer().Compose(first, null)!.IdempotencyKey);
    }
}
