using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Protocols.Security.Management;
using Appliance.Protocols.Tests.Security;

namespace Appliance.Protocols.Tests.Orders;

/// <summary>A paired PC placing orders: bodies signed the seed 004 way (computed the long way, as an integrator would).</summary>
internal static class OrderWireClient
{
    /// <summary>The body with appId, signAlgo, timestamp, nonce and its signature added.</summary>
    public static string Sign(string json, string keyId, string secret, DateTimeOffset? at = null, string? nonce = null, string algorithm = "HMAC")
    {
        var body = JsonNode.Parse(json)!.AsObject();
        body["appId"] = keyId;
        body["signAlgo"] = algorithm;
        body["timestamp"] = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        body["nonce"] = nonce ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        body.Remove("signature");
        var parameters = RequestSignature.Parameters(JsonDocument.Parse(body.ToJsonString()).RootElement);
        body["signature"] = RequestSignature.Sign(RequestSignature.StringToSign(parameters), secret);
        return body.ToJsonString();
    }

    public static Task<JsonElement> SignedPostAsync(this LanClient pc, string path, string json) => pc.PostRawAsync(path, Sign(json, pc.KeyId!, pc.Secret!));

    /// <summary>Posts the bytes as they are; every order route answers HTTP 200.</summary>
    public static async Task<JsonElement> PostRawAsync(this LanClient pc, string path, string body)
    {
        using var response = await pc.Http.PostAsync(pc.Admin(path), new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{path}: HTTP {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
