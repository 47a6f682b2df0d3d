using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Appliance.Core.Identity;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.Security;

/// <summary>Who may use the legacy ports: paired PCs, allowed origins, names of this terminal.</summary>
public sealed class AccessPolicyTests
{
    private static readonly string[] OtherPcsMustPair = ["--access:allowLoopback=false", "--pairing:minAttemptIntervalMs=0"];

    [Fact]
    public async Task Unpaired_pc_is_refused_with_error_7_in_each_protocols_shape()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, OtherPcsMustPair);
        using var pc = new LanClient(terminal, "127.0.0.2");

        var camera = await pc.CameraAsync();
        Assert.Equal(HttpStatusCode.Forbidden, camera.Status);
        Assert.Equal("7", camera.Code);

        var (socket, first) = await pc.UosAsync();
        using var _ = socket;
        var message = JsonDocument.Parse(first!).RootElement;
        Assert.Equal("7", message.GetProperty("response").GetString());
        Assert.Contains("not paired", message.GetProperty("message").GetString());
        var close = await socket.ReceiveAsync(new byte[256], TestContext.Current.CancellationToken);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
    }

    [Fact]
    public async Task Paired_pc_is_served_until_revoked()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, OtherPcsMustPair);
        using var pc = new LanClient(terminal, "127.0.0.2");
        using var operatorPc = new LanClient(terminal, "127.0.0.3");
        await pc.PairAsync("Teller 1");
        await operatorPc.PairAsync("Operator");

        var (socket, first) = await pc.UosAsync();
        socket.Dispose();
        Assert.Equal("serialnum", JsonDocument.Parse(first!).RootElement.GetProperty("response").GetString());
        Assert.NotEqual("7", (await pc.CameraAsync()).Code);

        var list = await operatorPc.ManageAsync("list", expect: HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("data").GetProperty("pairings").EnumerateArray(), p => p.GetProperty("name").GetString() == "Teller 1" && p.GetProperty("address").GetString() == "127.0.0.2");
        await operatorPc.ManageAsync("revoke", new() { ["keyId"] = pc.KeyId! }, HttpStatusCode.OK);

        var camera = await pc.CameraAsync();
        Assert.Equal(("7", HttpStatusCode.Forbidden), (camera.Code, camera.Status));
        var (again, refused) = await pc.UosAsync();
        again.Dispose();
        Assert.Equal("7", JsonDocument.Parse(refused!).RootElement.GetProperty("response").GetString());
        // Its credential is gone too: signed calls are refused with seed 004's "appId does not exist".
        var signed = await pc.ManageAsync("list", expect: HttpStatusCode.Unauthorized);
        Assert.Equal("89000003", signed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Loopback_is_allowed_by_default_with_loopback_origins()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var local = new LanClient(terminal);

        Assert.NotEqual("7", (await local.CameraAsync()).Code);
        Assert.NotEqual("7", (await local.CameraAsync(origin: "http://localhost:8080")).Code);
        Assert.NotEqual("7", (await local.CameraAsync(origin: "http://127.0.0.1")).Code);
        var (socket, first) = await local.UosAsync(origin: "http://127.0.0.1:5500");
        socket.Dispose();
        Assert.Equal("serialnum", JsonDocument.Parse(first!).RootElement.GetProperty("response").GetString());
    }

    [Fact]
    public async Task Wrong_origin_is_refused_and_an_allowlisted_one_is_served()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--access:allowedOrigins:0=http://oa.example.com");
        using var local = new LanClient(terminal);

        var camera = await local.CameraAsync(origin: "http://evil.example");
        Assert.Equal((HttpStatusCode.Forbidden, "7"), camera);
        var (socket, first) = await local.UosAsync(origin: "http://evil.example");
        socket.Dispose();
        var refusal = JsonDocument.Parse(first!).RootElement;
        Assert.Equal("7", refusal.GetProperty("response").GetString());
        Assert.Contains("http://evil.example", refusal.GetProperty("message").GetString());

        Assert.NotEqual("7", (await local.CameraAsync(origin: "http://oa.example.com")).Code);
        var (allowed, answer) = await local.UosAsync(origin: "http://oa.example.com");
        allowed.Dispose();
        Assert.Equal("serialnum", JsonDocument.Parse(answer!).RootElement.GetProperty("response").GetString());
    }

    [Fact]
    public async Task Loopback_allowances_can_be_switched_off()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--access:allowLoopbackOrigins=false");
        using var local = new LanClient(terminal);
        Assert.Equal((HttpStatusCode.Forbidden, "7"), await local.CameraAsync(origin: "http://localhost:8080"));
        Assert.NotEqual("7", (await local.CameraAsync()).Code);
    }

    [Fact]
    public async Task Dns_rebinding_host_gets_421_on_every_port()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var local = new LanClient(terminal);
        var serial = terminal.Service<TerminalIdentity>().Serial.ToLowerInvariant();

        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await local.CameraAsync(host: $"evil.example:{terminal.CameraPort}")).Status);
        foreach (var port in new[] { terminal.UosPort, terminal.AdminPort })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/health");
            request.Headers.Host = "rebind.attacker.test";
            using var response = await local.Http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        }
        foreach (var host in new[] { $"127.0.0.1:{terminal.CameraPort}", "localhost", $"signterm-{serial}.local", $"[::1]:{terminal.CameraPort}" })
            Assert.NotEqual(HttpStatusCode.MisdirectedRequest, (await local.CameraAsync(host: host)).Status);
    }

    [Fact]
    public async Task Refusals_carry_CORS_headers_for_an_allowed_origin_and_never_for_a_refused_one()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, [.. OtherPcsMustPair, "--access:allowedOrigins:0=http://oa.example.com"]);
        using var pc = new LanClient(terminal, "127.0.0.2");
        async Task<HttpResponseMessage> Send(HttpMethod method, string origin, string? host = null, bool preflight = false)
        {
            var request = new HttpRequestMessage(method, $"http://127.0.0.1:{terminal.CameraPort}/param=getversion");
            request.Headers.Add("Origin", origin);
            if (host is not null) request.Headers.Host = host;
            if (preflight)
            {
                request.Headers.Add("Access-Control-Request-Method", "POST");
                request.Headers.Add("Access-Control-Request-Headers", "content-type");
                request.Headers.Add("Access-Control-Request-Private-Network", "true");
            }
            return await pc.Http.SendAsync(request, TestContext.Current.CancellationToken);
        }
        static string? Header(HttpResponseMessage r, string name) => r.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : null;

        // The unpaired PC's page from an allowed origin can read why: 403, code 7, its origin granted.
        using (var refused = await Send(HttpMethod.Get, "http://oa.example.com"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("7", JsonDocument.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("code").GetString());
            Assert.Equal("http://oa.example.com", Header(refused, "Access-Control-Allow-Origin"));
            Assert.Equal("Origin", Header(refused, "Vary"));
        }
        // Its preflight is answered, so the real request (and its code 7) reaches the page.
        using (var preflight = await Send(HttpMethod.Options, "http://oa.example.com", preflight: true))
        {
            Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
            Assert.Equal("http://oa.example.com", Header(preflight, "Access-Control-Allow-Origin"));
            Assert.Equal("GET, POST, OPTIONS", Header(preflight, "Access-Control-Allow-Methods"));
            Assert.Equal("content-type", Header(preflight, "Access-Control-Allow-Headers"));
            Assert.Equal("true", Header(preflight, "Access-Control-Allow-Private-Network"));
        }
        // A refused origin is granted nothing, refusal or preflight.
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Options })
        {
            using var evil = await Send(method, "http://evil.example", preflight: method == HttpMethod.Options);
            Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
            Assert.Null(Header(evil, "Access-Control-Allow-Origin"));
        }
        // The DNS-rebinding refusal too: readable by an allowed origin, not by another.
        using (var misdirected = await Send(HttpMethod.Get, "http://oa.example.com", host: "rebind.attacker.test"))
        {
            Assert.Equal(HttpStatusCode.MisdirectedRequest, misdirected.StatusCode);
            Assert.Equal("http://oa.example.com", Header(misdirected, "Access-Control-Allow-Origin"));
        }
        using (var misdirected = await Send(HttpMethod.Get, "http://evil.example", host: "rebind.attacker.test"))
        {
            Assert.Equal(HttpStatusCode.MisdirectedRequest, misdirected.StatusCode);
            Assert.Null(Header(misdirected, "Access-Control-Allow-Origin"));
        }
        Assert.Contains(File.ReadAllLines(Path.Combine(terminal.StateDir, "audit.log")), l => l.Contains("preflight answered, refused: not paired", StringComparison.Ordinal));
    }
}
