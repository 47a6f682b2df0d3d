using Appliance.Core.Orders;
using Appliance.TestSupport;
using static Appliance.Protocols.Tests.Orders.OrderTestKit;

namespace Appliance.Protocols.Tests.Orders;

public sealed class OrderResultComposerTests
{
    [Fact]
    public void No_callback_no_push()
    {
        using var kit = new OrderTestKit();
        var view = kit.Stored(Order(OrderShape.WoSign, ""), SignedBy(1));
        Assert.Null(kit.Composer().Compose(view, SamplePdf.Create()));
    }

    [Fact]
    public void A_caller_unpaired_meanwhile_gets_no_push_there_is_no_secret_to_sign_it_with()
    {
        using var kit = new OrderTestKit();
        var view = kit.Stored(Order(OrderShape.WoSign, "https://erp.example.com/push"), SignedBy(1));
        Assert.True(kit.Pairings.Revoke(KeyId));
        Assert.Null(kit.Composer().Compose(view, SamplePdf.Create()));
    }

    [Fact]
    public void An_order_not_ended_is_not_pushed()
    {
        using var kit = new OrderTestKit();
        var view = kit.Stored(Order(OrderShape.Coss, "https://his.example.com/cb"), new OrderProgress { State = OrderState.Waiting, UpdatedAt = Now });
        Assert.Null(kit.Composer().Compose(view, null));
    }

    [Fact]
    public void A_signed_PDF_order_without_the_result_given_pushes_the_document_after_its_last_signer()
    {
        using var kit = new OrderTestKit();
        var view = kit.Stored(Order(OrderShape.WoSign, "https://erp.example.com/push"), SignedBy(1));
        var after = SamplePdf.Create(1, title: "after signer 1");
        kit.Store.WriteFile(view.Id, OrderStore.ContentName(view.Order, 1), after);
        var body = VerifiedBody(kit.Composer().Compose(view, null)!);
        Assert.Equal(after, body.GetProperty("extendData").GetProperty("content").GetBytesFromBase64());
    }

    [Fact]
    public void The_pin_of_the_order_goes_with_its_push()
    {
        using var kit = new OrderTestKit();
        var pin = new string('b', 64);
        var view = kit.Stored(Order(OrderShape.WoSign, "https://erp.example.com/push") with { CallbackPin = pin }, Ended(OrderState.Expired));
        Assert.Equal(pin, kit.Composer().Compose(view, null)!.Pin);
    }
}
