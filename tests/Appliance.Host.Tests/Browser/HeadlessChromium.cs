using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Host.Tests.Browser;

/// <summary>
/// Debian's chromium, headless, driven over the Chrome DevTools Protocol on its --remote-debugging-port:
/// one page target, flattened session, commands as JSON over one WebSocket.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDir _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiving;
    private int _nextId;
    private string? _session;

    private HeadlessChromium(Process process, TempDir profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync(CancellationToken ct)
    {
        var exe = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromium is not installed: run tools/install-deps.sh (Debian package chromium)");
        var profile = new TempDir("chromium-profile-");
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     "--remote-debugging-port=0", "--window-size=1400,1000", $"--user-data-dir={profile.Path}", "about:blank" })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        var browser = new HeadlessChromium(process, profile);
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            const string marker = "DevTools listening on ";
            if (e.Data is { } line && line.Contains(marker, StringComparison.Ordinal)) endpoint.TrySetResult(line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim());
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var ws = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            await browser._socket.ConnectAsync(new Uri(ws), ct);
            browser._receiving = browser.ReceiveLoop();
            var target = await browser.SendAsync("Target.createTarget", w => w.WriteString("url", "about:blank"), ct, session: false);
            var targetId = target.GetProperty("targetId").GetString()!;
            var attached = await browser.SendAsync("Target.attachToTarget", w => { w.WriteString("targetId", targetId); w.WriteBoolean("flatten", true); }, ct, session: false);
            browser._session = attached.GetProperty("sessionId").GetString();
            await browser.SendAsync("Page.enable", null, ct);
            await browser.SendAsync("Emulation.setDeviceMetricsOverride", w => { w.WriteNumber("width", 1400); w.WriteNumber("height", 1000); w.WriteNumber("deviceScaleFactor", 1); w.WriteBoolean("mobile", false); }, ct);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    public Task NavigateAsync(string url, CancellationToken ct) => SendAsync("Page.navigate", w => w.WriteString("url", url), ct);

    /// <summary>Evaluates an expression in the page and returns its JSON value (promises awaited).</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken ct)
    {
        var result = await SendAsync("Runtime.evaluate", w =>
        {
            w.WriteString("expression", expression);
            w.WriteBoolean("returnByValue", true);
            w.WriteBoolean("awaitPromise", true);
        }, ct);
        if (result.TryGetProperty("exceptionDetails", out var error)) throw new InvalidOperationException($"page script failed: {error}");
        return result.GetProperty("result").TryGetProperty("value", out var v) ? v : default;
    }

    /// <summary>A real input event, as a mouse on the page (pointer events with pressure 0.5 while the button is down).</summary>
    public Task MouseAsync(string type, double x, double y, int buttons, CancellationToken ct) => SendAsync("Input.dispatchMouseEvent", w =>
    {
        w.WriteString("type", type);
        w.WriteNumber("x", x);
        w.WriteNumber("y", y);
        w.WriteString("button", type == "mouseMoved" && buttons == 0 ? "none" : "left");
        w.WriteNumber("buttons", buttons);
        w.WriteNumber("clickCount", type == "mouseMoved" ? 0 : 1);
        w.WriteString("pointerType", "mouse");
    }, ct);

    private async Task<JsonElement> SendAsync(string method, Action<Utf8JsonWriter>? parameters, CancellationToken ct, bool session = true)
    {
        var done = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_gate) { id = ++_nextId; _pending[id] = done; }
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteString("method", method);
            if (session && _session is not null) w.WriteString("sessionId", _session);
            w.WriteStartObject("params");
            parameters?.Invoke(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        await _socket.SendAsync(buffer.ToArray(), WebSocketMessageType.Text, true, ct);
        return await done.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                using var doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                if (!doc.RootElement.TryGetProperty("id", out var idElement)) continue;   // an event
                TaskCompletionSource<JsonElement>? waiter;
                lock (_gate) { _pending.Remove(idElement.GetInt32(), out waiter); }
                if (waiter is null) continue;
                if (doc.RootElement.TryGetProperty("error", out var error))
                    waiter.TrySetException(new InvalidOperationException($"CDP error: {error}"));
                else
                    waiter.TrySetResult(doc.RootElement.GetProperty("result").Clone());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { if (_socket.State == WebSocketState.Open) await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None); }
        catch (WebSocketException) { }
        _socket.Dispose();
        if (_receiving is not null) await _receiving;
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
        _stop.Dispose();
        _profile.Dispose();
    }
}
