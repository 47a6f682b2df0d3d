using Appliance.Core.Identity;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>param=get / param=set (seed 003 §5) on the sim board, including what survives a restart.</summary>
public sealed class ParamTests
{
    [Fact]
    public async Task Large_text_mode_is_set_by_a_pc_and_by_configuration()
    {
        await using (var terminal = await RunningTerminal.StartAsync())
        {
            var screen = terminal.Service<Ui.ScreenService>();
            Assert.Equal(1f, screen.TextScale);
            Assert.Equal("""{"code":"0","message":"","large_text":"1.5"}""", (await terminal.CallAsync("/param=set", """{"large_text":"1"}""")).Raw);
            Assert.Equal(1.5f, screen.TextScale);
            Assert.Equal("""{"code":"0","message":"","large_text":"1.25"}""", (await terminal.CallAsync("/param=set", """{"large_text":"1.25"}""")).Raw);
            var wrong = await terminal.JsonAsync("/param=set", """{"large_text":"3"}""");
            Assert.Equal("1", wrong.Code());
            Assert.Contains("large_text", wrong.Str("message"));
            Assert.Equal("""{"code":"0","message":"","large_text":"1"}""", (await terminal.CallAsync("/param=set", """{"large_text":"0"}""")).Raw);
        }
        await using (var configured = await RunningTerminal.StartAsync(null, "--textScale=1.4"))
            Assert.Equal(1.4f, configured.Service<Ui.ScreenService>().TextScale, 3);
    }

    [Fact]
    public async Task Terminal_values_are_answered_exactly()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var serial = terminal.Service<TerminalIdentity>().Serial;
        Assert.Equal($$"""{"code":"0","message":"","serial_number":"{{serial}}"}""", (await terminal.CallAsync("/param=get", """{"type":"serial_number"}""")).Raw);
        Assert.Equal("""{"code":"0","message":"","pos":{"x":"0","y":"0","width":"1280","height":"800"}}""",
            (await terminal.CallAsync("/param=get", """{"type":"screen_pos"}""")).Raw);
        Assert.Equal($$$"""{"code":"0","message":"","device_info":{"serial_number":"{{{serial}}}","brand_name":"Appliance","device_type":"Appliance SIM-10","company_name":"","credit_code":""}}""",
            (await terminal.CallAsync("/param=get", """{"type":"device_info"}""")).Raw);
        var version = await terminal.JsonAsync("/param=get&type=app_version"); // the URL form works as well as the body
        Assert.Equal("0", version.Code());
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Str("app_version"));

        Assert.Equal("1", (await terminal.JsonAsync("/param=get")).Code());
        Assert.Equal("6", (await terminal.JsonAsync("/param=get", """{"type":"colour_of_the_sky"}""")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/param=set", """{"nothing":"here"}""")).Code());
    }

    [Fact]
    public async Task Settings_and_the_cache_persist_across_a_restart()
    {
        using var state = new TempDir("appliance-param-");
        await using (var terminal = await RunningTerminal.StartAsync(state.Path))
        {
            Assert.Equal("""{"code":"0","message":""}""", (await terminal.CallAsync("/param=set", """{"enable_sign_screen_mouse":"0"}""")).Raw);
            Assert.Equal("1", (await terminal.JsonAsync("/param=set", """{"enable_sign_screen_mouse":"maybe"}""")).Code());
            Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"cutpage":"true","multi_object":"true","cutratio":"0.75"}""")).Code());
            Assert.Equal("1", (await terminal.JsonAsync("/param=set", """{"cutpage":"yes"}""")).Code());
            Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"framerate":"5","camidx":"0"}""")).Code());
            Assert.Equal("1", (await terminal.JsonAsync("/param=set", """{"framerate":"500"}""")).Code());
            Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"preview_resolution":{"width":"640","height":"480"},"camidx":"0"}""")).Code());
            Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"type":"set_cache_data","key":"user1","value":"aaa"}""")).Code());
            Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"type":"set_cache_data","key":"user2","value":"bbb"}""")).Code());
            Assert.Equal("1", (await terminal.JsonAsync("/param=set", """{"type":"set_cache_data","value":"x"}""")).Code());
        }
        await using (var terminal = await RunningTerminal.StartAsync(state.Path))
        {
            Assert.Equal("""{"code":"0","message":"","enable_sign_screen_mouse":"0"}""", (await terminal.CallAsync("/param=get", """{"type":"enable_sign_screen_mouse"}""")).Raw);
            Assert.Equal("""{"code":"0","message":"","cutpage":"true"}""", (await terminal.CallAsync("/param=get", """{"type":"cutpage"}""")).Raw);
            Assert.Equal("""{"code":"0","message":"","framerate":"5"}""", (await terminal.CallAsync("/param=get", """{"type":"framerate","camidx":"0"}""")).Raw);
            Assert.Equal("""{"code":"0","message":"","preview_resolution":{"width":"640","height":"480"}}""",
                (await terminal.CallAsync("/param=get", """{"type":"preview_resolution","camidx":"0"}""")).Raw);
            Assert.Equal("""{"code":"0","message":"","key":"user2","value":"bbb"}""", (await terminal.CallAsync("/param=get", """{"type":"get_cache_data","key":"user2"}""")).Raw);
            Assert.Equal("""{"code":"0","message":"","all_cache_data":[{"key":"user1","value":"aaa"},{"key":"user2","value":"bbb"}]}""",
                (await terminal.CallAsync("/param=get", """{"type":"get_all_cache_data"}""")).Raw);
            Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"type":"clean_cache_data"}""")).Code());
            Assert.Equal("""{"code":"0","message":"","all_cache_data":[]}""", (await terminal.CallAsync("/param=get", """{"type":"get_all_cache_data"}""")).Raw);
            Assert.Equal("1", (await terminal.JsonAsync("/param=get", """{"type":"get_cache_data","key":"user2"}""")).Code());
        }
    }

    [Fact]
    public async Task Camera_resolutions_and_stream_formats_come_from_the_sim_camera()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var list = await terminal.JsonAsync("/param=get", """{"type":"resolution","camidx":"0"}""");
        Assert.Equal("0", list.Code());
        var sizes = list.Str("resolution").Split(' ');
        Assert.All(sizes, s => Assert.Matches(@"^\d+x\d+$", s));
        var current = await terminal.JsonAsync("/param=get", """{"type":"current_resolution","camidx":"0"}""");
        Assert.Contains(current.Str("resolution"), sizes);

        var smallest = sizes[^1].Split('x');
        var set = await terminal.JsonAsync("/param=set", $$"""{"resolution":{"width":"{{smallest[0]}}","height":"{{smallest[1]}}"},"camidx":"0"}""");
        Assert.Equal("0", set.Code());
        Assert.Equal(sizes[^1], set.Str("resolution"));
        Assert.Equal(sizes[^1], (await terminal.JsonAsync("/param=get", """{"type":"current_resolution","camidx":"0"}""")).Str("resolution"));

        var types = await terminal.JsonAsync("/param=get", """{"type":"available_video_type","camidx":"0"}""");
        Assert.Equal("0", types.Code());
        var available = types.GetProperty("available_video_type").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.NotEmpty(available);
        Assert.All(available, t => Assert.Contains(t, new[] { "MJPEG", "YUY2" }));
        var type = (await terminal.JsonAsync("/param=get", """{"type":"video_type","camidx":"0"}""")).Str("video_type");
        Assert.Contains(type, new[] { "MJPG", "YUY2" });
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", $$"""{"video_type":"{{type}}","camidx":"0"}""")).Code());
        Assert.Equal("1", (await terminal.JsonAsync("/param=set", """{"video_type":"H264","camidx":"0"}""")).Code());

        Assert.Equal("2", (await terminal.JsonAsync("/param=get", """{"type":"resolution","camidx":"7"}""")).Code());
    }
}
