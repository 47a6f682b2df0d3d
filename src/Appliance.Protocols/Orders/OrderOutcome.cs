using System.Security.Cryptography;
using Appliance.Core.Orders;
using Appliance.Protocols.Orders.Coss;

namespace Appliance.Protocols.Orders;

/// <summary>
/// How an order ended, in the words every shape shares: seed 004's job status (<c>UNSIGN</c>, <c>FINISH</c>,
/// <c>REFUSE</c>, <c>EXPIRE</c>, <c>REVOKE</c>), the result and its SHA-256, the seed-004 code of an unsigned end, and
/// the push's idempotency key (order number + ":" + the result's SHA-256, or + ":" + signid + ":" + the end state when unsigned).
/// </summary>
public sealed record OrderOutcome
{
    public required OrderView View { get; init; }

    /// <summary>Signed orders: the signed PDF, or the data signature's bytes (DATA / HASH); null otherwise.</summary>
    public byte[]? Result { get; init; }

    /// <summary>Lower-case hex SHA-256 of <see cref="Result"/>; "" when unsigned.</summary>
    public string ResultSha256 { get; init; } = "";

    public bool Signed => View.State == OrderState.Signed;

    public string JobStatus => JobStatusOf(View.State);

    /// <summary>Unsigned ends: <c>89005099</c> identity mismatch, <c>89003008</c> expired, <c>89005025</c> revoked, <c>89009011</c> refused by the signer.</summary>
    public string EndCode => Signed ? "0" : CossDialect.Instance.Code(EndFailure);

    public OrderFailure EndFailure => View.Progress.EndFailure ?? View.State switch
    {
        OrderState.Expired => OrderFailure.Expired,
        OrderState.Revoked => OrderFailure.Revoked,
        _ => OrderFailure.Refused,
    };

    /// <summary>Why it ended unsigned, in words (the desk's, or the terminal's default for the state).</summary>
    public string EndMessage => View.Progress.EndReason.Length > 0 ? View.Progress.EndReason : EndFailure switch
    {
        OrderFailure.IdentityMismatch => "身份验证不一致 / the ID card read is not the signer's",
        OrderFailure.Expired => "签名任务过期 / the order expired before it was signed",
        OrderFailure.Revoked => "该任务已取消 / the order was revoked",
        _ => "签署人拒绝签署 / the signer refused on the terminal",
    };

    /// <summary>
    /// The push's <c>Idempotency-Key</c>: order number + ":" + the result's SHA-256 when signed (one number is signed
    /// once), order number + ":" + the terminal's order id (signid) + ":" + the job status when it ended unsigned (a
    /// number may be placed again after a refused, expired or revoked order: its end must not share the first one's key).
    /// </summary>
    public string IdempotencyKey => Signed
        ? View.Order.OrderNumber + ":" + ResultSha256
        : View.Order.OrderNumber + ":" + View.Id + ":" + JobStatus;

    public static string JobStatusOf(OrderState state) => state switch
    {
        OrderState.Signed => "FINISH",
        OrderState.Refused => "REFUSE",
        OrderState.Expired => "EXPIRE",
        OrderState.Revoked => "REVOKE",
        _ => "UNSIGN",
    };

    /// <param name="result">Signed PDF orders: the signed PDF (the desk's); DATA / HASH orders take the signature from the progress.</param>
    public static OrderOutcome Of(OrderView view, byte[]? result)
    {
        if (view.State != OrderState.Signed) return new OrderOutcome { View = view };
        if (view.Order.Content != OrderContentKind.Pdf)
            result = view.Progress.DataSignature.Length > 0 ? Convert.FromBase64String(view.Progress.DataSignature) : result;
        var sha = result is not null ? Convert.ToHexStringLower(SHA256.HashData(result)) : view.Progress.ResultSha256;
        return new OrderOutcome { View = view, Result = result, ResultSha256 = sha };
    }
}
