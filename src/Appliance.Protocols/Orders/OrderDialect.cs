using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Security.Management;

namespace Appliance.Protocols.Orders;

/// <summary>A refusal as a shape answers it: its code, the reason's name (<c>BadParameter</c>, <c>BadSignature</c>, …) and words.</summary>
public readonly record struct OrderRefusal(string Code, string Name, string Message);

/// <summary>
/// One shape's words for refusals: its code for every <see cref="OrderFailure"/> (the desk's and the parsers'), every
/// <see cref="SignedCallFailure"/> (the signature) and every <see cref="OrderCallProblem"/> (the body), and how it writes
/// an error answer. docs/PROTOCOLS.md "Signing orders" has the tables.
/// </summary>
public abstract class OrderDialect
{
    public abstract string Code(OrderFailure failure);
    public abstract string Code(SignedCallFailure failure);
    public abstract string Code(OrderCallProblem problem);

    /// <summary>Writes the whole error answer object.</summary>
    public abstract void WriteError(Utf8JsonWriter w, OrderRefusal refusal);

    /// <summary>The refusal for an exception a call ended with (an unexpected one is <see cref="OrderFailure.Internal"/>).</summary>
    public OrderRefusal Refusal(Exception e) => e switch
    {
        OrderCallException { Problem: OrderCallProblem.ShapeCode } c => new(c.ShapeCode, nameof(OrderCallProblem.ShapeCode), c.Message),
        OrderCallException c => new(Code(c.Problem), c.Problem.ToString(), c.Message),
        SignedCallException s => new(Code(s.Failure), s.Failure.ToString(), s.Message),
        OrderException o => new(Code(o.Failure), o.Failure.ToString(), o.Message),
        _ => new(Code(OrderFailure.Internal), nameof(OrderFailure.Internal), "终端内部错误 / internal error; the terminal's log has the details"),
    };
}
