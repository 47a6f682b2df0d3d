using System.Text.RegularExpressions;

namespace HostileLoad;

/// <summary>A CameraService route with the well-formed bodies its mutations start from.</summary>
/// <param name="Streaming">a raw route that streams (multipart) instead of answering once.</param>
internal sealed record Route(string Group, string Action, bool Streaming, string[] Seeds)
{
    public string Path => $"/{Group}={Action}";

    public string Key => Normalize(Group) + "=" + Normalize(Action);

    /// <summary>The firmware's <c>WireName</c>: case, spaces and underscores do not count.</summary>
    public static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}

/// <summary>What the tool sends: the CameraService routes (seed 003) and the UOS commands (seed 000), each with seeds.</summary>
internal static partial class Endpoints
{
    /// <summary>A 1x1 PNG.</summary>
    public const string TinyPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private const string Pos = "\"pos\":{\"left\":\"100\",\"top\":\"100\",\"width\":\"600\",\"height\":\"300\"}";

    /// <summary>
    /// The routes mapped in src/Appliance.Protocols/CameraService/**/*Group.cs (2026-12: card, fp, param, barcode_scanner,
    /// sign, video). Nothing here makes the terminal reach beyond itself: pictures are base64, never URLs.
    /// </summary>
    public static readonly Route[] CameraRoutes =
    [
        new("video", "status", false, ["{}"]),
        new("video", "open", false, ["{\"camidx\":\"0\"}"]),
        new("video", "close", false, ["{\"camidx\":\"0\"}"]),
        new("video", "setproperty", false, ["{\"camidx\":\"0\",\"brightness\":\"50\"}"]),
        new("video", "getproperty", false, ["{\"camidx\":\"0\",\"key\":\"brightness\"}"]),
        new("video", "grabimage", false,
        [
            "{\"camidx\":\"0\",\"filepath\":\"base64\",\"rotate\":\"90\",\"jquality\":\"35\",\"xdpi\":\"200\",\"ydpi\":\"200\",\"max_file_size\":\"0\"," +
            "\"watermark\":{\"content\":\"LOAD\",\"pos\":\"4\",\"transparency\":\"128\",\"fontsize\":\"32\",\"color\":\"red\"}}",
            "{\"camidx\":\"1\",\"image_process_info\":{\"rotate\":0,\"color_type\":1,\"cut_type\":0},\"image_storage_info\":{\"jpg_quality\":75,\"xdpi\":200,\"ydpi\":200,\"max_file_size\":0},\"make_uuid\":\"0\"}",
        ]),
        new("video", "stream", true, ["{\"camidx\":\"0\"}"]),
        new("param", "get", false,
        [
            "{\"type\":\"resolution\",\"camidx\":\"0\"}", "{\"type\":\"current_resolution\",\"camidx\":\"0\"}", "{\"type\":\"app_version\"}",
            "{\"type\":\"serial_number\"}", "{\"type\":\"screen_pos\"}", "{\"type\":\"available_video_type\",\"camidx\":\"0\"}",
            "{\"type\":\"video_type\",\"camidx\":\"0\"}", "{\"type\":\"device_info\"}", "{\"type\":\"preview_resolution\",\"camidx\":\"0\"}",
            "{\"type\":\"framerate\",\"camidx\":\"0\"}", "{\"type\":\"enable_sign_screen_mouse\"}", "{\"type\":\"cutpage\"}",
            "{\"type\":\"get_cache_data\",\"key\":\"k1\"}", "{\"type\":\"get_all_cache_data\"}",
        ]),
        new("param", "set", false,
        [
            "{\"framerate\":\"15\",\"camidx\":\"0\"}", "{\"resolution\":{\"width\":\"1280\",\"height\":\"720\"},\"camidx\":\"0\"}",
            "{\"enable_sign_screen_mouse\":\"1\"}", "{\"cutpage\":\"false\"}", "{\"video_type\":\"MJPG\",\"camidx\":\"0\"}",
            "{\"preview_resolution\":{\"width\":\"640\",\"height\":\"480\"},\"camidx\":\"0\"}",
            "{\"type\":\"set_cache_data\",\"key\":\"k1\",\"value\":\"v1\"}", "{\"type\":\"clean_cache_data\"}",
        ]),
        new("sign", "start", false,
        [
            "{" + Pos + ",\"tip_message\":{\"content\":\"请签名\",\"fontsize\":\"24\",\"color\":\"0x000000\"},\"opacity\":\"80\",\"penwidth\":\"4\"," +
            "\"valid_sign_rect\":{\"left\":\"0\",\"top\":\"0\",\"right\":\"100%\",\"bottom\":\"100%\"}," +
            "\"sign_buttons_info\":[{\"button_name\":\"sign_ok_button\",\"text\":\"确定\",\"visible\":\"1\",\"button_rect\":\"10,10,100,50\",\"fontsize\":\"18\"}]," +
            "\"remark\":\"load\",\"background_image\":{\"base64\":\"" + TinyPng + "\"}}",
        ]),
        new("sign", "stop", false, ["{\"task_id\":\"\"}"]),
        new("sign", "get", false, ["{\"task_id\":\"t1\",\"with_samples\":\"1\"}"]),
        new("sign", "status", false, ["{\"task_id\":\"t1\"}"]),
        new("sign", "reset_status", false, ["{}"]),
        new("sign", "reset_sign_device", false, ["{}"]),
        new("sign", "set_recv_hwnd", false, ["{\"hwnd\":\"1\"}"]),
        new("sign", "showevaluator", false,
        [
            "{" + Pos + ",\"tip_message\":{\"content\":\"请评价\",\"fontsize\":\"20\",\"textcolor\":\"0x000000\",\"backgroundcolor\":\"0xffffff\"}," +
            "\"buttons\":[{\"content\":\"满意\",\"fontsize\":\"18\",\"textcolor\":\"0xffffff\",\"buttoncolor\":\"0x0000ff\",\"icon\":\"\",\"type\":\"0\"}]}",
        ]),
        new("sign", "closeevaluator", false, ["{}"]),
        new("sign", "getevaluatorresult", false, ["{\"task_id\":\"t1\"}"]),
        new("sign", "showefloatingbuttongroup", false, ["{" + Pos + ",\"buttons\":[{\"content\":\"A\",\"width\":\"100\",\"height\":\"40\",\"type\":\"0\"}]}"]),
        new("sign", "showfloatingbuttongroup", false, ["{" + Pos + ",\"buttons\":[{\"content\":\"A\",\"width\":\"100\",\"height\":\"40\",\"type\":\"0\"}]}"]),
        new("sign", "closefloatingbuttongroup", false, ["{}"]),
        new("sign", "getfloatingbuttongroupresult", false, ["{}"]),
        new("sign", "showadvertisingplayer", false, ["{\"piclist\":[\"" + TinyPng + "\"],\"time\":\"5\"}"]),
        new("sign", "closeadvertisingplayer", false, ["{}"]),
        new("sign", "stream", true, ["{}"]),
        new("card", "iccard", false, ["{\"timeout\":\"1\"}"]),
        new("card", "sociaseceritycard", false, ["{\"timeout\":\"1\"}"]),
        new("card", "idcard", false, ["{\"timeout\":\"1\"}"]),
        new("card", "getsamid", false, ["{}"]),
        new("card", "magcard", false, ["{\"timeout\":\"1\"}"]),
        new("card", "init", false, ["{}"]),
        new("card", "release", false, ["{}"]),
        new("fp", "read", false, ["{\"type\":\"bmp\",\"timeout\":\"1\"}"]),
        new("fp", "verify", false, ["[{\"type\":\"feature\",\"data\":\"" + TinyPng + "\"},{\"type\":\"feature\",\"data\":\"" + TinyPng + "\"}]"]),
        new("barcode_scanner", "open", false, ["{\"baud_rate\":\"9600\"}"]),
        new("barcode_scanner", "get", false, ["{}"]),
        new("barcode_scanner", "close", false, ["{}"]),
    ];

    /// <summary>Calls that end whatever a mutated call may have left on screen or open (sent between batches).</summary>
    public static readonly (string Path, string Body)[] CameraCleanup =
    [
        ("/sign=stop", "{}"), ("/sign=closeevaluator", "{}"), ("/sign=closefloatingbuttongroup", "{}"),
        ("/sign=closeadvertisingplayer", "{}"), ("/barcode_scanner=close", "{}"),
    ];

    /// <summary>WebSocket functions of the CameraService port (<c>MapFunction</c>), with seeds.</summary>
    public static readonly (string Function, string[] Seeds)[] CameraFunctions =
    [
        ("grab_image", ["{\"function\":\"grab_image\",\"params\":{\"camidx\":\"0\",\"filepath\":\"base64\",\"jquality\":\"35\"}}",
                        "{\"function\":\"grab_image\",\"params\":{\"camidx\":\"1\",\"image_process_info\":{\"rotate\":0,\"color_type\":2},\"image_storage_info\":{\"jpg_quality\":50}}}"]),
    ];

    /// <summary>Functions that are not mapped: the socket must answer them with a code too.</summary>
    public static readonly string[] CameraUnknownFunctions =
    [
        "{\"function\":\"show_sign_pdf\",\"params\":{\"path\":\"x.pdf\"}}",
        "{\"function\":\"sign_start\",\"params\":{}}",
        "{\"params\":{\"camidx\":\"0\"}}",
    ];

    /// <summary>The UOS commands of seed 000 (src/Appliance.Protocols/Uos/UosCommandHandler.cs), /1 (PC page).</summary>
    public static readonly string[] UosSeeds =
    [
        "{\"cmdtype\":\"getSerialnum\"}",
        "{\"cmdtype\":\"getsign\",\"message\":{\"penwidth\":6,\"pos_x\":300,\"pos_y\":200,\"width\":600,\"height\":300}}",
        "{\"cmdtype\":\"getsign\",\"message\":\"{\\\"penwidth\\\":8}\"}",
        "{\"cmdtype\":\"getfinger\",\"message\":{\"pos_x\":\"300\",\"pos_y\":\"200\",\"width\":\"400\",\"height\":\"300\"}}",
        "{\"cmdtype\":\"closefinger\"}",
        "{\"cmdtype\":\"mixsignfinger\"}",
        "{\"cmdtype\":\"previewcamera\"}",
        "{\"cmdtype\":\"getcamera\"}",
        "{\"cmdtype\":\"stopcamera\"}",
        "{\"cmdtype\":\"getcard\"}",
        "{\"cmdtype\":\"openextscreen\",\"message\":{\"url\":\"http://127.0.0.1/\"}}",
        "{\"cmdtype\":\"closeextscreen\"}",
        "{\"cmdtype\":\"btninfo\",\"message\":{\"btn\":\"1\"}}",
    ];

    /// <summary>Sent on a UOS socket after each mutated batch: stops a camera preview and closes a fingerprint window.</summary>
    public static readonly string[] UosCleanup = ["{\"cmdtype\":\"stopcamera\"}", "{\"cmdtype\":\"closefinger\"}"];

    /// <summary>
    /// Adds the routes <c>Map</c>ped in the firmware's source that this list does not know (mutated from <c>{}</c>), so a
    /// new group is not missed. Returns what was added and what this list has that the source no longer maps.
    /// </summary>
    public static (List<Route> Routes, List<string> Added, List<string> NotInSource, string? Source) WithSource(string? sourceDir)
    {
        var routes = CameraRoutes.ToList();
        var dir = sourceDir ?? FindSource();
        if (dir is null) return (routes, [], [], null);
        var camera = Directory.Exists(Path.Combine(dir, "Appliance.Protocols", "CameraService")) ? Path.Combine(dir, "Appliance.Protocols", "CameraService") : dir;
        if (!Directory.Exists(camera)) return (routes, [], [], null);
        var mapped = new Dictionary<string, (string Group, string Action, bool Raw)>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(camera, "*.cs", SearchOption.AllDirectories))
            foreach (Match m in MapCall().Matches(File.ReadAllText(file)))
            {
                var route = (m.Groups[2].Value, m.Groups[3].Value, m.Groups[1].Value == "Raw");
                mapped.TryAdd(Route.Normalize(route.Item1) + "=" + Route.Normalize(route.Item2), route);
            }
        var known = routes.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var added = new List<string>();
        foreach (var (key, (group, action, raw)) in mapped.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (known.Contains(key)) continue;
            routes.Add(new Route(group, action, raw, ["{}"]));
            added.Add($"/{group}={action}");
        }
        var notInSource = mapped.Count == 0 ? [] : routes.Where(r => !mapped.ContainsKey(r.Key)).Select(r => r.Path).ToList();
        return (routes, added, notInSource, camera);
    }

    private static string? FindSource()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "src", "Appliance.Protocols", "CameraService")))
                    return Path.Combine(dir.FullName, "src");
        return null;
    }

    [GeneratedRegex("""\.Map(Raw)?\(\s*"([^"]+)"\s*,\s*"([^"]*)"\s*,""")]
    private static partial Regex MapCall();
}
