using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Appliance.Core.Pairing;
using Appliance.Protocols.Security.Management;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.Security;

/// <summary>A "PC" talking to a running terminal from its own loopback address (127.0.0.2 is another PC).</summary>
public sealed class LanClient : IDisposable
{
    private readonly RunningTerminal _terminal;

    public LanClient(RunningTerminal terminal, string sourceAddress = "127.0.0.1")
    {
        _terminal = terminal;
        Source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancel) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(Source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        Http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public IPAddress Source { get; }
    public HttpClient Http { get; }
    public string? KeyId { get; private set; }
    public string? Secret { get; private set; }

    public Uri Admin(string path) => new($"http://127.0.0.1:{_terminal.AdminPort}{path}");

    public async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode? expect = null)
    {
        using var response = await Http.PostAsync(Admin(path), new StringContent(JsonSerializer.Serialize(body, TestJson.Default.DictionaryStringString), Encoding.UTF8, "application/json"));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        if (expect is not null) Assert.True(expect == response.StatusCode, $"{path}: expected {expect}, got {(int)response.StatusCode}: {json}");
        return json;
    }

    public Task<JsonElement> PostAsync(string path, Dictionary<string, string> body, HttpStatusCode? expect = null) => PostAsync(path, (object)body, expect);

    /// <summary>Pairs through the admin API, reading the code off the terminal's pairing screen event.</summary>
    public async Task PairAsync(string name = "Test PC")
    {
        var request = await PostAsync("/pair/request", new Dictionary<string, string> { ["name"] = name }, HttpStatusCode.OK);
        var requestId = request.GetProperty("data").GetProperty("requestId").GetString()!;
        var shown = _terminal.Service<PairingService>().CurrentCode!;
        Assert.Equal(requestId, shown.RequestId);
        await ConfirmAsync(requestId, shown.Code);
    }

    /// <summary>Types the code into <c>/pair/confirm</c> and keeps the credential it returns.</summary>
    public async Task ConfirmAsync(string requestId, string code)
    {
        var confirm = await PostAsync("/pair/confirm", new Dictionary<string, string> { ["requestId"] = requestId, ["code"] = code }, HttpStatusCode.OK);
        KeyId = confirm.GetProperty("data").GetProperty("keyId").GetString();
        Secret = confirm.GetProperty("data").GetProperty("secret").GetString();
    }

    public Task<JsonElement> ManageAsync(string command, Dictionary<string, string>? parameters = null, HttpStatusCode? expect = null) =>
        PostAsync("/manage/" + command, RequestSignature.SignRequest(KeyId!, Secret!, command, parameters ?? [], DateTimeOffset.UtcNow), expect);

    /// <summary>A CameraService call; returns the HTTP status and the JSON "code".</summary>
    public async Task<(HttpStatusCode Status, string Code)> CameraAsync(string path = "/param=getversion", string? origin = null, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_terminal.CameraPort}{path}");
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (host is not null) request.Headers.Host = host;
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var code = body.StartsWith('{') ? JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()! : "";
        return (response.StatusCode, code);
    }

    /// <summary>Opens ws://…/1 on the UOS port, asks getSerialnum and returns the first message that comes back.</summary>
    public async Task<(ClientWebSocket Socket, string? FirstMessage)> UosAsync(string? origin = null)
    {
        var ws = new ClientWebSocket();
        if (origin is not null) ws.Options.SetRequestHeader("Origin", origin);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancel) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(Source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        await ws.ConnectAsync(_terminal.UosUri("1"), invoker, CancellationToken.None);
        // An allowed connection answers getSerialnum; a refused one has already sent error 7 and closes.
        try { await ws.SendAsync(Encoding.UTF8.GetBytes("{\"cmdtype\":\"getSerialnum\"}"), WebSocketMessageType.Text, true, CancellationToken.None); }
        catch (WebSocketException) { }
        var buffer = new byte[4096];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var r = await ws.ReceiveAsync(buffer, wait.Token);
        return (ws, r.MessageType == WebSocketMessageType.Close ? null : Encoding.UTF8.GetString(buffer, 0, r.Count));
    }

    public void Dispose() => Http.Dispose();
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TestJson : System.Text.Json.Serialization.JsonSerializerContext;
