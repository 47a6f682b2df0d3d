using Appliance.Core.Board;
using Appliance.TestSupport;

namespace Appliance.Core.Tests.Board;

public sealed class BoardProfileTests
{
    private static readonly string RepoBoards = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../board"));

    private static BoardProfile Parse(string json) => BoardProfileLoader.Parse("test.json", json);

    private const string Minimal = """
        { "name": "t", "model": "T", "screen": { "device": "sim", "width": 800, "height": 600 },
          "pen": { "device": "sim" }, "fonts": { "cjk": "/font.ttc" } }
        """;

    [Fact]
    public void The_embedded_sim_board_loads_without_files()
    {
        var sim = BoardProfileLoader.Load("sim", searchPath: [], fileExists: _ => true);
        Assert.Equal("sim", sim.Name);
        Assert.Equal("embedded:board/sim/board.json", sim.Source);
        Assert.Equal((1280, 800), (sim.Screen.Width, sim.Screen.Height));
        Assert.Equal(BoardProfile.Simulated, sim.Serial.IdCard?.Port);
    }

    [Theory]
    [InlineData("sim")]
    [InlineData("rk3568-sign10")]
    [InlineData("qemu-virt-arm64")]
    public void Every_profile_in_the_repository_is_valid(string name)
    {
        var profile = BoardProfileLoader.Load(name, [RepoBoards], fileExists: _ => true);
        Assert.Equal(name, profile.Name);
        Assert.Equal(Path.Combine(RepoBoards, name, "board.json"), profile.Source);
    }

    [Theory]
    [InlineData("\"rotation\": 0", "\"rotation\": 45", "screen.rotation", "expected one of 0, 90, 180, 270, found 45")]
    [InlineData("\"width\": 800", "\"width\": 20", "screen.width", "expected 64..8192 pixels, found 20")]
    [InlineData("\"device\": \"sim\", \"width\"", "\"device\": \"fb0\", \"width\"", "screen.device", "expected \"sim\" or an fbdev node")]
    [InlineData("\"pen\": { \"device\": \"sim\" }", "\"pen\": { \"device\": \"sim\", \"calibration\": { \"xMin\": 10, \"xMax\": 5 } }", "pen.calibration.xMax", "expected xMax > xMin")]
    public void A_bad_value_is_reported_with_its_key(string from, string to, string key, string problem)
    {
        var json = Minimal.Replace("\"height\": 600", "\"height\": 600, \"rotation\": 0", StringComparison.Ordinal).Replace(from, to, StringComparison.Ordinal);
        var e = Assert.Throws<BoardProfileException>(() => BoardProfileValidator.Validate(Parse(json), _ => true));
        Assert.Equal("test.json", e.File);
        Assert.Equal(key, e.Key);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void A_serial_port_with_an_odd_baud_rate_is_refused()
    {
        var json = Minimal.Replace("\"fonts\"", "\"serial\": { \"idCard\": { \"port\": \"/dev/ttyS3\", \"baud\": 12345 } }, \"fonts\"", StringComparison.Ordinal);
        var e = Assert.Throws<BoardProfileException>(() => BoardProfileValidator.Validate(Parse(json), _ => true));
        Assert.Equal("serial.idCard.baud", e.Key);
    }

    [Fact]
    public void Gpio_lines_must_be_distinct_and_the_chip_minus_one_or_more()
    {
        static BoardProfileException Refused(string gpio) => Assert.Throws<BoardProfileException>(() => BoardProfileValidator.Validate(
            Parse(Minimal.Replace("\"fonts\"", $"\"gpio\": {gpio}, \"fonts\"", StringComparison.Ordinal)), _ => true));

        var shared = Refused("""{ "chip": 3, "led": 12, "buzzer": 12 }""");
        Assert.Equal("gpio.buzzer", shared.Key);
        Assert.Contains("already gpio.led", shared.Problem);
        Assert.Equal("gpio.chip", Refused("""{ "chip": -2, "led": 1 }""").Key);
        Assert.Equal("gpio.backlight", Refused("""{ "chip": 0, "backlight": -1 }""").Key);
    }

    [Fact]
    public void Unknown_keys_and_wrong_types_are_reported_with_their_path()
    {
        var typo = Assert.Throws<BoardProfileException>(() => Parse(Minimal.Replace("\"model\"", "\"modle\": 1, \"model\"", StringComparison.Ordinal)));
        Assert.Contains("modle", typo.Message);

        var wrongType = Assert.Throws<BoardProfileException>(() => Parse(Minimal.Replace("\"width\": 800", "\"width\": \"wide\"", StringComparison.Ordinal)));
        Assert.Equal("screen.width", wrongType.Key);

        var missing = Assert.Throws<BoardProfileException>(() => Parse("""{ "name": "t", "model": "T" }"""));
        Assert.Contains("screen", missing.Problem);
    }

    [Fact]
    public void A_missing_font_stops_start_up_with_the_package_to_install()
    {
        var e = Assert.Throws<BoardProfileException>(() => BoardProfileValidator.Validate(Parse(Minimal), _ => false));
        Assert.Equal("fonts.cjk", e.Key);
        Assert.Contains("fonts-wqy-microhei", e.Problem);
    }

    [Fact]
    public void An_unknown_board_name_lists_where_it_looked()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<BoardProfileException>(() => BoardProfileLoader.Load("nope", [dir.Path]));
        Assert.Contains(Path.Combine(dir.Path, "nope"), e.Problem);
    }

    private static string WithMagStripe(string magStripe) =>
        Minimal.Replace("\"fonts\"", $"\"serial\": {{ \"magStripe\": {magStripe} }}, \"fonts\"", StringComparison.Ordinal);

    [Fact]
    public void A_keyboard_wedge_stripe_reader_is_named_by_its_input_device()
    {
        var profile = Parse(WithMagStripe("""{ "kind": "evdev", "device": "USB Swipe Reader" }"""));
        BoardProfileValidator.Validate(profile, _ => true);
        Assert.True(profile.Serial.MagStripe!.IsEvdev);
        Assert.Equal("USB Swipe Reader", profile.Serial.MagStripe.Device);
        Assert.Empty(profile.Serial.All());   // not a tty

        var serial = Parse(WithMagStripe("""{ "port": "/dev/ttyUSB0", "baud": 9600 }"""));   // kind defaults to serial
        BoardProfileValidator.Validate(serial, _ => true);
        Assert.Equal(("magStripe", "/dev/ttyUSB0", 9600), serial.Serial.All().Select(p => (p.Role, p.Port.Port, p.Port.Baud)).Single());
    }

    [Theory]
    [InlineData("""{ "kind": "hid", "device": "X" }""", "serial.magStripe.kind", "expected \"serial\" or \"evdev\", found \"hid\"")]
    [InlineData("""{ "kind": "evdev" }""", "serial.magStripe.device", "input device name as EVIOCGNAME reports it")]
    [InlineData("""{ "kind": "evdev", "device": "sim" }""", "serial.magStripe.device", "the sim board simulates a serial reader")]
    [InlineData("""{ "kind": "evdev", "device": "X", "port": "/dev/ttyS1" }""", "serial.magStripe.port", "expected no port for an evdev reader")]
    [InlineData("""{ "kind": "serial", "port": "/dev/ttyS1", "baud": 9600, "device": "X" }""", "serial.magStripe.device", "expected no device for a serial reader")]
    [InlineData("""{ "port": "/dev/ttyS1" }""", "serial.magStripe.baud", "for a serial reader")]
    [InlineData("""{ "port": "ttyS1", "baud": 9600 }""", "serial.magStripe.port", "expected \"sim\" or an absolute tty path")]
    public void A_wrong_stripe_reader_entry_is_reported_with_its_key(string magStripe, string key, string problem)
    {
        var e = Assert.Throws<BoardProfileException>(() => BoardProfileValidator.Validate(Parse(WithMagStripe(magStripe)), _ => true));
        Assert.Equal(key, e.Key);
        Assert.Contains(problem, e.Problem);
    }
}
