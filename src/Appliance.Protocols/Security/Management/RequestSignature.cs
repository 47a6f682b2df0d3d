using System.Globalization;
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
        foreach (var p in body.EnumerateObject())
        {
            var value = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString() ?? "",
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => p.Value.GetRawText(),
                _ => p.Value.GetRawText(),
            };
            list.Add(new(p.Name, value));
        }
        return list;
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
