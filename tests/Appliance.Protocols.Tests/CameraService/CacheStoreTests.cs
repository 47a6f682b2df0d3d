using Appliance.Protocols.CameraService.Param;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>
/// The §5.16 cache and the grabbed-image directory are bounded (issue 25): past a limit a set answers code 8 naming
/// the limit and stores nothing; params.json is rewritten only when a value changed; images/ keeps its newest files.
/// </summary>
public sealed class CacheStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] SmallCache =
        ["--cameraService:cache:maxValueBytes=1024", "--cameraService:cache:maxTotalBytes=4096", "--cameraService:cache:maxKeys=5"];

    private static string Set(string key, int length, char fill = 'A') => $$"""{"type":"set_cache_data","key":"{{key}}","value":"{{new string(fill, length)}}"}""";

    [Fact]
    public async Task A_value_over_its_limit_is_refused_with_8_and_nothing_is_stored()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, SmallCache);
        Assert.Equal("""{"code":"0","message":""}""", (await terminal.CallAsync("/param=set", Set("a", 1024))).Raw);
        Assert.Equal("""{"code":"8","message":"缓存值过大 / a cached value may hold at most 1024 bytes (cameraService:cache:maxValueBytes), this one has 1025"}""",
            (await terminal.CallAsync("/param=set", Set("b", 1025))).Raw);
        // Replacing a stored value with one too large keeps the old one.
        Assert.Equal("8", (await terminal.JsonAsync("/param=set", Set("a", 1025, 'B'))).Code());
        Assert.Equal($$"""{"code":"0","message":"","all_cache_data":[{"key":"a","value":"{{new string('A', 1024)}}"}]}""",
            (await terminal.CallAsync("/param=get", """{"type":"get_all_cache_data"}""")).Raw);
        // Multi-byte text is counted in UTF-8 bytes: 342 × 3 bytes = 1026.
        Assert.Equal("8", (await terminal.JsonAsync("/param=set", Set("c", 342, '字'))).Code());
    }

    [Fact]
    public async Task A_full_store_and_a_full_key_count_answer_8_and_store_nothing()
    {
        using var state = new TempDir("appliance-cache-");
        await using var terminal = await RunningTerminal.StartAsync(state.Path, SmallCache);
        // Four entries of 1 + 1000 bytes: 4004 of 4096.
        foreach (var key in new[] { "1", "2", "3", "4" })
            Assert.Equal("0", (await terminal.JsonAsync("/param=set", Set(key, 1000))).Code());
        var file = Path.Combine(state.Path, ParamSettings.RelativePath);
        var before = await File.ReadAllBytesAsync(file, Ct);
        Assert.Equal("""{"code":"8","message":"缓存已满 / the cache holds at most 4096 bytes in all (cameraService:cache:maxTotalBytes), this value would make it 4105"}""",
            (await terminal.CallAsync("/param=set", Set("5", 100))).Raw);
        Assert.Equal(before, await File.ReadAllBytesAsync(file, Ct));
        // A replacement is counted without the value it replaces: 4004 - 1001 + 1021 = 4024 fits.
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", Set("4", 1020))).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", Set("5", 0))).Code());
        Assert.Equal("""{"code":"8","message":"缓存键数已满 / the cache holds at most 5 keys (cameraService:cache:maxKeys); clean_cache_data empties it"}""",
            (await terminal.CallAsync("/param=set", Set("6", 0))).Raw);
        var all = (await terminal.JsonAsync("/param=get", """{"type":"get_all_cache_data"}""")).GetProperty("all_cache_data");
        Assert.Equal(["1", "2", "3", "4", "5"], all.EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"type":"clean_cache_data"}""")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", Set("6", 1000))).Code());
    }

    [Fact]
    public async Task Setting_the_same_value_again_leaves_params_json_alone()
    {
        using var state = new TempDir("appliance-cache-");
        await using var terminal = await RunningTerminal.StartAsync(state.Path);
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"type":"set_cache_data","key":"user","value":"v1"}""")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"cutpage":"true"}""")).Code());
        var file = Path.Combine(state.Path, ParamSettings.RelativePath);
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        var old = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(file, old); // a rewrite would move it to now, however coarse the file system's clock
        var inode = new FileInfo(file).LastWriteTimeUtc;

        Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"type":"set_cache_data","key":"user","value":"v1"}""")).Code());
        Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"cutpage":"true"}""")).Code());
        Assert.Equal(inode, new FileInfo(file).LastWriteTimeUtc);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file, Ct));

        Assert.Equal("0", (await terminal.JsonAsync("/param=set", """{"type":"set_cache_data","key":"user","value":"v2"}""")).Code());
        Assert.NotEqual(inode, new FileInfo(file).LastWriteTimeUtc);
        Assert.False(File.Exists(file + ".tmp"));
    }

    [Fact]
    public async Task The_image_directory_keeps_its_newest_files_within_its_cap()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--cameraService:images:maxFiles=3");
        var paths = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (raw, v15) = await terminal.CallAsync("/video=grabimage", """{"camidx":"0","make_uuid":"1","image_process_info":{"rotate":"0"}}""");
            Assert.True(v15.Code() == "0", raw);
            var path = v15.GetProperty("images")[0].GetProperty("filepath").GetString()!;
            Assert.True(Stored(terminal, path) is not null, "the picture a caller was just told of exists");
            paths.Add(path);
        }
        var named = await terminal.JsonAsync("/video=grabimage", """{"camidx":"0","filepath":"C:\\scans\\page.jpg"}""");
        Assert.Equal("0", named.Code());
        Assert.Equal("/images/page.jpg", named.Str("filepath"));
        paths.Add(named.Str("filepath"));
        Assert.NotNull(Stored(terminal, paths[^1]));

        var kept = Directory.GetFiles(terminal.StateDir, "*.jpg", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(paths[^3..].Select(Path.GetFileName).Order(StringComparer.Ordinal), kept);
    }

    /// <summary>The terminal's file behind a page path (<c>/images/{name}</c>): in the page's own folder of the image directory.</summary>
    private static string? Stored(RunningTerminal terminal, string pagePath) =>
        Directory.GetFiles(terminal.StateDir, Path.GetFileName(pagePath), SearchOption.AllDirectories).SingleOrDefault();
}
