using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Orders.InfoPlus;

/// <summary>
/// <c>POST /orders/infoplus</c> on the admin port: seed 001's Signature (plus <c>content</c>), signed as /manage is.
/// Answers <c>{"errno":0,"error":"","entities":[Signature],"signid":ID}</c>; the result goes to
/// <c>POST {callbackUrl}/signature/{id}</c> (<see cref="InfoPlusPushWriter"/>) when the order names a callbackUrl.
/// </summary>
public sealed class InfoPlusEndpoints(OrderDesk desk, OrderCallRunner runner) : IAdminRoutes
{
    public const string Path = "/orders/infoplus";

    public void Map(Router router) =>
        router.MapPost(Path, c => runner.RunAsync(c, Path[1..], BodyLimits.Order, InfoPlusDialect.Instance, Create));

    private void Create(OrderCall call, Utf8JsonWriter w)
    {
        var view = desk.Accept(InfoPlusSignatureParser.Parse(call.Body, call.Caller.KeyId));
        w.WriteStartObject();
        w.WriteNumber("errno", 0);
        w.WriteString("error", "");
        w.WriteStartArray("entities");
        w.WriteRawValue(view.Order.ShapeJson.Length > 0 ? view.Order.ShapeJson : "{}");
        w.WriteEndArray();
        w.WriteString("signid", view.Id);
        w.WriteEndObject();
    }
}
