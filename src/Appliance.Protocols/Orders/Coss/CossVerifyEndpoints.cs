using System.Globalization;
using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Appliance.Protocols.Wire;

namespace Appliance.Protocols.Orders.Coss;

/// <summary>
/// Seed 004's verification calls under <c>/coss/service/v1/</c>, signed as /manage is: <c>verifyPdfSeal</c> (§3.4.8.3,
/// every signature of a PDF), <c>verifySign</c> (§3.4.4.1, a data signature: 200 or 89003019) and <c>verifySignData</c>
/// (§3.4.9.3, DATA or HASH: 200 with <c>data</c> true or false).
/// </summary>
public sealed class CossVerifyEndpoints(ISignatureVerifier verifier, OrderCallRunner runner) : IAdminRoutes
{
    /// <summary>A signature value or a certificate (base64) is at most this large.</summary>
    public const int MaxSignatureBytes = 64 * 1024;

    public const string NoSignature = "文档中没有签名 / the document has no signature";
    public const string ChangedAfterLastSignature = "最后一个签名之后文档被修改 / the document was changed after its last signature";

    public void Map(Router router) => router
        .MapPost(CossEndpoints.Prefix + "verifyPdfSeal", c => runner.RunAsync(c, CossEndpoints.Function("verifyPdfSeal"), BodyLimits.Order, CossDialect.Instance, VerifyPdfSeal))
        .MapPost(CossEndpoints.Prefix + "verifySign", c => runner.RunAsync(c, CossEndpoints.Function("verifySign"), BodyLimits.OrderData, CossDialect.Instance, VerifySign))
        .MapPost(CossEndpoints.Prefix + "verifySignData", c => runner.RunAsync(c, CossEndpoints.Function("verifySignData"), BodyLimits.OrderData, CossDialect.Instance, VerifySignData));

    private void VerifyPdfSeal(OrderCall call, Utf8JsonWriter w)
    {
        var f = call.Fields;
        var pdf = Base64(f, "pdfFileStr", BodyLimits.Document);
        // signSealType (BJCA_SM2 by default) and certChainStr are accepted: each signature names its own algorithm and
        // carries its chain, and the check is of the signature over the bytes it covers, not of trust in its issuer.
        var checks = verifier.VerifyPdf(pdf);
        var last = checks.Count > 0 ? checks[^1] : null;
        var allValid = checks.Count > 0 && checks.All(c => c.Valid) && last!.CoversWholeDocument;
        w.WriteStartObject();
        w.WriteNumber("status", 200);
        w.WriteString("message", checks.Count == 0 ? NoSignature : "SUCCESS");
        w.WriteStartObject("data");
        w.WriteString("statusCode", allValid ? "200" : CossDialect.VerifyFailed);
        w.WriteStartArray("message");
        foreach (var check in checks) WriteCheck(w, check, changedAfter: ReferenceEquals(check, last) && !check.CoversWholeDocument);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteCheck(Utf8JsonWriter w, PdfSignatureCheck check, bool changedAfter)
    {
        w.WriteStartObject();
        w.WriteString("statusCode", check.Valid && !changedAfter ? "200" : CossDialect.VerifyFailed);
        w.WriteString("fieldName", check.FieldName);
        w.WriteStartArray("errInfos");
        foreach (var error in check.Errors) w.WriteStringValue(error);
        if (changedAfter) w.WriteStringValue(ChangedAfterLastSignature);
        w.WriteEndArray();
        w.WriteString("signAlg", check.SignatureAlgorithm);
        w.WriteBase64String("sigValue", check.SignatureValue);
        w.WriteString("signDate", Date(check.SignedAt));
        w.WriteStartArray("signCerts");
        foreach (var certificate in check.Certificates) w.WriteBase64StringValue(certificate);
        w.WriteEndArray();
        w.WriteString("commonName", check.CommonName);
        w.WriteStartArray("certDNs");
        foreach (var dn in check.CertificateDns) w.WriteStringValue(dn);
        w.WriteEndArray();
        w.WriteString("certSN", check.CertificateSerial);
        w.WriteString("extendsData", "");
        w.WriteBoolean("isTss", check.HasTimestamp);
        w.WriteString("timeStampDate", Date(check.TimestampedAt));
        w.WriteNumber("pageNo", check.Page);
        w.WriteString("sealImg", ""); // the terminal does not cut the appearance out of the page
        w.WriteEndObject();
    }

    private void VerifySign(OrderCall call, Utf8JsonWriter w)
    {
        var f = call.Fields;
        var algorithm = Required(f, "signAlg");
        var plain = Base64(f, "plain", OrderLimits.MaxDataBytes);
        var value = Base64(f, "signValue", MaxSignatureBytes);
        var certificate = Base64(f, "cert", MaxSignatureBytes);
        if (!verifier.VerifyData(plain, OrderContentKind.Data, algorithm, value, certificate))
        {
            CossDialect.Instance.WriteError(w, new OrderRefusal(CossDialect.VerifyFailed, "VerifyFailed", "验签失败 / the signature does not verify"));
            return;
        }
        CossEndpoints.Success(w, call, null);
    }

    private void VerifySignData(OrderCall call, Utf8JsonWriter w)
    {
        var f = call.Fields;
        var kind = Required(f, "inDataType").ToUpperInvariant() switch
        {
            "DATA" => OrderContentKind.Data,
            "HASH" => OrderContentKind.Hash,
            "WEB_SEAL" => throw f.Bad("inDataType", "WEB_SEAL (网页签章) is not supported on a terminal: DATA or HASH"),
            var other => throw f.Bad("inDataType", $"DATA or HASH, found \"{(other.Length <= 40 ? other : other[..40])}\""),
        };
        var data = Base64(f, "inData", OrderLimits.MaxDataBytes);
        var algorithm = Required(f, "signAlg");
        var value = Base64(f, "signValue", MaxSignatureBytes);
        var certificate = Base64(f, "cert", MaxSignatureBytes);
        var valid = verifier.VerifyData(data, kind, algorithm, value, certificate);
        CossEndpoints.Success(w, call, d => d.WriteBooleanValue(valid));
    }

    private static string Required(OrderFields f, string name) =>
        f.Text(name).Trim() is { Length: > 0 } text ? text : throw f.Bad(name, "required");

    private static byte[] Base64(OrderFields f, string name, int maxBytes) =>
        f.Base64(name, maxBytes,
            notBase64: m => OrderCallException.Shape(CossDialect.NotBase64, "参数非 BASE64 编码 / " + m),
            tooLarge: m => OrderCallException.Shape(CossDialect.DataTooLong, "数据超出允许的长度 / " + m))
        ?? throw f.Bad(name, "required (base64)");

    /// <summary>ISO 8601 with the offset, as the terminal writes times; "" when unknown.</summary>
    private static string Date(DateTimeOffset? at) =>
        at is { } t ? t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) : "";
}
