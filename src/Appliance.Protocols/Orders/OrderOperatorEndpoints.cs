using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Appliance.Protocols.Orders.Coss;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Orders;

/// <summary>
/// The caller's own orders, signed as /manage is: <c>POST /orders/start</c> {signid} puts a waiting order's next signer
/// on the counter, <c>POST /orders/revoke</c> {signid} withdraws one, <c>POST /orders/list</c> {count?} lists the
/// caller's orders newest first (100 by default, 1000 at most). Only the PC that placed an order sees or moves it
/// (another's is "unknown", 89003002). Answers as /manage: <c>{"status":"200","message":"SUCCESS","data":…}</c>, errors in
/// seed 004's codes (<see cref="CossDialect"/>).
/// </summary>
public sealed class OrderOperatorEndpoints(OrderDesk desk, OrderStore store, OrderCallRunner runner) : IAdminRoutes
{
    public const int DefaultListCount = 100, MaxListCount = 1000;

    public void Map(Router router) => router
        .MapPost("/orders/start", c => runner.RunAsync(c, "orders/start", BodyLimits.Control, CossDialect.Instance, Start))
        .MapPost("/orders/revoke", c => runner.RunAsync(c, "orders/revoke", BodyLimits.Control, CossDialect.Instance, Revoke))
        .MapPost("/orders/list", c => runner.RunAsync(c, "orders/list", BodyLimits.Control, CossDialect.Instance, List));

    private void Start(OrderCall call, Utf8JsonWriter w) => Answer(w, desk.Start(call.Caller.KeyId, SignId(call)));

    private void Revoke(OrderCall call, Utf8JsonWriter w) => Answer(w, desk.Revoke(call.Caller.KeyId, SignId(call)));

    private void List(OrderCall call, Utf8JsonWriter w)
    {
        var count = call.Fields.Integer("count") ?? DefaultListCount;
        if (count < 1 || count > MaxListCount) throw call.Fields.Bad("count", $"expected 1..{MaxListCount}");
        var mine = store.List().Where(o => o.Order.Caller == call.Caller.KeyId).OrderByDescending(o => o.Order.CreatedAt).ToList();
        Success(w, data =>
        {
            data.WriteStartObject();
            data.WriteNumber("total", mine.Count);
            data.WriteStartArray("orders");
            foreach (var view in mine.Take((int)count)) OrderSummary.Write(data, view);
            data.WriteEndArray();
            data.WriteEndObject();
        });
    }

    private static string SignId(OrderCall call) =>
        call.Fields.Text("signid").Trim() is { Length: > 0 } id ? id : throw OrderCallException.Missing("signid");

    private static void Answer(Utf8JsonWriter w, OrderView view) => Success(w, data => OrderSummary.Write(data, view));

    private static void Success(Utf8JsonWriter w, Action<Utf8JsonWriter> data)
    {
        w.WriteStartObject();
        w.WriteString("status", "200");
        w.WriteString("message", "SUCCESS");
        w.WritePropertyName("data");
        data(w);
        w.WriteEndObject();
    }
}
