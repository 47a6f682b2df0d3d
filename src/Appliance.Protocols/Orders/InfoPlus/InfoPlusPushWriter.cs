using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Wire;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Orders.InfoPlus;

/// <summary>
/// Seed 001 [S2] <c>POST {callbackUrl}/signature/{id}</c>: the order's Signature object echoed (as it came, without
/// content) with each seal of a signed order filled: <c>signature</c> = that signer's PDF signature value (base64, read
/// back from the final PDF, where the order's signatures are the last ones, in signer order), <c>algorithm</c> = its
/// algorithm (<c>SM3WithSM2</c>, …), <c>image</c> = the signer's handwriting as a <c>data:image/png;base64,</c> URI.
/// Ours beside it: <c>signid</c>, <c>state</c> (FINISH / REFUSE / EXPIRE / REVOKE), and <c>content</c> (the signed PDF,
/// base64) with <c>hash</c> (its SHA-256 hex) when signed, or <c>message</c> when not. Any 2xx answer takes it.
/// </summary>
public sealed class InfoPlusPushWriter(OrderStore store, ISignatureVerifier verifier, ILogger log)
{
    /// <summary>A seal's members the push fills (names as <see cref="WireName.Normalize"/> reads them).</summary>
    private static readonly HashSet<string> Filled = new(["signature", "algorithm", "image"], StringComparer.Ordinal);

    /// <summary>Top-level members the push writes itself: an echoed member of the same name would be a second value.</summary>
    private static readonly HashSet<string> Written = new(
        ["signid", "state", "content", "hash", "message", "appid", "signalgo", "version", "timestamp", "nonce", "signature"], StringComparer.Ordinal);

    public static string Url(SigningOrder order) =>
        order.CallbackUrl.TrimEnd('/') + "/signature/" + Uri.EscapeDataString(order.OrderNumber);

    public Action<Utf8JsonWriter> Fields(OrderOutcome outcome)
    {
        var view = outcome.View;
        var seals = outcome.Signed ? SealsOf(outcome) : null;
        return w =>
        {
            using var signature = JsonDocument.Parse(view.Order.ShapeJson.Length > 0 ? view.Order.ShapeJson : "{}");
            foreach (var member in signature.RootElement.EnumerateObject())
            {
                if (WireName.Normalize(member.Name) == "seals" && member.Value.ValueKind == JsonValueKind.Array && seals is not null)
                {
                    w.WriteStartArray("seals");
                    foreach (var seal in member.Value.EnumerateArray()) WriteSeal(w, seal, seals);
                    w.WriteEndArray();
                    continue;
                }
                if (!Written.Contains(WireName.Normalize(member.Name))) member.WriteTo(w);
            }
            w.WriteString("signid", view.Id);
            w.WriteString("state", outcome.JobStatus);
            if (outcome.Signed)
            {
                w.WriteBase64String("content", outcome.Result);
                w.WriteString("hash", outcome.ResultSha256);
            }
            else w.WriteString("message", outcome.EndMessage);
        };
    }

    /// <summary>What each signer's seals are filled with, by account.</summary>
    private sealed record SealFill(string Signature, string Algorithm, string Image);

    private Dictionary<string, SealFill> SealsOf(OrderOutcome outcome)
    {
        var view = outcome.View;
        var signers = view.Order.Signers;
        IReadOnlyList<PdfSignatureCheck> checks = [];
        try
        {
            if (outcome.Result is { } pdf) checks = verifier.VerifyPdf(pdf);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the reader trips on (a signature the caller's PDF already carried, a parser's own exception), the
            // result is still pushed: its seals just go without signature values.
            log.LogWarning(e, "order {Order}: its signed PDF's signatures could not be read back ({Reason}); the seals go without them", view.Id, e.Message);
        }
        // The order's signatures are the document's last ones (a PDF may arrive signed already), one per signer, in order.
        var offset = checks.Count - signers.Count;
        var fills = new Dictionary<string, SealFill>(StringComparer.Ordinal);
        for (var k = 0; k < signers.Count; k++)
        {
            var check = offset >= 0 ? checks[offset + k] : null;
            var file = view.Progress.Signed.FirstOrDefault(r => r.Signer == k)?.SignatureFile is { Length: > 0 } f ? f : OrderStore.SignatureName(k);
            var image = "";
            try
            {
                image = "data:image/png;base64," + Convert.ToBase64String(store.ReadFile(view.Id, file));
            }
            catch (IOException e)
            {
                log.LogWarning("order {Order}: signer {Signer}'s handwriting {File} could not be read ({Reason}); their seals go without an image", view.Id, k, file, e.Message);
            }
            fills.TryAdd(signers[k].Account, new SealFill(
                check is null ? "" : Convert.ToBase64String(check.SignatureValue), check?.SignatureAlgorithm ?? "", image));
        }
        return fills;
    }

    /// <summary>
    /// A seal's <c>signer.account</c> read as <see cref="InfoPlusSignatureParser"/> read it (<see cref="OrderFields.Text"/>:
    /// a string, or a number's text), so the account matches its signer's; "" when the seal names none readable.
    /// </summary>
    private static string AccountOf(JsonElement seal)
    {
        try
        {
            return new OrderFields(seal).Object("signer")?.Text("account").Trim() ?? "";
        }
        catch (OrderException)
        {
            return ""; // not an object, or an account that is one: the seal is echoed as it came
        }
    }

    private static void WriteSeal(Utf8JsonWriter w, JsonElement seal, Dictionary<string, SealFill> fills)
    {
        if (seal.ValueKind != JsonValueKind.Object)
        {
            seal.WriteTo(w);
            return;
        }
        fills.TryGetValue(AccountOf(seal), out var fill);
        w.WriteStartObject();
        foreach (var member in seal.EnumerateObject())
            if (fill is null || !Filled.Contains(WireName.Normalize(member.Name))) member.WriteTo(w);
        if (fill is not null)
        {
            w.WriteString("signature", fill.Signature);
            w.WriteString("algorithm", fill.Algorithm);
            w.WriteString("image", fill.Image);
        }
        w.WriteEndObject();
    }
}
