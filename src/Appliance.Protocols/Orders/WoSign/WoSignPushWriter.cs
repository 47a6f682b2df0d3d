using System.Text.Json;

namespace Appliance.Protocols.Orders.WoSign;

/// <summary>
/// Seed 002 §3.2 <c>PushSignedDoc</c>: <c>{"actiontype":"PushSignedDoc","status":1,"errorcode":"0","extendData":{signid,
/// ordernumber, content (the signed PDF, base64), hash (SHA-256 hex of content's bytes)}}</c>. An order that ended
/// unsigned is pushed too (ours): status 0, errorcode its seed-004 end code (<see cref="OrderOutcome.EndCode"/>), and
/// extendData without content but with <c>state</c> (REFUSE / EXPIRE / REVOKE) and <c>message</c>. Taken when the
/// receiver answers 1 (<see cref="Core.Orders.PushAcceptance.BodyIsOne"/>).
/// </summary>
public static class WoSignPushWriter
{
    public const string PushSignedDoc = "PushSignedDoc";

    public static Action<Utf8JsonWriter> Fields(OrderOutcome outcome) => w =>
    {
        var view = outcome.View;
        w.WriteString("actiontype", PushSignedDoc);
        w.WriteNumber("status", outcome.Signed ? 1 : 0);
        w.WriteString("errorcode", outcome.EndCode);
        w.WriteStartObject("extendData");
        w.WriteString("signid", view.Id);
        w.WriteString("ordernumber", view.Order.OrderNumber);
        if (outcome.Signed)
        {
            w.WriteBase64String("content", outcome.Result);
            w.WriteString("hash", outcome.ResultSha256);
        }
        else
        {
            w.WriteString("state", outcome.JobStatus);
            w.WriteString("message", outcome.EndMessage);
        }
        w.WriteEndObject();
    };
}
