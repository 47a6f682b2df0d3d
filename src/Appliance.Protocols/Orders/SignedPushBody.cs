using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Appliance.Core.Pairing;
using Appliance.Protocols.Security.Management;

namespace Appliance.Protocols.Orders;

/// <summary>
/// A result push's body, signed the seed 004 way (§2.5.3) so its receiver can tell it came from this terminal: the
/// shape's fields, then <c>appId</c> (the order's caller key id), <c>signAlgo</c> <c>HMAC</c>, <c>version</c> <c>1.0</c>,
/// <c>timestamp</c> (Unix ms, when the push was composed) and <c>nonce</c>, and <c>signature</c> = HMAC-SHA256 with the
/// caller's pairing secret over every other non-empty top-level parameter, nested objects as compact JSON
/// (<see cref="RequestSignature.Parameters"/>). The body is stored once and every retry sends the same bytes, so its
/// timestamp is the first try's: a receiver checks the signature and dedupes by nonce or Idempotency-Key, not freshness.
/// </summary>
public static class SignedPushBody
{
    public const string Algorithm = "HMAC", Version = "1.0";

    /// <param name="fields">Writes the shape's members into the open top-level object (no empty strings: seed 004 §2.6).</param>
    public static byte[] Write(Action<Utf8JsonWriter> fields, PairedPc caller, DateTimeOffset now)
    {
        var unsigned = OrderCallRunner.Write(w =>
        {
            w.WriteStartObject();
            fields(w);
            w.WriteString("appId", caller.KeyId);
            w.WriteString("signAlgo", Algorithm);
            w.WriteString("version", Version);
            w.WriteString("timestamp", now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            w.WriteString("nonce", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            w.WriteEndObject();
        });
        string signature;
        using (var document = JsonDocument.Parse(unsigned)) signature = RequestSignature.Sign(document.RootElement, caller.Secret);
        // The signature joins as the last member: the closing brace is replaced (base64 needs no JSON escaping).
        var tail = Encoding.UTF8.GetBytes($",\"{RequestSignature.SignatureParameter}\":\"{signature}\"}}");
        var body = GC.AllocateUninitializedArray<byte>(unsigned.Length - 1 + tail.Length);
        unsigned.AsSpan(0, unsigned.Length - 1).CopyTo(body);
        tail.CopyTo(body.AsSpan(unsigned.Length - 1));
        return body;
    }
}
