using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Appliance.Devices.Pen;
using Appliance.Host;

// dotnet run -c Release --project tools/bench/UosLoad -- [connections=100] [requestsPerConnection=200]
// Starts the real terminal (sim board) in-process on loopback, opens N /1 connections that each send getSerialnum
// and wait for the answer, M times; meanwhile a PC page asks getsign and the sim pen signs and presses OK.
// Prints throughput and latency percentiles; bounded in count (N×M) and in time (120 s).
var connections = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100;
var perConnection = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));

var state = Directory.CreateTempSubdirectory("uos-bench-").FullName;
var ports = FreePorts(3);
var app = ApplianceHost.Build(["--board", "sim", "--state-dir", state, "--bind", "127.0.0.1", "--config", "none", "--log-format", "simple",
    "--Logging:LogLevel:Default=Warning",
    "--uos-port", $"{ports[0]}", "--camera-port", $"{ports[1]}", "--admin-port", $"{ports[2]}"]);
await app.StartAsync(deadline.Token);
var uri = new Uri($"ws://127.0.0.1:{ports[0]}/1");
try
{
    var clients = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
    {
        var c = new ClientWebSocket();
        await c.ConnectAsync(uri, deadline.Token);
        return c;
    }));
    var latencies = new double[connections * perConnection];
    var broadcasts = 0;
    var request = Encoding.UTF8.GetBytes("{\"cmdtype\":\"getSerialnum\"}");
    var signer = SignAsync(uri, Path.Combine(state, "sim", "pen"), deadline.Token);
    var total = Stopwatch.StartNew();
    await Task.WhenAll(clients.Select((c, index) => Task.Run(async () =>
    {
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < perConnection; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await c.SendAsync(request, WebSocketMessageType.Text, true, deadline.Token);
            while (true)
            {
                var result = await c.ReceiveAsync(buffer, deadline.Token);
                var isSerial = Encoding.UTF8.GetString(buffer, 0, Math.Min(result.Count, 32)).StartsWith("{\"response\":\"serialnum\"", StringComparison.Ordinal);
                while (!result.EndOfMessage) result = await c.ReceiveAsync(buffer, deadline.Token);
                if (isSerial) break;
                // Every /1 page of the same PC (all of them: loopback) also receives the signature result.
                Interlocked.Increment(ref broadcasts);
            }
            latencies[index * perConnection + i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    })));
    total.Stop();
    var signature = await signer;
    Array.Sort(latencies);
    double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
    Console.WriteLine($"connections {connections}, requests {latencies.Length}, wall {total.Elapsed.TotalSeconds:0.00} s");
    Console.WriteLine($"throughput {latencies.Length / total.Elapsed.TotalSeconds:0} getSerialnum/s");
    Console.WriteLine($"latency p50 {P(0.50):0.00} ms, p99 {P(0.99):0.00} ms, max {latencies[^1]:0.00} ms");
    Console.WriteLine($"signature during the load: getsign → signbase64 ({signature.Bytes} bytes PNG) in {signature.Elapsed.TotalMilliseconds:0} ms, of which pen strokes+OK written at {signature.PenAt.TotalMilliseconds:0} ms");
    Console.WriteLine($"signbase64 copies received by the polling pages of the same PC: {broadcasts}");
    foreach (var c in clients) c.Abort();
}
finally
{
    await app.StopAsync(CancellationToken.None);
    await app.DisposeAsync();
    Directory.Delete(state, recursive: true);
}

static async Task<(int Bytes, TimeSpan Elapsed, TimeSpan PenAt)> SignAsync(Uri uri, string penPipe, CancellationToken cancel)
{
    using var page = new ClientWebSocket();
    await page.ConnectAsync(uri, cancel);
    var clock = Stopwatch.StartNew();
    await page.SendAsync(Encoding.UTF8.GetBytes("{\"cmdtype\":\"getsign\",\"message\":{\"penwidth\":6,\"pos_x\":300,\"pos_y\":200,\"width\":600,\"height\":300}}"),
        WebSocketMessageType.Text, true, cancel);
    await Task.Delay(200, cancel); // let the window open before the pen touches (a person needs longer)
    var penAt = clock.Elapsed;
    using (var pen = PenPipe.OpenForWriting(penPipe))
    {
        var t = 1_700_000_000_000_000L;
        var events = new List<InputEvent>();
        void Stroke(IEnumerable<(int X, int Y)> points)
        {
            var first = true;
            foreach (var (x, y) in points)
            {
                t += 5_000;
                events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_X, x));
                events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_Y, y));
                events.Add(InputEvent.At(t, InputCodes.EV_ABS, InputCodes.ABS_PRESSURE, 2500));
                if (first) events.Add(InputEvent.At(t, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 1));
                first = false;
                events.Add(InputEvent.At(t, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
            }
            events.Add(InputEvent.At(t, InputCodes.EV_KEY, InputCodes.BTN_TOUCH, 0));
            events.Add(InputEvent.At(t, InputCodes.EV_SYN, InputCodes.SYN_REPORT, 0));
        }
        Stroke(Enumerable.Range(0, 100).Select(i => (350 + i * 4, 300 + (int)(40 * Math.Sin(i / 8.0)))));
        Stroke([(810, 452)]); // OK button
        for (var i = 0; i < events.Count; i += 150) PenPipe.Write(pen, events.Skip(i).Take(150).ToArray());
    }
    var buffer = new byte[1 << 20];
    var message = new MemoryStream();
    while (true)
    {
        var r = await page.ReceiveAsync(buffer, cancel);
        message.Write(buffer, 0, r.Count);
        if (r.EndOfMessage) break;
    }
    var text = Encoding.UTF8.GetString(message.ToArray());
    if (!text.StartsWith("{\"response\":\"signbase64\"", StringComparison.Ordinal)) throw new InvalidOperationException("getsign answered " + text[..Math.Min(200, text.Length)]);
    var png = Convert.FromBase64String(text["{\"response\":\"signbase64\",\"message\":\"".Length..^2]);
    return (png.Length, clock.Elapsed, penAt);
}

static int[] FreePorts(int count)
{
    var listeners = Enumerable.Range(0, count).Select(_ => { var l = new TcpListener(IPAddress.Loopback, 0); l.Start(); return l; }).ToList();
    var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
    listeners.ForEach(l => l.Stop());
    return ports;
}
