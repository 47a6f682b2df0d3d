using System.Text.Json;
using Appliance.Core.Identity;
using Appliance.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Appliance.Host.Tests.Browser;

/// <summary>
/// A counter page as integrators write it, served from another origin and run in real headless Chromium: it calls
/// CameraService with fetch (text/plain, and application/json, which makes the browser send a CORS preflight) and
/// shows the live camera in an &lt;img&gt;. The browser enforces CORS, so an answer the page can read proves the headers.
/// </summary>
public sealed class CameraServiceBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Page = """
        <!doctype html><html><head><meta charset="utf-8"><title>counter page</title></head>
        <body><h1>柜台页面</h1><img id="video" alt="camera"></body></html>
        """;

    [Fact]
    public async Task A_page_from_another_origin_reads_json_with_fetch_and_shows_the_video_stream()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var pagePort = FreePorts.Take(1)[0];
        await using var pageServer = await ServePageAsync(pagePort);
        await using var browser = await HeadlessChromium.StartAsync(Ct);
        await browser.NavigateAsync($"http://127.0.0.1:{pagePort}/", Ct);
        await browser.EvaluateAsync("""
            (async () => { while (document.readyState !== 'complete' || !document.getElementById('video')) await new Promise(r => setTimeout(r, 50)); return true; })()
            """, Ct);

        var result = await browser.EvaluateAsync($$"""
            (async () => {
              const base = 'http://127.0.0.1:{{terminal.CameraPort}}';
              const plain = await fetch(base + '/param=get', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ type: 'serial_number' }) });
              const serial = await plain.json();
              const json = await fetch(base + '/param=get', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'device_info' }) });
              const device = await json.json();
              const img = document.getElementById('video');
              img.src = base + '/video=stream&camidx=0';
              for (let i = 0; i < 300 && !img.naturalWidth; i++) await new Promise(r => setTimeout(r, 100));
              const size = [img.naturalWidth, img.naturalHeight];
              img.src = '';
              return { serialCode: serial.code, serial: serial.serial_number, deviceCode: device.code, brand: device.device_info.brand_name, width: size[0], height: size[1] };
            })()
            """, Ct);

        Assert.Equal("0", result.GetProperty("serialCode").GetString());
        Assert.Equal(terminal.Service<TerminalIdentity>().Serial, result.GetProperty("serial").GetString());
        Assert.Equal("0", result.GetProperty("deviceCode").GetString());
        Assert.Equal("Appliance", result.GetProperty("brand").GetString());
        Assert.True(result.GetProperty("width").GetInt32() >= 160, $"the <img> shows the MJPEG stream: {result}");
        Assert.True(result.GetProperty("height").GetInt32() >= 120, $"the <img> shows the MJPEG stream: {result}");
    }

    [Fact]
    public async Task A_page_on_an_unpaired_pc_reads_error_7_and_a_refused_origin_gets_nothing()
    {
        // Loopback counts as an unpaired PC here; the page's loopback origin is allowed by the first terminal only.
        await using var unpaired = await RunningTerminal.StartAsync(null, "--access:allowLoopback=false");
        await using var foreign = await RunningTerminal.StartAsync(null, "--access:allowLoopback=false", "--access:allowLoopbackOrigins=false");
        var pagePort = FreePorts.Take(1)[0];
        await using var pageServer = await ServePageAsync(pagePort);
        await using var browser = await HeadlessChromium.StartAsync(Ct);
        await browser.NavigateAsync($"http://127.0.0.1:{pagePort}/", Ct);
        await browser.EvaluateAsync("""
            (async () => { while (document.readyState !== 'complete') await new Promise(r => setTimeout(r, 50)); return true; })()
            """, Ct);

        var result = await browser.EvaluateAsync($$"""
            (async () => {
              async function call(port, type) {
                try {
                  const r = await fetch('http://127.0.0.1:' + port + '/param=get', { method: 'POST', headers: { 'Content-Type': type }, body: JSON.stringify({ type: 'serial_number' }) });
                  const j = await r.json();
                  return r.status + ' ' + j.code;
                } catch (e) { return 'unreadable: ' + e.name; }
              }
              return [await call({{unpaired.CameraPort}}, 'text/plain'), await call({{unpaired.CameraPort}}, 'application/json'),
                      await call({{foreign.CameraPort}}, 'text/plain'), await call({{foreign.CameraPort}}, 'application/json')];
            })()
            """, Ct);

        // text/plain is a simple request; application/json is preflighted first: both read code 7. The refused origin
        // sees what any page sees of a server that does not grant it: a failed fetch.
        Assert.Equal(["403 7", "403 7", "unreadable: TypeError", "unreadable: TypeError"], result.EnumerateArray().Select(e => e.GetString()));
    }

    /// <summary>The integrator's own web server: another origin than the terminal (a different port on loopback).</summary>
    private static async Task<WebApplication> ServePageAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(Page, context.RequestAborted);
        });
        await app.StartAsync(Ct);
        return app;
    }
}
