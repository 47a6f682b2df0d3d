using Microsoft.Extensions.Logging;

namespace Appliance.Core.Orders;

/// <summary>
/// The terminal's signing desk: takes orders (checked, placements resolved, stored), puts each signer in turn on the
/// counter, records every move durably, and queues the result push in the caller's shape once the order ends.
/// Every refusal is an <see cref="OrderException"/>.
/// </summary>
public sealed partial class OrderDesk
{
    /// <summary>Raised after every durable move of an order (intake included).</summary>
#pragma warning disable CS0067 // skeleton: raised once the desk is implemented
    public event Action<OrderView>? Changed;
#pragma warning restore CS0067

    /// <summary>Checks and stores a new order; starts it on the counter when it asks to and the terminal is idle.</summary>
    public OrderView Accept(OrderIntake intake) => throw new NotImplementedException();

    /// <summary>The caller's order by the terminal's id; <see cref="OrderFailure.UnknownOrder"/> when there is none for this caller.</summary>
    public OrderView Get(string caller, string id) => throw new NotImplementedException();

    /// <summary>The caller's newest order with that number, or null.</summary>
    public OrderView? FindByNumber(string caller, string orderNumber) => throw new NotImplementedException();

    /// <summary>Withdraws an order not yet ended (seed 004 revoke); one on the counter is taken off it.</summary>
    public OrderView Revoke(string caller, string id) => throw new NotImplementedException();

    /// <summary>Puts a waiting order's next signer on the counter (<see cref="OrderFailure.TerminalBusy"/> when another task is there).</summary>
    public OrderView Start(string caller, string id) => throw new NotImplementedException();

    /// <summary>The signed PDF of a signed PDF order (the document after its last signer).</summary>
    public byte[] ResultDocument(OrderView view) => throw new NotImplementedException();
}
