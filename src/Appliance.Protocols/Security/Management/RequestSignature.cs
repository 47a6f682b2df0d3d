using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Appliance.Protocols.Security.Management;

/// <summary>
/// The request signature of seed 004 §2.5.3: every parameter with a non-empty value, sorted by name in
/// ASCII order, joined as <c>key1=value1&amp;key2=value2…</c> (stringA); HMAC-SHA256 over it with the PC's
/// secret; Base64. The <c>signature</c> parameter itself is never signed.
/// Seed 004 §2.5.4 gives a worked stringA and the resulting signature but not the secret key behind it, so the
/// tests check stringA byte for byte and the HMAC against RFC 4231's published vectors instead.
/// </summary>
public static class RequestSignature
{
    public const string SignatureParameter = "signature";

    public static string StringToSign(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join("&", parameters
            .Where(p => p.Key != SignatureParameter && !string.IsNullOrEmpty(p.Value))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));

    public static string Sign(string stringToSign, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));

    public static bool Verify(string stringToSign, string secret, string signature)
    {
        byte[] given;
        try { given = Convert.FromBase64String(signature); }
        catch (FormatException) { return false; }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The parameters of a JSON request body: strings as they are, numbers and booleans as written, nested values as compact JSON.</summary>
    public static List<KeyValuePair<string, string>> Parameters(JsonElement body)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (body.ValueKind != JsonValueKind.Object) return list;
        foreach (var p in body.EnumerateObject()) list.Add(new(p.Name, Scalar(p.Value) ?? p.Value.GetRawText()));
        return list;
    }

    /// <summary>A parameter's value as it is signed: a string as it is, a number or boolean as written, null as ""; null for an object or array.</summary>
    public static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };

    /// <summary>
    /// The signature of a JSON body's top-level parameters, byte for byte what <see cref="Sign(string, string)"/> gives for
    /// <see cref="StringToSign"/> of <see cref="Parameters"/> (the last value of a repeated name counts), but computed as the
    /// body is walked: a 32 MiB base64 document is hashed from the body's own UTF-8 bytes, never copied into a string.
    /// </summary>
    public static string Sign(JsonElement body, string secret) => Convert.ToBase64String(Hmac(body, secret));

    public static bool Verify(JsonElement body, string secret, string signature)
    {
        byte[] given;
        try { given = Convert.FromBase64String(signature); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(Hmac(body, secret), given);
    }

    private static byte[] Hmac(JsonElement body, string secret)
    {
        var last = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (body.ValueKind == JsonValueKind.Object)
            foreach (var p in body.EnumerateObject()) last[p.Name] = p.Value;
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        var first = true;
        foreach (var (name, value) in last.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name == SignatureParameter || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) continue;
            var raw = JsonMarshal.GetRawUtf8Value(value);
            if (value.ValueKind == JsonValueKind.String)
            {
                raw = raw[1..^1]; // the quotes
                if (raw.IndexOf((byte)'\\') >= 0) raw = Encoding.UTF8.GetBytes(value.GetString() ?? "");
            }
            if (raw.IsEmpty) continue;
            if (!first) hmac.AppendData("&"u8);
            first = false;
            hmac.AppendData(Encoding.UTF8.GetBytes(name));
            hmac.AppendData("="u8);
            hmac.AppendData(raw);
        }
        return hmac.GetHashAndReset();
    }

    /// <summary>Adds the common parameters and the signature to a request (what the CLI sends).</summary>
    public static Dictionary<string, string> SignRequest(string keyId, string secret, string command, IEnumerable<KeyValuePair<string, string>> parameters, DateTimeOffset now)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["version"] = "1.0",
            ["appId"] = keyId,
            ["signAlgo"] = "HMAC",
            ["command"] = command,
            ["timestamp"] = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["nonce"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        foreach (var (k, v) in parameters) if (!string.IsNullOrEmpty(v)) all[k] = v;
        all[SignatureParameter] = Sign(StringToSign(all), secret);
        return all;
    }
}
