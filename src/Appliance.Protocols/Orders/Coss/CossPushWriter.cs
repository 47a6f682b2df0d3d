using System.Text.Json;

namespace Appliance.Protocols.Orders.Coss;

/// <summary>
/// Seed 004 §3.3.3's callback: <c>{signJobId, status (FINISH / REFUSE / EXPIRE / REVOKE), msspId (the signer's userId),
/// signResult, signCert}</c> (empty values left out, §2.6), plus <c>transId</c> (the order number) and, when unsigned,
/// <c>message</c>. Taken when the receiver answers <c>{"status":200}</c>.
/// </summary>
public static class CossPushWriter
{
    public static Action<Utf8JsonWriter> Fields(OrderOutcome outcome) => w =>
    {
        var view = outcome.View;
        w.WriteString("signJobId", view.Id);
        w.WriteString("status", outcome.JobStatus);
        var account = view.Order.Signers.Count > 0 ? view.Order.Signers[0].Account : "";
        if (account.Length > 0) w.WriteString("msspId", account);
        if (outcome.Signed && view.Progress.DataSignature.Length > 0) w.WriteString("signResult", view.Progress.DataSignature);
        if (outcome.Signed && view.Progress.Certificate.Length > 0) w.WriteString("signCert", view.Progress.Certificate);
        w.WriteString("transId", view.Order.OrderNumber);
        if (!outcome.Signed) w.WriteString("message", outcome.EndMessage);
    };
}
