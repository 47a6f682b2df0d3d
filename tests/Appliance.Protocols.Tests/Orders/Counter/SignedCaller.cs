using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Pairing;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.Orders.Counter;

/// <summary>
/// A paired PC placing orders on a terminal: pairs once (the credential lives in the terminal's state dir, so it
/// survives the terminal's restarts, unlike a <see cref="Security.LanClient"/> bound to one running terminal), then
/// posts bodies signed as seed 004 §2.5.3 says.
/// </summary>
internal sealed class SignedCaller(string keyId, string secret) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public string KeyId { get; } = keyId;
    public string Secret { get; } = secret;

    public static async Task<SignedCaller> PairAsync(RunningTerminal terminal)
    {
        using var http = new HttpClient();
        var request = await PostPlainAsync(http, terminal, "/pair/request", """{"name":"Counter PC"}""");
        var requestId = request.GetProperty("data").GetProperty("requestId").GetString()!;
        var code = terminal.Service<PairingService>().CurrentCode!.Code;
        var confirm = await PostPlainAsync(http, terminal, "/pair/confirm", $$"""{"requestId":"{{requestId}}","code":"{{code}}"}""");
        var data = confirm.GetProperty("data");
        return new SignedCaller(data.GetProperty("keyId").GetString()!, data.GetProperty("secret").GetString()!);
    }

    /// <summary>Posts <paramref name="body"/> signed (<see cref="OrderWireClient.Sign"/>) to the terminal's admin port.</summary>
    public async Task<JsonElement> PostAsync(RunningTerminal terminal, string path, JsonObject body)
    {
        var text = OrderWireClient.Sign(body.ToJsonString(), KeyId, Secret);
        using var response = await _http.PostAsync(new Uri($"http://127.0.0.1:{terminal.AdminPort}{path}"), new StringContent(text, Encoding.UTF8, "application/json"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<JsonElement> PostPlainAsync(HttpClient http, RunningTerminal terminal, string path, string json)
    {
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{terminal.AdminPort}{path}"), new StringContent(json, Encoding.UTF8, "application/json"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public void Dispose() => _http.Dispose();
}
