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
        .MapPost(Prefix + "getSignResult", c => runner.RunAsync(c, Function("getSignResult"), BodyLimits.Control, CossDialect.Instance, GetSignResultAsync))
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

    /// <summary>Of the signed PDF, this much goes into each base64 segment of a streamed answer before a flush (64 KiB of base64).</summary>
    private const int PdfSegment = 48 * 1024;

    /// <summary>
    /// §3.4.2.1. A signed PDF order's answer carries its PDF (up to ~32 MiB of base64): the call first takes one of the
    /// process's large-body turns (<see cref="BodyLimits.LargeBodies"/>, refused busy when none comes within
    /// <see cref="BodyLimits.UploadWait"/>) before the PDF is read, and when the PDF is over <see cref="BodyLimits.Control"/>
    /// the answer is written straight over the response body, its base64 in segments, holding the turn until written.
    /// </summary>
    private async Task<OrderAnswer> GetSignResultAsync(OrderCall call, CancellationToken cancel)
    {
        var id = call.Fields.Text("signDataId").Trim();
        if (id.Length == 0) throw OrderCallException.Missing("signDataId");
        var view = desk.Get(call.Caller.KeyId, id);
        var transId = TransId(call); // the body is gone when a streamed answer is written
        if (view.State != OrderState.Signed || view.Order.Content != OrderContentKind.Pdf)
            return OrderAnswer.Built(w => Success(w, transId, data =>
            {
                WriteSignResult(data, view);
                data.WriteEndObject();
            }));

        if (!await BodyLimits.LargeBodies.WaitAsync(BodyLimits.UploadWait, cancel).ConfigureAwait(false))
            throw new OrderCallException(OrderCallProblem.UploadsBusy, "繁忙，请稍后重试 / too many large transfers at once, try again shortly");
        var holds = true;
        try
        {
            var pdf = desk.ResultDocument(view);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(pdf));
            if (pdf.Length <= BodyLimits.Control)
                return OrderAnswer.Built(w => Success(w, transId, data =>
                {
                    WriteSignResult(data, view);
                    data.WriteBase64String("signedPdf", pdf);
                    data.WriteString("sha256", sha256);
                    data.WriteEndObject();
                }));
            var answer = OrderAnswer.Streamed(async (w, ct) =>
            {
                WriteSuccessHead(w, transId);
                w.WritePropertyName("data");
                WriteSignResult(w, view);
                w.WritePropertyName("signedPdf");
                var at = 0;
                do
                {
                    var length = Math.Min(PdfSegment, pdf.Length - at);
                    w.WriteBase64StringSegment(pdf.AsSpan(at, length), isFinalSegment: at + length == pdf.Length);
                    at += length;
                    await w.FlushAsync(ct).ConfigureAwait(false);
                }
                while (at < pdf.Length);
                w.WriteString("sha256", sha256);
                w.WriteEndObject();
                w.WriteEndObject();
            }, () => BodyLimits.LargeBodies.Release());
            holds = false; // the answer holds the turn now
            return answer;
        }
        finally
        {
            if (holds) BodyLimits.LargeBodies.Release();
        }
    }

    /// <summary>getSignResult's <c>data</c> object, opened and left open, up to where a signed PDF goes.</summary>
    private static void WriteSignResult(Utf8JsonWriter data, OrderView view)
    {
        var progress = view.Progress;
        data.WriteStartObject();
        data.WriteString("signDataId", view.Id);
        if (progress.DataSignature.Length > 0) data.WriteString("signResult", progress.DataSignature);
        if (progress.Certificate.Length > 0) data.WriteString("signCert", progress.Certificate);
        data.WriteString("jobStatus", OrderOutcome.JobStatusOf(view.State));
        var account = view.Order.Signers.Count > 0 ? view.Order.Signers[0].Account : "";
        if (account.Length > 0) data.WriteString("msspId", account);
        // Ours: the order number, how far it got, why it ended, and (after this) a signed PDF order's PDF.
        data.WriteString("orderNumber", view.Order.OrderNumber);
        data.WriteNumber("signersDone", progress.SignersDone);
        data.WriteNumber("signers", view.Order.Signers.Count);
        if (view.State.IsFinal() && view.State != OrderState.Signed) data.WriteString("message", OrderOutcome.Of(view, null).EndMessage);
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
    public static void Success(Utf8JsonWriter w, OrderCall call, Action<Utf8JsonWriter>? data) => Success(w, TransId(call), data);

    private static void Success(Utf8JsonWriter w, string transId, Action<Utf8JsonWriter>? data)
    {
        WriteSuccessHead(w, transId);
        if (data is not null)
        {
            w.WritePropertyName("data");
            data(w);
        }
        w.WriteEndObject();
    }

    /// <summary>The success object opened: status, message and the request's transId (when it had one).</summary>
    private static void WriteSuccessHead(Utf8JsonWriter w, string transId)
    {
        w.WriteStartObject();
        w.WriteNumber("status", 200);
        w.WriteString("message", "SUCCESS");
        if (transId.Length > 0) w.WriteString("transId", transId);
    }

    private static string TransId(OrderCall call) => call.Fields.Text("transId").Trim();
}
