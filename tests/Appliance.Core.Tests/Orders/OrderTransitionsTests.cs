using Appliance.Core.Orders;

namespace Appliance.Core.Tests.Orders;

public sealed class OrderTransitionsTests
{
    [Fact]
    public void Only_the_moves_in_the_table_are_possible_and_an_ended_order_never_moves()
    {
        var allowed = new HashSet<(OrderState, OrderTrigger)>
        {
            (OrderState.Waiting, OrderTrigger.Start), (OrderState.Waiting, OrderTrigger.Expire), (OrderState.Waiting, OrderTrigger.Revoke),
            (OrderState.Signing, OrderTrigger.SignerDone), (OrderState.Signing, OrderTrigger.LastSignerDone), (OrderState.Signing, OrderTrigger.Interrupted),
            (OrderState.Signing, OrderTrigger.Refuse), (OrderState.Signing, OrderTrigger.IdentityMismatch), (OrderState.Signing, OrderTrigger.Expire),
            (OrderState.Signing, OrderTrigger.Revoke),
        };
        foreach (var state in Enum.GetValues<OrderState>())
            foreach (var trigger in Enum.GetValues<OrderTrigger>())
                Assert.Equal(allowed.Contains((state, trigger)), OrderTransitions.Next(state, trigger) is not null);
        Assert.Equal(OrderState.Refused, OrderTransitions.Next(OrderState.Signing, OrderTrigger.IdentityMismatch));
        Assert.Equal(OrderState.Waiting, OrderTransitions.Next(OrderState.Signing, OrderTrigger.SignerDone));
        Assert.All(Enum.GetValues<OrderState>().Where(s => s.IsFinal()), s => Assert.All(Enum.GetValues<OrderTrigger>(), t => Assert.Null(OrderTransitions.Next(s, t))));
    }
}
