using System.Text.Json;
using Appliance.Core.Orders;

namespace Appliance.Protocols.Orders;

/// <summary>An order as the operator routes list it: id, number, shape, state, signers, times.</summary>
public static class OrderSummary
{
    public static void Write(Utf8JsonWriter w, OrderView view)
    {
        var order = view.Order;
        w.WriteStartObject();
        w.WriteString("id", order.Id);
        w.WriteString("orderNumber", order.OrderNumber);
        w.WriteString("shape", ShapeName(order.Shape));
        w.WriteString("state", StateName(view.State));
        w.WriteString("jobStatus", OrderOutcome.JobStatusOf(view.State));
        w.WriteNumber("signersDone", view.Progress.SignersDone);
        w.WriteNumber("signers", order.Signers.Count);
        w.WriteString("subject", order.Subject);
        w.WriteString("createdAt", order.CreatedAt);
        w.WriteString("expiresAt", order.ExpiresAt);
        w.WriteString("updatedAt", view.Progress.UpdatedAt);
        if (view.Progress.EndReason.Length > 0) w.WriteString("endReason", view.Progress.EndReason);
        w.WriteEndObject();
    }

    public static string ShapeName(OrderShape shape) => shape switch
    {
        OrderShape.WoSign => "wosign",
        OrderShape.InfoPlus => "infoplus",
        _ => "coss",
    };

    public static string StateName(OrderState state) => state switch
    {
        OrderState.Waiting => "waiting",
        OrderState.Signing => "signing",
        OrderState.Signed => "signed",
        OrderState.Refused => "refused",
        OrderState.Expired => "expired",
        _ => "revoked",
    };
}
