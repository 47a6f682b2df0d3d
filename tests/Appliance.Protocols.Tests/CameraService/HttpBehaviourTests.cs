using System.Net;
using System.Text;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>What browsers need from the port besides CORS (VideoGroupTests): query form, large bodies, the size limit, keep-alive.</summary>
public sealed class HttpBehaviourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Large_bodies_are_read_oversized_ones_get_code_8_and_the_connection_stays_usable()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };

        // 40 MB: above Kestrel's 30 MB default, below the port's 64 MB limit, so it is read and answered.
        var big = "{\"hwnd\":\"" + new string('a', 40 * 1024 * 1024) + "\"}";
        using (var response = await http.PostAsync(terminal.CameraUri("/sign=set_recv_hwnd"), new StringContent(big, Encoding.UTF8, "text/plain"), Ct))
            Assert.Equal("6", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("code").GetString());

        var huge = new ByteArrayContent(new byte[65 * 1024 * 1024]);
        using (var response = await http.PostAsync(terminal.CameraUri("/sign=status"), huge, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("8", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("code").GetString());
        }

        // The query form, on the same client (keep-alive: the server does not close after an answer).
        using var query = await http.PostAsync(terminal.CameraUri("/param=get?type=screen_pos"), new StringContent(""), Ct);
        Assert.False(query.Headers.ConnectionClose ?? false);
        Assert.Equal("""{"code":"0","message":"","pos":{"x":"0","y":"0","width":"1280","height":"800"}}""", await query.Content.ReadAsStringAsync(Ct));
    }
}
