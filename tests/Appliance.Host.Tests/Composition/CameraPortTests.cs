using System.Text;
using System.Text.Json;
using Appliance.Adapters.Camera;
using Appliance.Core.Capture;
using Appliance.TestSupport;

namespace Appliance.Host.Tests.Composition;

/// <summary>One road to a camera: the UOS camera commands and CameraService <c>video=</c> use the same channel of the camera port.</summary>
public sealed class CameraPortTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private static async Task<JsonElement> PostAsync(HttpClient http, RunningTerminal t, string path)
    {
        using var response = await http.PostAsync(t.CameraUri(path), new StringContent("", Encoding.UTF8, "text/plain"), Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    [Fact]
    public async Task Uos_getcamera_grabs_on_the_channel_video_open_holds()
    {
        await using var t = await RunningTerminal.StartAsync();
        await t.WaitForDeviceStateAsync("camera1", "ready", Ct);
        var channel = t.Service<ICameraSet>().Get(1)!;
        var uosCamera = Assert.IsType<CameraCaptureAdapter>(t.Service<CaptureDevices>().Camera);
        Assert.Same(channel, uosCamera.Channel);

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        Assert.Equal("1", (await PostAsync(http, t, "/video=open&camidx=1")).GetProperty("count").GetString());
        Assert.Equal(1, channel.OpenCount);

        await using var pc = await UosClient.ConnectAsync(t.UosUri("1"));
        await pc.SendAsync("""{"cmdtype":"get camera","message":{"URL":"vuv"}}""");
        var photo = await pc.ReceiveJsonAsync(Long);
        Assert.Equal("picbase64", photo.GetProperty("response").GetString());
        // The photo was taken from the running camera: it added no reference and did not close the one video=open holds.
        Assert.Equal(1, channel.OpenCount);
        Assert.Equal(CameraChannelState.Running, channel.State);

        Assert.Equal("0", (await PostAsync(http, t, "/video=close&camidx=1")).GetProperty("count").GetString());
        Assert.Equal(CameraChannelState.Ready, channel.State);
    }
}
