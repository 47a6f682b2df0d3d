using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Appliance.Devices.Camera;
using Appliance.Host;
using Appliance.Imaging.Jpeg;
using Appliance.Simulators.Camera;

// Camera benchmarks: MJPEG pass-through to 1 and 4 stream clients through the real terminal (sim board),
// and JPEG encode time for a 1920x1080 frame. Usage: Appliance.Bench [seconds-per-run]
var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
await EncodeBenchmarkAsync();
await StreamBenchmarkAsync(seconds);

static Task EncodeBenchmarkAsync()
{
    var scene = new CameraScene("document");
    var rgba = scene.RenderRgba(1920, 1080, 1);
    var yuyv = new byte[1920 * 1080 * 2];
    for (var i = 0; i < yuyv.Length; i += 4) { yuyv[i] = rgba[i * 2 % rgba.Length]; yuyv[i + 1] = 128; yuyv[i + 2] = rgba[(i * 2 + 4) % rgba.Length]; yuyv[i + 3] = 128; }
    foreach (var (name, run) in new (string, Func<byte[]>)[]
    {
        ("RGBA 1920x1080 -> JPEG q75", () => JpegCodec.Shared.Encode(rgba, 1920, 1080, JpegPixels.Rgba, 75)),
        ("RGBA 1920x1080 -> JPEG q90", () => JpegCodec.Shared.Encode(rgba, 1920, 1080, JpegPixels.Rgba, 90)),
        ("YUYV 1920x1080 -> JPEG q80", () => JpegCodec.Shared.EncodeYuyv(yuyv, 1920, 1080, 80, YuvRange.Limited)),
    })
    {
        for (var i = 0; i < 5; i++) run();
        const int n = 40;
        var sw = Stopwatch.StartNew();
        var size = 0;
        for (var i = 0; i < n; i++) size = run().Length;
        Console.WriteLine($"{name}: {sw.Elapsed.TotalMilliseconds / n:0.0} ms/frame ({size / 1024} KiB)");
    }
    var jpeg = JpegCodec.Shared.Encode(rgba, 1920, 1080, JpegPixels.Rgba, 80);
    var d = Stopwatch.StartNew();
    for (var i = 0; i < 40; i++) JpegCodec.Shared.Decode(jpeg);
    Console.WriteLine($"JPEG 1920x1080 -> RGBA decode: {d.Elapsed.TotalMilliseconds / 40:0.0} ms/frame");
    return Task.CompletedTask;
}

static async Task StreamBenchmarkAsync(int seconds)
{
    var state = Directory.CreateTempSubdirectory("appliance-bench-");
    var ports = Enumerable.Range(0, 3).Select(_ => { var l = new TcpListener(IPAddress.Loopback, 0); l.Start(); var p = ((IPEndPoint)l.LocalEndpoint).Port; l.Stop(); return p; }).ToArray();
    var app = ApplianceHost.Build(["--board", "sim", "--state-dir", state.FullName, "--bind", "127.0.0.1", "--config", "none",
        "--uos-port", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--camera-port", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--admin-port", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--logging:logLevel:default=Warning"]);
    await app.StartAsync();
    try
    {
        // The sim camera renders and encodes its scene (1280x720 at 15 fps): that cost is the baseline with
        // one client; what each further client adds is the pass-through cost.
        foreach (var clients in new[] { 1, 4 })
        {
            using var cts = new CancellationTokenSource();
            var counts = new long[clients];
            var bytes = new long[clients];
            var tasks = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
            {
                using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
                using var response = await http.GetAsync($"http://127.0.0.1:{ports[1]}/video=stream&camidx=0&tid={i}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
                await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
                var buffer = new byte[256 * 1024];
                var marker = "--appliance-frame\r\n"u8.ToArray();
                var carry = 0;
                try
                {
                    while (true)
                    {
                        var n = await stream.ReadAsync(buffer.AsMemory(carry), cts.Token);
                        if (n == 0) break;
                        var end = carry + n;
                        Interlocked.Add(ref bytes[i], n);
                        var span = buffer.AsSpan(0, end);
                        int at, from = 0;
                        while ((at = span[from..].IndexOf(marker)) >= 0) { Interlocked.Increment(ref counts[i]); from += at + marker.Length; }
                        carry = Math.Min(end, marker.Length - 1);
                        buffer.AsSpan(end - carry, carry).CopyTo(buffer);
                    }
                }
                catch (OperationCanceledException) { }
            })).ToArray();
            await Task.Delay(3000); // warm-up: camera opened, first frames out
            var startCounts = counts.Select(c => Interlocked.Read(ref c)).ToArray();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds / wall.Elapsed.TotalSeconds * 100;
            var fps = counts.Select((c, i) => (Interlocked.Read(ref counts[i]) - startCounts[i]) / wall.Elapsed.TotalSeconds).ToArray();
            cts.Cancel();
            try { await Task.WhenAll(tasks); } catch (OperationCanceledException) { }
            Console.WriteLine($"stream 1280x720 MJPEG, {clients} client(s): {string.Join(", ", fps.Select(f => $"{f:0.0}"))} frames/s per client, " +
                $"{bytes.Sum() / wall.Elapsed.TotalSeconds / 1024 / 1024:0.0} MiB/s total, process CPU {cpu:0}% of one core (camera scene rendering included)");
            await Task.Delay(1500); // let the implicit open close before the next run
        }
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
        state.Delete(true);
    }
}
