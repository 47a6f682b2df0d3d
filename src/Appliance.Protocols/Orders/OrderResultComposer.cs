using Appliance.Core.Orders;
using Appliance.Core.Pairing;
using Appliance.Protocols.Orders.Coss;
using Appliance.Protocols.Orders.InfoPlus;
using Appliance.Protocols.Orders.WoSign;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Orders;

/// <summary>
/// The desk's <see cref="IOrderResultPush"/>: an ended order's result in its caller's shape (seed 002 PushSignedDoc,
/// seed 001 <c>POST {callbackUrl}/signature/{id}</c>, seed 004 callback), signed with the caller's pairing secret
/// (<see cref="SignedPushBody"/>). No push when the order has no callback, or when its caller was unpaired meanwhile
/// (there is no secret to sign with: the result stays for polling, and the log says so).
/// </summary>
public sealed class OrderResultComposer(PairingStore pairings, OrderStore store, ISignatureVerifier verifier, TimeProvider clock, ILogger<OrderResultComposer> log)
    : IOrderResultPush
{
    public OrderPush? Compose(OrderView ended, byte[]? result)
    {
        var order = ended.Order;
        if (order.CallbackUrl.Length == 0) return null;
        if (!ended.State.IsFinal())
        {
            log.LogWarning("order {Order}: asked to push its result while it is {State}; nothing pushed", order.Id, ended.State);
            return null;
        }
        if (pairings.Find(order.Caller) is not { } caller)
        {
            log.LogWarning("order {Order} ({Number}) ended {State}, but its caller {Caller} is no longer paired: no push (nothing to sign it with); the result stays for polling",
                order.Id, order.OrderNumber, ended.State, order.Caller);
            return null;
        }
        if (ended.State == OrderState.Signed && order.Content == OrderContentKind.Pdf)
            result ??= store.ReadContent(ended, order.Signers.Count);
        var outcome = OrderOutcome.Of(ended, result);
        var (url, acceptance, fields) = order.Shape switch
        {
            OrderShape.WoSign => (order.CallbackUrl, PushAcceptance.BodyIsOne, WoSignPushWriter.Fields(outcome)),
            OrderShape.InfoPlus => (InfoPlusPushWriter.Url(order), PushAcceptance.Http2xx, new InfoPlusPushWriter(store, verifier, log).Fields(outcome)),
            OrderShape.Coss => (order.CallbackUrl, PushAcceptance.CossStatus200, CossPushWriter.Fields(outcome)),
            _ => throw new ArgumentOutOfRangeException(nameof(ended), order.Shape, "unknown order shape"),
        };
        var body = SignedPushBody.Write(fields, caller, clock.GetUtcNow());
        return new OrderPush(url, body, acceptance, outcome.IdempotencyKey, order.CallbackPin);
    }
}
