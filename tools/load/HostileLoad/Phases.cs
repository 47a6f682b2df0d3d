using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace HostileLoad;

internal sealed partial class LoadRun
{
    /// <summary>Random byte-level mutations per seed and round (the fixed ones come on top).</summary>
    private const int RandomPerSeed = 20;

    private const long OverLimitBytes = 70_000_000; // over the CameraService port's 64 MiB

    private Task<HttpAnswer> PostAsync(string path, RequestBody? body, HttpOptions options, CancellationToken cancel) =>
        RawHttp.SendAsync(_terminal, _terminal.CameraPort, "POST", path, body, options, cancel);

    private static void CountUos(Tally t, byte[] head, bool text) =>
        t.Add(Tally.UosResponse, !text ? "(binary message)" : Tally.JsonMember(head, "response") ?? "(not JSON, or no \"response\")");

    private static void CountCameraWs(Tally t, byte[] head, bool text) =>
        t.Add(Tally.CameraWsCode, !text ? "(binary message)" : Tally.JsonMember(head, "code") ?? "(not JSON, or no \"code\")");

    // ---- big ---------------------------------------------------------------------------------------------------

    private async Task BigAsync(Tally t, CancellationToken cancel)
    {
        var size = _o.BigMb * 1_000_000L;
        var mb = _o.BigMb.ToString(CultureInfo.InvariantCulture);
        var timeout = TimeSpan.FromSeconds(Math.Max(180, _o.RequestTimeoutSeconds));
        var plain = new HttpOptions { Timeout = timeout };
        var chunked = new HttpOptions { Timeout = timeout, Chunked = true };

        async Task Batch(string what, int count, Func<int, (string Path, RequestBody Body, HttpOptions Options)> make)
        {
            if (count == 0) return;
            var clock = Stopwatch.StartNew();
            var local = new Tally();
            await Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(async () =>
            {
                var (path, body, options) = make(i);
                var answer = await PostAsync(path, body, options, cancel);
                var describe = $"{what} (#{i}) → {answer.Elapsed.TotalSeconds:0.0} s";
                t.CountCameraHttp(answer, describe);
                local.CountCameraHttp(answer, describe);
            }, cancel)));
            Console.WriteLine($"   {what}: {clock.Elapsed.TotalSeconds:0.0} s; {local.OneLine()}; RSS now {Mb(_sampler.Sample())}, peak so far {Mb(_sampler.PeakKb)}");
        }

        RequestBody Cache(string key, long bytes) => RequestBody.Filled($"{{\"type\":\"set_cache_data\",\"key\":\"{key}\",\"value\":\"", (byte)'A', bytes, "\"}");
        await Batch($"{_o.BigBodies} × POST /param=set set_cache_data {mb} MB, Content-Length, at once", _o.BigBodies,
            i => ("/param=set", Cache($"big{i}", size), plain));
        await Batch($"{_o.BigBodies} × POST /param=set set_cache_data {mb} MB, chunked, at once", _o.BigBodies,
            i => ("/param=set", Cache($"bigc{i}", size), chunked));
        await Batch($"POST /sign=start with a {mb} MB background_image", 1,
            _ => ("/sign=start", RequestBody.Filled("{\"pos\":{\"left\":\"100\",\"top\":\"100\",\"width\":\"600\",\"height\":\"300\"},\"background_image\":{\"base64\":\"", (byte)'A', size, "\"}}"), plain));
        await Batch("POST /sign=stop", 1, _ => ("/sign=stop", RequestBody.Of("{}"), plain));
        await Batch($"POST /video=grabimage with {mb} MB beside camidx", 1,
            _ => ("/video=grabimage", RequestBody.Filled("{\"camidx\":\"0\",\"filepath\":\"base64\",\"pad\":\"", (byte)'A', size, "\"}"), plain));
        await Batch("POST /param=set of 70 MB (over 64 MiB), Content-Length", 1, _ => ("/param=set", Cache("over", OverLimitBytes), plain));
        await Batch("POST /param=set of 70 MB (over 64 MiB), chunked", 1, _ => ("/param=set", Cache("overc", OverLimitBytes), chunked));

        // The flash figure of this phase, before anything is cleared.
        if (_terminal.MeasureState() is { } state)
        {
            if (state.Bytes > (_largestState?.Size.Bytes ?? -1)) _largestState = (state, "big, before its values were cleared");
            Console.WriteLine($"   state directory now {Mb(state.Bytes, true)}; largest: {string.Join(", ", state.Largest.Take(2).Select(l => $"{l.Path} {Mb(l.Bytes, true)}"))}");
        }
        if (!_o.KeepBigCache)
        {
            // Left there, every later param=set call rewrites them (and holds them in RAM while it does).
            var keys = Enumerable.Range(0, _o.BigBodies).SelectMany(i => new[] { $"big{i}", $"bigc{i}" }).ToList();
            await Batch($"{keys.Count} × POST /param=set set_cache_data \"\" over the big values (--keep-big-cache to keep them)", keys.Count,
                i => ("/param=set", RequestBody.Of($"{{\"type\":\"set_cache_data\",\"key\":\"{keys[i]}\",\"value\":\"\"}}"), plain));
        }

        await BigMessageAsync(t, "UOS /1: a 2 MB getSerialnum (over its 1 MiB)", uos: true,
            RequestBody.Filled("{\"cmdtype\":\"getSerialnum\",\"pad\":\"", (byte)'A', 2_000_000, "\"}"), cancel);
        await BigMessageAsync(t, $"UOS /1: a {mb} MB getSerialnum", uos: true,
            RequestBody.Filled("{\"cmdtype\":\"getSerialnum\",\"pad\":\"", (byte)'A', size, "\"}"), cancel);
        await BigMessageAsync(t, $"CameraService WebSocket: a {mb} MB grab_image", uos: false,
            RequestBody.Filled("{\"function\":\"grab_image\",\"params\":{\"camidx\":\"0\",\"filepath\":\"base64\",\"pad\":\"", (byte)'A', size, "\"}}"), cancel);
        await BigMessageAsync(t, "CameraService WebSocket: a 70 MB grab_image (over 64 MiB)", uos: false,
            RequestBody.Filled("{\"function\":\"grab_image\",\"params\":{\"camidx\":\"0\",\"pad\":\"", (byte)'A', OverLimitBytes, "\"}}"), cancel);
    }

    private async Task BigMessageAsync(Tally t, string what, bool uos, RequestBody message, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var local = new Tally();
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnMessage(byte[] head, long length, bool text)
        {
            foreach (var tally in new[] { t, local })
                if (uos) CountUos(tally, head, text);
                else CountCameraWs(tally, head, text);
            answered.TrySetResult();
        }
        var (ws, refused) = await ClientWs.ConnectAsync(_terminal, uos ? _terminal.UosPort : _terminal.CameraPort, uos ? "/1" : "/", OnMessage, _o.RequestTimeout, cancel);
        WsEnd end;
        if (ws is null) end = refused!;
        else
        {
            await ws.SendPiecesAsync(message.Pieces(), cancel);
            await Task.WhenAny(answered.Task, ws.Ended, Task.Delay(TimeSpan.FromSeconds(Math.Max(120, _o.RequestTimeoutSeconds)), cancel));
            end = ws.Ended.IsCompleted ? await ws.Ended : await ws.CloseAsync(TimeSpan.FromSeconds(5));
        }
        t.Add(Tally.WsEnd, end.Label);
        local.Add(Tally.WsEnd, end.Label);
        if (end.Kind is not WsEndKind.AnsweredToolClose || end.Status != 1000) t.Example($"WebSocket {end.Label}", what);
        Console.WriteLine($"   {what}: {clock.Elapsed.TotalSeconds:0.0} s; {local.OneLine()}; RSS now {Mb(_sampler.Sample())}, peak so far {Mb(_sampler.PeakKb)}");
    }

    // ---- mutate ------------------------------------------------------------------------------------------------

    private sealed record HttpJob(string Route, string Method, string Target, byte[]? Body, bool Streaming, string Description, string Mutation, byte[]? Raw = null, bool HalfClose = false);

    private async Task MutateAsync(Tally t, CancellationToken cancel)
    {
        var random = new Random(_o.Seed);
        var (routes, added, notInSource, source) = Endpoints.WithSource(_o.Source);
        Console.WriteLine($"   CameraService: {routes.Count} routes ({(source is null ? "firmware source not found: the built-in list" : $"checked against {source}")})" +
                          (added.Count > 0 ? $"; mapped in the source but not built in (mutated from {{}}): {string.Join(" ", added)}" : "") +
                          (notInSource.Count > 0 ? $"; built in but not mapped in the source: {string.Join(" ", notInSource)}" : ""));
        var uos = new WsSpec("UOS /1", _terminal.UosPort, "/1", Endpoints.UosSeeds, Endpoints.UosCleanup, Uos: true);
        var camera = new WsSpec("CameraService WebSocket", _terminal.CameraPort, "/",
            [.. Endpoints.CameraFunctions.SelectMany(f => f.Seeds), .. Endpoints.CameraUnknownFunctions], [], Uos: false);
        for (var round = 1; round <= _o.Rounds; round++)
        {
            await HttpMutationsAsync(t, routes, random, round, cancel);
            await WsMutationsAsync(t, uos, random, round, cancel);
            await WsMutationsAsync(t, camera, random, round, cancel);
        }
    }

    private async Task HttpMutationsAsync(Tally t, List<Route> routes, Random random, int round, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        // One producer (the only user of the seeded generator: the same inputs in the same order on every run), a few senders.
        var jobs = Channel.CreateBounded<HttpJob>(new BoundedChannelOptions(64) { SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var job in HttpJobs(routes, random, round)) await jobs.Writer.WriteAsync(job, cancel);
            }
            finally
            {
                jobs.Writer.Complete();
            }
        }, cancel);
        var done = 0;
        var time = new ConcurrentDictionary<string, (long Count, double Seconds, double Max)>(StringComparer.Ordinal);
        using var stopCleanup = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var cleanup = Task.Run(async () =>
        {
            // Closes whatever a mutated call left on screen (a signature window holds the session for minutes).
            while (true)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(3), stopCleanup.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                foreach (var (path, body) in Endpoints.CameraCleanup)
                    t.CountCameraHttp(await PostAsync(path, RequestBody.Of(body), new HttpOptions { Timeout = _o.RequestTimeout }, cancel), $"cleanup POST {path}");
            }
        }, cancel);
        await Task.WhenAll(Enumerable.Range(0, _o.Workers).Select(_ => Task.Run(async () =>
        {
            await foreach (var job in jobs.Reader.ReadAllAsync(cancel))
            {
                var options = new HttpOptions { Timeout = _o.RequestTimeout, Streaming = job.Streaming, RawRequest = job.Raw, HalfClose = job.HalfClose };
                var answer = await RawHttp.SendAsync(_terminal, _terminal.CameraPort, job.Method, job.Target, job.Body is null ? null : RequestBody.Of(job.Body), options, cancel);
                t.CountCameraHttp(answer, $"{job.Description}: {Tally.Printable(job.Body ?? job.Raw ?? [], 90)}", job.Streaming, Tally.Category(job.Mutation));
                var seconds = answer.Elapsed.TotalSeconds;
                time.AddOrUpdate(job.Route, (1, seconds, seconds), (_, v) => (v.Count + 1, v.Seconds + seconds, Math.Max(v.Max, seconds)));
                var n = Interlocked.Increment(ref done);
                if (n % 2000 == 0) Console.WriteLine($"   round {round} HTTP: {n:N0} sent ({clock.Elapsed.TotalSeconds:0} s), RSS {Mb(_sampler.Sample())}");
            }
        }, cancel)));
        await producer;
        await stopCleanup.CancelAsync();
        await cleanup;
        Console.WriteLine($"   round {round} HTTP: {done:N0} requests to {routes.Count} routes in {clock.Elapsed.TotalSeconds:0.0} s; RSS {Mb(_sampler.Sample())}");
        Console.WriteLine("   where the time went (route: requests, seconds waiting in all, slowest): " +
                          string.Join("; ", time.OrderByDescending(r => r.Value.Seconds).Take(6).Select(r => $"{r.Key}: {r.Value.Count}, {r.Value.Seconds:0} s, {r.Value.Max:0.0} s")));
    }

    private IEnumerable<HttpJob> HttpJobs(List<Route> routes, Random random, int round)
    {
        foreach (var route in routes)
        {
            foreach (var seed in route.Seeds)
            {
                foreach (var m in Mutator.Fixed(seed)) yield return new HttpJob(route.Path, "POST", route.Path, m.Bytes, route.Streaming, $"POST {route.Path} [{m.Description}]", m.Description);
                for (var k = 0; k < RandomPerSeed; k++)
                {
                    var m = Mutator.Random(seed, random, $"random r{round}.{k}");
                    yield return new HttpJob(route.Path, "POST", route.Path, m.Bytes, route.Streaming, $"POST {route.Path} [{m.Description}]", m.Description);
                }
            }
            foreach (var (what, target) in UrlMutations(route)) yield return new HttpJob(route.Path, "GET", target, null, route.Streaming, $"GET [{what}]", "URL: " + what);
        }
        foreach (var (what, raw) in FramingMutations())
            yield return new HttpJob("(raw requests)", "", "", null, false, $"raw request [{what}]", "raw request: " + what, raw, HalfClose: what.EndsWith("then the end", StringComparison.Ordinal));
    }

    private static IEnumerable<(string What, string Target)> UrlMutations(Route route)
    {
        var p = route.Path;
        yield return ("camidx=%FF", p + "&camidx=%FF");
        yield return ("camidx=%ZZ (not an escape)", p + "&camidx=%ZZ");
        yield return ("camidx=1e400", p + "&camidx=1e400");
        yield return ("camidx=40 digits", p + "&camidx=1234567890123456789012345678901234567890");
        yield return ("camidx=%00", p + "&camidx=%00");
        yield return ("camidx=%ED%A0%80 (an encoded surrogate)", p + "&camidx=%ED%A0%80");
        yield return ("camidx=%C0%AF (overlong)", p + "&camidx=%C0%AF");
        yield return ("type=%A7, key=%FF%FE", p + "&type=%A7&key=%FF%FE");
        yield return ("?camidx=-1&camidx=2", p + "?camidx=-1&camidx=2");
        yield return ("an 8000-character parameter name", p + "&" + new string('a', 8000) + "=1");
        yield return ("%00 in the path", p + "%00");
        yield return ("&&&==&", p + "&&&==&");
        yield return ("%20 around the names", $"/%20{route.Group}%20=%20{route.Action}%20");
        yield return ("%A7 in the action", $"/{route.Group}={route.Action}%A7");
    }

    private IEnumerable<(string What, byte[] Raw)> FramingMutations()
    {
        var host = $"Host: {_terminal.HostHeader(_terminal.CameraPort)}\r\n";
        static byte[] A(string s) => Encoding.Latin1.GetBytes(s);
        var bad = "{\"ca\u00a7midx\":\"0\"}"; // Latin-1 0xA7: invalid UTF-8, the issue's example
        yield return ("chunk size not hex", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n"));
        yield return ("Content-Length 100, 10 bytes, then the end", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: 100\r\n\r\n{{\"type\":1}}"));
        yield return ("Content-Length -1", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: -1\r\n\r\n{{}}"));
        yield return ("two different Content-Length", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{{}}"));
        yield return ("Content-Length and chunked", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n"));
        yield return ("NUL in a header value", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\n{{}}"));
        yield return ("0xA7 in a header value", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nX-A: a\u00a7b\r\nContent-Length: 2\r\n\r\n{{}}"));
        yield return ("0xA7 in the path", A($"POST /param=get\u00a7 HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: 2\r\n\r\n{{}}"));
        yield return ("a 64 KiB header", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nX-Big: {new string('a', 65536)}\r\nContent-Length: 2\r\n\r\n{{}}"));
        yield return ("HTTP/1.0 without Host", A("POST /param=get HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}"));
        yield return ("Expect: 100-continue", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{{}}"));
        yield return ("two requests in one write", A($"POST /param=get HTTP/1.1\r\n{host}Content-Length: 2\r\n\r\n{{}}POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: 2\r\n\r\n{{}}"));
        yield return ("a request line of bytes", [0xA7, 0xFF, 0x00, .. A(" / HTTP/1.1\r\n\r\n")]);
        yield return ("obsolete line folding", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nX-A: a\r\n b\r\nContent-Length: 2\r\n\r\n{{}}"));
        yield return ("chunk extension and trailer", A($"POST /param=get HTTP/1.1\r\n{host}Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=1\r\n{{}}\r\n0\r\nX-T: 1\r\n\r\n"));
        yield return ("invalid UTF-8 in a chunked /video=grabimage body",
            A($"POST /video=grabimage HTTP/1.1\r\n{host}Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n{bad.Length:x}\r\n{bad}\r\n0\r\n\r\n"));
        yield return ("invalid UTF-8 in a /video=grabimage body",
            A($"POST /video=grabimage HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: {bad.Length}\r\n\r\n{bad}"));
    }

    // ---- WebSocket mutations -----------------------------------------------------------------------------------

    private sealed record WsSpec(string Name, int Port, string Path, string[] Seeds, string[] Cleanup, bool Uos)
    {
        /// <summary>A message whose answer names <paramref name="id"/>: unknown cmdtype / function, answered with a code that quotes it.</summary>
        public byte[] Probe(int id) => Encoding.UTF8.GetBytes(Uos ? $"{{\"cmdtype\":\"hlprobe-{id}.\"}}" : $"{{\"function\":\"hlprobe-{id}.\"}}");
    }

    private async Task WsMutationsAsync(Tally t, WsSpec spec, Random random, int round, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var library = new ProbedSocket(this, spec, raw: false, t);
        var raw = new ProbedSocket(this, spec, raw: true, t);
        var strict = new UTF8Encoding(false, true);
        bool IsUtf8(byte[] b)
        {
            try
            {
                strict.GetCharCount(b);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }
        int messages = 0, frames = 0;
        foreach (var seed in spec.Seeds)
        {
            var randoms = Enumerable.Range(0, RandomPerSeed).Select(k => Mutator.Random(seed, random, $"random r{round}.{k}")).ToList();
            foreach (var m in Mutator.Fixed(seed).Concat(randoms))
            {
                cancel.ThrowIfCancellationRequested();
                // Well-formed text goes through ClientWebSocket; bytes that are not UTF-8 through the raw writer.
                var socket = IsUtf8(m.Bytes) ? library : raw;
                await socket.SendAsync(m.Description, m.Bytes, (c, ct) => c.SendTextAsync(m.Bytes, ct), closes: false, cancel);
                messages++;
            }
            foreach (var c in spec.Cleanup)
                await library.SendAsync("cleanup", Encoding.UTF8.GetBytes(c), (s, ct) => s.SendTextAsync(Encoding.UTF8.GetBytes(c), ct), closes: false, cancel);
        }
        foreach (var (what, bytes, closes) in FrameMutations(spec))
        {
            cancel.ThrowIfCancellationRequested();
            await raw.SendAsync(what, bytes, (c, ct) => closes ? ((RawWebSocket)c).SendCloseAsync(bytes, ct) : ((RawWebSocket)c).SendRawAsync(bytes, ct), closes, cancel);
            frames++;
        }
        await library.CloseAsync();
        await raw.CloseAsync();
        Console.WriteLine($"   round {round} {spec.Name}: {messages:N0} mutated messages and {frames} frame-level inputs in {clock.Elapsed.TotalSeconds:0.0} s; RSS {Mb(_sampler.Sample())}");
    }

    private static IEnumerable<(string What, byte[] Bytes, bool Closes)> FrameMutations(WsSpec spec)
    {
        var s = Encoding.UTF8.GetBytes(spec.Seeds[0]);
        var third = s.Length / 3;
        const byte Fin = Frames.Fin;
        yield return ("a binary frame", Frames.Build(Fin | Frames.Binary, s), false);
        yield return ("a text message in 3 fragments",
            [.. Frames.Build(Frames.Text, s.AsSpan(0, third)), .. Frames.Build(Frames.Continuation, s.AsSpan(third, third)), .. Frames.Build(Fin | Frames.Continuation, s.AsSpan(2 * third))], false);
        yield return ("invalid UTF-8 split across fragments (0xE4 0xB8 | 0x41)",
            [.. Frames.Build(Frames.Text, [.. s.AsSpan(0, third), 0xE4, 0xB8]), .. Frames.Build(Fin | Frames.Continuation, [0x41, .. s.AsSpan(third)])], false);
        yield return ("a continuation with nothing to continue", Frames.Build(Fin | Frames.Continuation, s), false);
        yield return ("an unmasked text frame", Frames.Build(Fin | Frames.Text, s, mask: false), false);
        yield return ("reserved opcode 0x3", Frames.Build(Fin | 0x3, s), false);
        yield return ("reserved control opcode 0xB", Frames.Build(Fin | 0xB, []), false);
        yield return ("RSV1 set with no extension agreed", Frames.Build(Fin | 0x40 | Frames.Text, s), false);
        yield return ("a ping of 125 bytes", Frames.Build(Fin | Frames.Ping, new byte[125]), false);
        yield return ("a ping of 126 bytes (control frames stop at 125)", Frames.Build(Fin | Frames.Ping, new byte[126]), false);
        yield return ("a ping without FIN (a fragmented control frame)", Frames.Build(Frames.Ping, new byte[4]), false);
        yield return ("a text frame declaring 2^63 bytes", Frames.Build(Fin | Frames.Text, [], declaredLength: 1UL << 63), false);
        yield return ("a text frame declaring 2^40 bytes, 1 KiB of it sent", Frames.Build(Fin | Frames.Text, Enumerable.Repeat((byte)'A', 1024).ToArray(), declaredLength: 1UL << 40), false);
        yield return ("a 2 MB text message", Frames.TextFrame([.. s.AsSpan(0, s.Length - 1), .. ",\"pad\":\""u8, .. Enumerable.Repeat((byte)'x', 2_000_000), .. "\"}"u8]), false);
        yield return ("close with status 999", Frames.CloseFrame(999), true);
        yield return ("close with reserved status 1005", Frames.CloseFrame(1005), true);
        yield return ("close with an invalid UTF-8 reason", Frames.CloseFrame(1000, [0xA7, 0xFF]), true);
        yield return ("close with a 1-byte payload", Frames.Build(Fin | Frames.Close, [0x03]), true);
        yield return ("close 1000, well-formed", Frames.CloseFrame(1000), true);
    }

    /// <summary>
    /// One WebSocket connection that is sent one input at a time, each followed by a probe message whose answer shows
    /// the connection still works; a connection that ends is counted (by how it ended, with the input that ended it)
    /// and the next input gets a new one.
    /// </summary>
    private sealed class ProbedSocket(LoadRun run, WsSpec spec, bool raw, Tally tally)
    {
        private IWsConnection? _connection;
        private string _last = "";
        private byte[] _lastBytes = [];
        private int _probes;
        private volatile int _waitingFor;
        private TaskCompletionSource? _answered;

        private string Kind => raw ? "raw" : "ClientWebSocket";

        public async Task SendAsync(string description, byte[] bytes, Func<IWsConnection, CancellationToken, Task<bool>> send, bool closes, CancellationToken cancel)
        {
            if (await ConnectAsync(cancel) is not { } connection) return;
            (_last, _lastBytes) = (description, bytes);
            await send(connection, cancel);
            var timeout = Task.Delay(run._o.RequestTimeout, cancel);
            if (closes)
            {
                await Task.WhenAny(connection.Ended, timeout);
                Record(connection.Ended.IsCompleted ? await connection.Ended : await connection.CloseAsync(TimeSpan.FromSeconds(1)), description, bytes);
                _connection = null;
                return;
            }
            var id = Interlocked.Increment(ref _probes);
            var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (_answered, _waitingFor) = (answered, id);
            await connection.SendTextAsync(spec.Probe(id), cancel);
            var first = await Task.WhenAny(answered.Task, connection.Ended, timeout);
            if (first == answered.Task) return;
            if (first == connection.Ended)
            {
                Record(await connection.Ended, description, bytes);
                _connection = null;
                return;
            }
            cancel.ThrowIfCancellationRequested();
            tally.Add(Tally.Probe, $"unanswered in {run._o.RequestTimeoutSeconds} s (the tool closed the connection)");
            tally.Example($"{spec.Name}: probe unanswered in {run._o.RequestTimeoutSeconds} s", $"{Kind}, after [{description}]: {Tally.Printable(bytes, 90)}", Tally.Category(description));
            Record(await connection.CloseAsync(TimeSpan.FromSeconds(2)), description, bytes);
            _connection = null;
        }

        public async Task CloseAsync()
        {
            if (_connection is not { } c) return;
            Record(c.Ended.IsCompleted ? await c.Ended : await c.CloseAsync(TimeSpan.FromSeconds(5)), "end of the phase (tool's close)", []);
            _connection = null;
        }

        private async Task<IWsConnection?> ConnectAsync(CancellationToken cancel)
        {
            if (_connection is { } current)
            {
                if (!current.Ended.IsCompleted) return current;
                Record(await current.Ended, $"(ended after the probe) {_last}", _lastBytes);
            }
            var (connection, refused) = raw
                ? await RawWebSocket.ConnectAsync(run._terminal, spec.Port, spec.Path, OnMessage, run._o.RequestTimeout, cancel)
                : await ClientWs.ConnectAsync(run._terminal, spec.Port, spec.Path, OnMessage, run._o.RequestTimeout, cancel) is var (c, r) ? ((IWsConnection?)c, r) : default;
            if (connection is null)
            {
                tally.Add(Tally.WsEnd, refused!.Label);
                tally.Example($"{spec.Name}: {refused.Label}", $"{Kind} connect after [{_last}]");
                return null;
            }
            _connection = connection;
            return connection;
        }

        private void OnMessage(byte[] head, long length, bool text)
        {
            var at = head.AsSpan().IndexOf("hlprobe-"u8);
            if (at >= 0)
            {
                var digits = head.AsSpan(at + 8);
                var end = digits.IndexOf((byte)'.');
                if (end > 0 && int.TryParse(Encoding.ASCII.GetString(digits[..end]), CultureInfo.InvariantCulture, out var id))
                {
                    tally.Add(Tally.Probe, "answered");
                    if (id == _waitingFor) _answered?.TrySetResult();
                    return;
                }
            }
            if (spec.Uos) CountUos(tally, head, text);
            else
            {
                CountCameraWs(tally, head, text);
                if (Tally.IsInternalError(Tally.JsonMember(head, "code"), head))
                    tally.Example($"{spec.Name}: code 3 \"internal error\"", $"{Kind}, after [{_last}]: {Tally.Printable(_lastBytes, 90)} → {Tally.JsonMember(head, "message")}", Tally.Category(_last));
            }
        }

        private void Record(WsEnd end, string description, byte[] bytes)
        {
            tally.Add(Tally.WsEnd, end.Label);
            if (end.Kind == WsEndKind.AnsweredToolClose && end.Status == 1000) return;
            tally.Example($"{spec.Name}: {end.Label}", $"{Kind}, after [{description}]: {Tally.Printable(bytes, 90)}", Tally.Category(description));
        }
    }

    // ---- sockets -----------------------------------------------------------------------------------------------

    private async Task SocketsAsync(Tally t, CancellationToken cancel)
    {
        var count = _o.Sockets;
        var clock = Stopwatch.StartNew();
        var gate = new SemaphoreSlim(16);
        // Behaviours, in turn: 0 silent, 1 a command every second, 2 a message one byte every 100 ms (raw), 3 stalled in a frame header (raw).
        string[] names = ["silent", "a command every second", "one byte every 100 ms", "stalled inside a frame header"];
        var opened = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(cancel);
            try
            {
                var uos = i % 2 == 0;
                var behaviour = i / 2 % 4;
                var port = uos ? _terminal.UosPort : _terminal.CameraPort;
                var path = uos ? "/1" : "/";
                void OnMessage(byte[] head, long length, bool text)
                {
                    if (uos) CountUos(t, head, text);
                    else CountCameraWs(t, head, text);
                }
                var (connection, refused) = behaviour >= 2
                    ? await RawWebSocket.ConnectAsync(_terminal, port, path, OnMessage, _o.RequestTimeout, cancel) is var (r, e1) ? ((IWsConnection?)r, e1) : default
                    : await ClientWs.ConnectAsync(_terminal, port, path, OnMessage, _o.RequestTimeout, cancel) is var (c, e2) ? ((IWsConnection?)c, e2) : default;
                if (connection is null)
                {
                    t.Add(Tally.WsEnd, refused!.Label);
                    t.Example($"sockets: {refused.Label}", $"connection {i} ({(uos ? "UOS /1" : "CameraService")}, {names[behaviour]})");
                }
                return (Connection: connection, Uos: uos, Behaviour: behaviour);
            }
            finally
            {
                gate.Release();
            }
        }));
        var live = opened.Where(o => o.Connection is not null).ToList();
        Console.WriteLine($"   opened {live.Count} of {count} WebSocket connections in {clock.Elapsed.TotalSeconds:0.0} s; RSS {Mb(_sampler.Sample())}");

        using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        hold.CancelAfter(TimeSpan.FromSeconds(_o.HoldSeconds));
        var behaviours = live.Select(o => Task.Run(() => BehaveAsync(o.Connection!, o.Uos, o.Behaviour, hold.Token), CancellationToken.None)).ToList();
        var slowHeads = Enumerable.Range(0, Math.Max(1, count / 10)).Select(_ => Task.Run(() => SlowHttpHeadAsync(t, hold.Token, cancel), CancellationToken.None)).ToList();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_o.HoldSeconds), cancel);
        }
        finally
        {
            await hold.CancelAsync();
        }
        await Task.WhenAll(behaviours);
        await Task.WhenAll(slowHeads);
        Console.WriteLine($"   held {live.Count} connections and {slowHeads.Count} slow HTTP heads for {_o.HoldSeconds} s; RSS {Mb(_sampler.Sample())}, peak in phase {Mb(_sampler.PhasePeakKb("sockets"))}");

        var ends = await Task.WhenAll(live.Select(async o =>
        {
            // A stalled client cannot close (its close frame would be read as the frame it left unfinished): it hangs up.
            if (o.Behaviour == 3 && !o.Connection!.Ended.IsCompleted)
            {
                o.Connection.Abort("stalled client hung up");
                return (o, End: await o.Connection.Ended);
            }
            return (o, End: await o.Connection!.CloseAsync(TimeSpan.FromSeconds(5)));
        }));
        foreach (var (o, end) in ends)
        {
            t.Add(Tally.WsEnd, end.Label);
            if (end.Kind is WsEndKind.AnsweredToolClose && end.Status == 1000 || end.Kind == WsEndKind.Aborted) continue;
            t.Example($"sockets: {end.Label}", $"{(o.Uos ? "UOS /1" : "CameraService")}, {names[o.Behaviour]}");
        }
    }

    private async Task BehaveAsync(IWsConnection connection, bool uos, int behaviour, CancellationToken hold)
    {
        var command = Encoding.UTF8.GetBytes(uos ? "{\"cmdtype\":\"getSerialnum\"}" : "{\"function\":\"hl_ping\"}");
        try
        {
            switch (behaviour)
            {
                case 1:
                    while (!connection.Ended.IsCompleted)
                    {
                        await connection.SendTextAsync(command, hold);
                        await Task.Delay(1000, hold);
                    }
                    break;
                case 2:
                    {
                        var socket = (RawWebSocket)connection;
                        // Each message is finished even after the hold ends (bounded: 3 s), so the close that follows is a frame of its own.
                        while (!hold.IsCancellationRequested && !connection.Ended.IsCompleted)
                        {
                            var frame = Frames.TextFrame(command);
                            foreach (var b in frame)
                            {
                                if (!await socket.SendRawAsync(new[] { b }, CancellationToken.None)) return;
                                await Task.Delay(100, CancellationToken.None);
                            }
                        }
                        break;
                    }
                case 3:
                    await ((RawWebSocket)connection).SendRawAsync(new byte[] { Frames.Fin | Frames.Text, 0x80 | 100 }, hold);
                    break;
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>An HTTP request head written one header line every 2 s (slowloris) until the hold ends; what the terminal did about it is counted.</summary>
    private async Task SlowHttpHeadAsync(Tally t, CancellationToken hold, CancellationToken cancel)
    {
        using var socket = new Socket(_terminal.Host.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(_terminal.Endpoint(_terminal.CameraPort), cancel);
        }
        catch (SocketException e)
        {
            t.Add(Tally.Transport, $"slow HTTP head: connect failed ({e.SocketErrorCode})");
            return;
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reading = stream.ReadAsync(new byte[4096], cancel).AsTask();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /param=get HTTP/1.1\r\nHost: {_terminal.HostHeader(_terminal.CameraPort)}\r\n"), cancel);
            for (var i = 0; !hold.IsCancellationRequested && !reading.IsCompleted; i++)
            {
                await Task.Delay(2000, hold);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"X-Slow-{i}: {i}\r\n"), cancel);
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { }
        catch (Exception e) when (e is IOException or SocketException) { }
        string outcome;
        if (reading.IsCompleted)
        {
            try
            {
                var n = await reading;
                outcome = n == 0 ? "the terminal closed it" : "the terminal answered before the head was complete";
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                outcome = "the terminal reset it";
            }
        }
        else outcome = "still open when the hold ended (tool hung up)";
        t.Add(Tally.Transport, $"slow HTTP head: {outcome}");
        socket.Close(0);
        try
        {
            await reading;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    // ---- grabs -------------------------------------------------------------------------------------------------

    private async Task GrabsAsync(Tally t, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var done = 0;
        string[] bodies(int camidx) =>
        [
            $"{{\"camidx\":\"{camidx}\"}}", // v1.0: a file in STATE_DIR/images with a thumbnail
            $"{{\"camidx\":\"{camidx}\",\"filepath\":\"base64\"}}", // v1.0, no file
            $"{{\"camidx\":\"{camidx}\",\"image_process_info\":{{\"rotate\":0,\"color_type\":0}},\"image_storage_info\":{{\"jpg_quality\":75}},\"make_uuid\":\"1\"}}", // v1.5 with a uuid file
        ];
        await Task.WhenAll(Enumerable.Range(0, _o.GrabClients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < _o.Grabs)
            {
                var camidx = i % 2;
                var body = bodies(camidx)[i / 2 % 3];
                var answer = await PostAsync("/video=grabimage", RequestBody.Of(body), new HttpOptions { Timeout = _o.RequestTimeout }, cancel);
                t.CountCameraHttp(answer, $"POST /video=grabimage {body}");
                if (answer.Status == 200) latencies.Add(answer.Elapsed.TotalMilliseconds);
                var n = Interlocked.Increment(ref done);
                if (n % 100 == 0) Console.WriteLine($"   {n} grabs ({clock.Elapsed.TotalSeconds:0.0} s): RSS {Mb(_sampler.Sample())}");
            }
        }, cancel)));
        var sorted = latencies.OrderBy(x => x).ToArray();
        double P(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        var images = _terminal.StateDir is { } dir && Directory.Exists(Path.Combine(dir, "images"))
            ? new DirectoryInfo(Path.Combine(dir, "images")).EnumerateFiles("*", SearchOption.AllDirectories).ToList()
            : [];
        Console.WriteLine($"   {done} grabs in {clock.Elapsed.TotalSeconds:0.0} s: latency p50 {P(0.5):0} ms, p99 {P(0.99):0} ms, max {(sorted.Length > 0 ? sorted[^1] : 0):0} ms; " +
                          (_terminal.Remote ? "images/ n/a (remote)" : $"images/ now {images.Count} files, {Mb(images.Sum(f => f.Length), true)}"));
    }
}
