using System.Net;
using System.Text.Json;
using Appliance.Core.Audit;
using Appliance.Core.Pairing;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Http;
using Appliance.Protocols.Security.Tls;
using Appliance.Protocols.Wire;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.Security.Management;

/// <summary>
/// The management API on the admin port. <c>POST /pair/request</c> and <c>/pair/confirm</c> bootstrap a
/// credential; every <c>POST /manage/COMMAND</c> is signed (seed 004 §2.5.3) with the PC's secret and
/// carries <c>appId</c> (the key id), <c>command</c>, <c>timestamp</c> and <c>nonce</c> (<see cref="SignedCallAuthenticator"/>,
/// shared with the order routes). Answers are
/// <c>{"status","message","data"}</c> as in seed 004 §2.5.2.
/// </summary>
public sealed class ManagementEndpoints(PairingService pairing, DeviceCertificate certificate, AuditLog audit, SignedCallAuthenticator authenticator, TimeProvider clock) : IAdminRoutes
{
    private const int MaxBody = 64 * 1024;

    public void Map(Router router) => router
        .MapPost("/pair/request", c => Run(c, "pair-request", signed: false, PairRequest))
        .MapPost("/pair/confirm", c => Run(c, "pair-confirm", signed: false, PairConfirm))
        .MapPrefix(HttpMethods.Post, "/manage/", c => Run(c, c.Request.Path.Value!["/manage/".Length..], signed: true, Manage));

    private delegate void Handler(Request request, Utf8JsonWriter data);

    private sealed record Request(string Command, Dictionary<string, string> Parameters, string Address, PairedPc? Pc)
    {
        public string Require(string name) => Parameters.TryGetValue(name, out var v) && v.Length > 0 ? v
            : throw new ManagementException(ManagementStatus.BadParameter, $"{name}: required");
    }

    private async Task Run(HttpContext context, string command, bool signed, Handler handler)
    {
        var address = AccessGate.RemoteAddress(context).ToString();
        PairedPc? pc = null;
        string status = ManagementStatus.Success, message = "SUCCESS";
        var httpStatus = StatusCodes.Status200OK;
        var buffer = new MemoryStream();
        try
        {
            var body = await ReadBody(context).ConfigureAwait(false);
            var parameters = RequestSignature.Parameters(body).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            if (signed) pc = authenticator.Authenticate(body, command, commandRequired: true);
            using var data = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            data.WriteStartObject();
            handler(new Request(command, parameters, address, pc), data);
            data.WriteEndObject();
        }
        catch (ManagementException e) { (status, message, httpStatus) = (e.Status, e.Message, e.HttpStatus); }
        catch (PairingException e)
        {
            (status, httpStatus) = e.Failure switch
            {
                PairingFailure.WrongCode => (ManagementStatus.WrongPairingCode, 403),
                PairingFailure.LockedOut => (ManagementStatus.PairingLockedOut, 429),
                PairingFailure.TooFast => (ManagementStatus.TooManyAttempts, 429),
                PairingFailure.UnknownKey => (ManagementStatus.UnknownKeyId, 404),
                PairingFailure.Full => (ManagementStatus.PairingListFull, 409),
                _ => (ManagementStatus.NoPairingRequest, 404),
            };
            message = e.Message;
            if (e.RetryAfter is { } retry) context.Response.Headers.RetryAfter = Math.Ceiling(retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        audit.Record(new AuditEntry(clock.GetUtcNow(), pc?.KeyId ?? "", address, context.Request.Headers.Origin.ToString(), "Admin", command,
            status == ManagementStatus.Success ? "ok" : $"{status} {message}"));

        context.Response.StatusCode = httpStatus;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var w = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("status", status);
        w.WriteString("message", message);
        if (status == ManagementStatus.Success)
        {
            w.WritePropertyName("data");
            w.WriteRawValue(buffer.ToArray());
        }
        w.WriteEndObject();
    }

    private static async Task<JsonElement> ReadBody(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBody) throw new ManagementException(ManagementStatus.BadParameter, $"body larger than {MaxBody} bytes", 413);
        var buffer = new MemoryStream();
        // Copied only up to one byte past the limit: a chunked body of any size is never held whole.
        var chunk = new byte[16 * 1024];
        int n;
        while (buffer.Length <= MaxBody && (n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            buffer.Write(chunk, 0, n);
        if (buffer.Length > MaxBody) throw new ManagementException(ManagementStatus.BadParameter, $"body larger than {MaxBody} bytes", 413);
        if (buffer.Length == 0) return JsonDocument.Parse("{}").RootElement;
        try
        {
            var bytes = buffer.ToArray();
            WireJson.ThrowIfUnreadable(bytes); // a lone surrogate or bad UTF-8 is a bad parameter, not an unhandled exception
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ManagementException(ManagementStatus.BadParameter, "body: expected a JSON object");
            return doc.RootElement.Clone();
        }
        catch (JsonException e) { throw new ManagementException(ManagementStatus.BadParameter, "body: not JSON: " + e.Message); }
    }

    private void PairRequest(Request r, Utf8JsonWriter data)
    {
        var name = r.Parameters.GetValueOrDefault("name") ?? "";
        if (name.Length is 0 or > 64) throw new ManagementException(ManagementStatus.BadParameter, "name: the PC's name, 1..64 characters");
        var shown = pairing.Request(name, r.Address);
        data.WriteString("requestId", shown.RequestId);
        data.WriteString("expiresAt", shown.ExpiresAt);
        data.WriteString("fingerprint", certificate.Fingerprint);
    }

    private void PairConfirm(Request r, Utf8JsonWriter data)
    {
        var pc = pairing.Confirm(r.Require("requestId"), r.Require("code"), r.Address);
        data.WriteString("keyId", pc.KeyId);
        data.WriteString("secret", pc.Secret);
        data.WriteString("fingerprint", certificate.Fingerprint);
    }

    private void Manage(Request r, Utf8JsonWriter data)
    {
        switch (r.Command)
        {
            case "list":
                data.WriteStartArray("pairings");
                foreach (var p in pairing.Store.List())
                {
                    data.WriteStartObject();
                    data.WriteString("keyId", p.KeyId);
                    data.WriteString("name", p.Name);
                    data.WriteString("address", p.Address);
                    data.WriteString("pairedAt", p.PairedAt);
                    data.WriteEndObject();
                }
                data.WriteEndArray();
                break;
            case "unpair":
                pairing.Store.Revoke(r.Pc!.KeyId);
                data.WriteString("revoked", r.Pc.KeyId);
                break;
            case "revoke":
                var keyId = r.Require("keyId");
                if (!pairing.Store.Revoke(keyId)) throw new PairingException(PairingFailure.UnknownKey, $"keyId {keyId}: no such pairing");
                data.WriteString("revoked", keyId);
                break;
            case "csr":
                data.WriteString("csr", certificate.CreateSigningRequest());
                break;
            case "import-cert":
                try { certificate.Import(r.Require("certificate")); }
                catch (ArgumentException e) { throw new ManagementException(ManagementStatus.CertificateMismatch, e.Message); }
                WriteTls(data);
                break;
            case "tls":
                WriteTls(data);
                break;
            case "audit":
                var count = int.TryParse(r.Parameters.GetValueOrDefault("count"), out var n) ? Math.Clamp(n, 1, 1000) : 50;
                data.WriteStartArray("entries");
                foreach (var line in audit.Tail(count)) data.WriteRawValue(line);
                data.WriteEndArray();
                break;
            default:
                throw new ManagementException(ManagementStatus.UnknownCommand, $"unknown management command \"{r.Command}\": list, unpair, revoke, csr, import-cert, tls, audit", 404);
        }
    }

    private void WriteTls(Utf8JsonWriter data)
    {
        data.WriteString("fingerprint", certificate.Fingerprint);
        data.WriteString("subject", certificate.Current.Subject);
        data.WriteString("issuer", certificate.Current.Issuer);
        data.WriteBoolean("selfSigned", certificate.IsSelfSigned);
        data.WriteString("notAfter", certificate.Current.NotAfter.ToUniversalTime());
    }
}
