using System.Security.Cryptography;
using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Orders.Coss;

/// <summary>
/// Seed 004's signing jobs under <c>/coss/service/v1/</c> on the admin port, signed as /manage is (§2.5.3 plus timestamp
/// and nonce): <c>addSignJob</c> (§3.3.3), <c>getSignResult</c> (§3.4.2.1; any shape's order can be polled, a signed PDF
/// order's PDF comes with it), <c>revokeSignJob</c> (§3.4.2.3). Any other function under the prefix is answered 89000001.
/// </summary>
public sealed class CossEndpoints(OrderDesk desk, OrderCallRunner runner) : IAdminRoutes
{
    public const string Prefix = "/coss/service/v1/";

    public void Map(Router router) => router
        .MapPost(Prefix + "addSignJob", c => runner.RunAsync(c, Function("addSignJob"), BodyLimits.OrderData, CossDialect.Instance, AddSignJob))
        .MapPost(Prefix + "getSignResult", c => runner.RunAsync(c, Function("getSignResult"), BodyLimits.Control, CossDialect.Instance, GetSignResult))
        .MapPost(Prefix + "revokeSignJob", c => runner.RunAsync(c, Function("revokeSignJob"), BodyLimits.Control, CossDialect.Instance, RevokeSignJob))
        .MapPrefix(Microsoft.AspNetCore.Http.HttpMethods.Post, Prefix, c => runner.RunAsync(c, c.Request.Path.Value![1..], BodyLimits.Control, CossDialect.Instance, Unknown));

    /// <summary>The function a path names, as the optional signed <c>command</c> must spell it: the path without its leading '/'.</summary>
    public static string Function(string name) => Prefix[1..] + name;

    private void AddSignJob(OrderCall call, Utf8JsonWriter w)
    {
        var view = desk.Accept(CossJobParser.Parse(call.Body, call.Caller.KeyId));
        Success(w, call, data =>
        {
            data.WriteStartObject();
            data.WriteString("signDataId", view.Id);
            data.WriteString("qrCode", ""); // nothing to scan: the person signs on the terminal itself
            data.WriteEndObject();
        });
    }

    private void GetSignResult(OrderCall call, Utf8JsonWriter w)
    {
        var id = call.Fields.Text("signDataId").Trim();
        if (id.Length == 0) throw OrderCallException.Missing("signDataId");
        var view = desk.Get(call.Caller.KeyId, id);
        var progress = view.Progress;
        var pdf = view.State == OrderState.Signed && view.Order.Content == OrderContentKind.Pdf ? desk.ResultDocument(view) : null;
        Success(w, call, data =>
        {
            data.WriteStartObject();
            data.WriteString("signDataId", view.Id);
            if (progress.DataSignature.Length > 0) data.WriteString("signResult", progress.DataSignature);
            if (progress.Certificate.Length > 0) data.WriteString("signCert", progress.Certificate);
            data.WriteString("jobStatus", OrderOutcome.JobStatusOf(view.State));
            var account = view.Order.Signers.Count > 0 ? view.Order.Signers[0].Account : "";
            if (account.Length > 0) data.WriteString("msspId", account);
            // Ours: the order number, how far it got, why it ended, and a signed PDF order's PDF.
            data.WriteString("orderNumber", view.Order.OrderNumber);
            data.WriteNumber("signersDone", progress.SignersDone);
            data.WriteNumber("signers", view.Order.Signers.Count);
            if (view.State.IsFinal() && view.State != OrderState.Signed) data.WriteString("message", OrderOutcome.Of(view, null).EndMessage);
            if (pdf is not null)
            {
                data.WriteBase64String("signedPdf", pdf);
                data.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(pdf)));
            }
            data.WriteEndObject();
        });
    }

    private void RevokeSignJob(OrderCall call, Utf8JsonWriter w)
    {
        // §3.4.2.3 names it signJobId (the signDataId addSignJob answered); signDataId is read too.
        var id = call.Fields.Text("signJobId").Trim() is { Length: > 0 } job ? job : call.Fields.Text("signDataId").Trim();
        if (id.Length == 0) throw OrderCallException.Missing("signJobId");
        desk.Revoke(call.Caller.KeyId, id);
        Success(w, call, null);
    }

    private static void Unknown(OrderCall call, Utf8JsonWriter w) =>
        throw new OrderCallException(OrderCallProblem.UnknownFunction,
            $"/{call.Function}: the terminal serves addSignJob, getSignResult, revokeSignJob, verifyPdfSeal, verifySign and verifySignData");

    /// <summary><c>{"status":200,"message":"SUCCESS"[,"transId"][,"data"]}</c> (§2.5.2: transId echoes the request's).</summary>
    public static void Success(Utf8JsonWriter w, OrderCall call, Action<Utf8JsonWriter>? data)
    {
        w.WriteStartObject();
        w.WriteNumber("status", 200);
        w.WriteString("message", "SUCCESS");
        if (call.Fields.Text("transId").Trim() is { Length: > 0 } transId) w.WriteString("transId", transId);
        if (data is not null)
        {
            w.WritePropertyName("data");
            data(w);
        }
        w.WriteEndObject();
    }
}
