using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Appliance.TestSupport;

/// <summary>A PC page on the UOS port: sends commands, reads the exact text the terminal sent.</summary>
public sealed class UosClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private UosClient() { }

    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    public static async Task<UosClient> ConnectAsync(Uri uri)
    {
        var client = new UosClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await client._socket.ConnectAsync(uri, timeout.Token);
        return client;
    }

    public Task SendAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _socket.SendAsync(bytes, type, true, timeout.Token);
    }

    /// <summary>The next text message, exactly as sent; null when the terminal closed the connection.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(message.ToArray());
        }
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveAsync(timeout) ?? throw new InvalidOperationException("the terminal closed the connection");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Sends getSerialnum and returns every message that arrived before its answer: what a command "said" in between.
    /// (A receive cannot simply time out: cancelling a WebSocket receive aborts the connection.)
    /// </summary>
    public async Task<List<string>> DrainUntilSerialAsync(TimeSpan? timeout = null)
    {
        await SendAsync("{\"cmdtype\":\"getSerialnum\"}");
        var before = new List<string>();
        while (true)
        {
            var text = await ReceiveAsync(timeout) ?? throw new InvalidOperationException("the terminal closed the connection");
            if (text.StartsWith("{\"response\":\"serialnum\"", StringComparison.Ordinal)) return before;
            before.Add(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        _socket.Dispose();
    }
}
