using Appliance.Core.Orders;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Orders.WoSign;

/// <summary>
/// <c>POST /orders/wosign</c> on the admin port: seed 002 <c>CreateSignOrder</c>, signed as /manage is. Answers
/// <c>{"status":1,"errorcode":0,"signid":ID,"orderNumber":N}</c>; the result goes back as <c>PushSignedDoc</c>
/// (<see cref="WoSignPushWriter"/>) when the order names a callbackUrl.
/// </summary>
public sealed class WoSignEndpoints(OrderDesk desk, OrderCallRunner runner) : IAdminRoutes
{
    public const string Path = "/orders/wosign";

    public void Map(Router router) =>
        router.MapPost(Path, c => runner.RunAsync(c, Path[1..], BodyLimits.Order, WoSignDialect.Instance, Create));

    private void Create(OrderCall call, System.Text.Json.Utf8JsonWriter w)
    {
        var view = desk.Accept(WoSignOrderParser.Parse(call.Body, call.Caller.KeyId));
        w.WriteStartObject();
        w.WriteNumber("status", 1);
        w.WriteNumber("errorcode", 0);
        w.WriteString("signid", view.Id);
        w.WriteString("orderNumber", view.Order.OrderNumber);
        w.WriteEndObject();
    }
}
