using System.Text;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>What a vendor page does: POST <c>/group=action</c> with a JSON body sent as text/plain, read the JSON answer.</summary>
internal static class CameraServiceClient
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<(string Raw, JsonElement Json)> CallAsync(this RunningTerminal terminal, string path, string body = "")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var response = await http.PostAsync(terminal.CameraUri(path), new StringContent(body, Encoding.UTF8, "text/plain"), Ct);
        var raw = await response.Content.ReadAsStringAsync(Ct);
        return (raw, JsonDocument.Parse(raw).RootElement.Clone());
    }

    public static async Task<JsonElement> JsonAsync(this RunningTerminal terminal, string path, string body = "") =>
        (await terminal.CallAsync(path, body)).Json;

    public static string Code(this JsonElement answer) => answer.GetProperty("code").GetString()!;

    public static string Str(this JsonElement answer, string name) => answer.GetProperty(name).GetString()!;

    /// <summary>Pen samples on the sim board's screen, through the admin port's <c>/sim/pen</c> (real input_event records into the pen pipe).</summary>
    public static async Task PenAsync(this RunningTerminal terminal, params (int X, int Y, bool Down)[] samples)
    {
        var json = "{\"samples\":[" + string.Join(",", samples.Select(s =>
            $"{{\"x\":{s.X},\"y\":{s.Y},\"pressure\":{(s.Down ? "0.6" : "0")},\"down\":{(s.Down ? "true" : "false")}}}")) + "]}";
        using var response = await terminal.Http.PostAsync("/sim/pen", new StringContent(json, Encoding.UTF8, "text/plain"), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    public static Task TapAsync(this RunningTerminal terminal, int x, int y) => terminal.PenAsync((x, y, true), (x, y, false));

    /// <summary>Polls an endpoint until <paramref name="done"/> holds (the pen pipe is asynchronous); generous for a loaded machine.</summary>
    public static async Task<JsonElement> UntilAsync(this RunningTerminal terminal, string path, string body, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var answer = await terminal.JsonAsync(path, body);
            if (done(answer)) return answer;
            if (DateTime.UtcNow > deadline) Assert.Fail($"{path} never reached the expected answer; last: {answer}");
            await Task.Delay(100, Ct);
        }
    }
}
