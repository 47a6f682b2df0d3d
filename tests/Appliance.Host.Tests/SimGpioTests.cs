using System.Text.Json;
using Appliance.Core.Session;
using Appliance.TestSupport;

namespace Appliance.Host.Tests;

/// <summary>The sim board's LED, buzzer and backlight as <c>GET /sim/gpio</c> shows them, through a real signing on the UOS port.</summary>
public sealed class SimGpioTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> GpioAsync(RunningTerminal terminal) =>
        JsonDocument.Parse(await terminal.Http.GetStringAsync("/sim/gpio", Ct)).RootElement;

    private static JsonElement Line(JsonElement gpio, string function) =>
        gpio.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("function").GetString() == function);

    /// <summary>Polls until the condition holds (blinks and the second beep happen on the terminal's own clock).</summary>
    private static async Task<JsonElement> WaitForAsync(RunningTerminal terminal, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var gpio = await GpioAsync(terminal);
            if (condition(gpio)) return gpio;
            Assert.True(DateTime.UtcNow < deadline, $"{what} never happened; last /sim/gpio: {gpio}");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task At_start_the_backlight_and_led_are_lit_and_health_shows_gpio_ready_with_chip_and_lines()
    {
        await using var terminal = await RunningTerminal.StartAsync();

        var gpio = await GpioAsync(terminal);
        Assert.Equal("sim:gpiochip0", gpio.GetProperty("chip").GetString());
        Assert.Equal(0, gpio.GetProperty("beeps").GetInt32());
        Assert.Equal((0, 1), (Line(gpio, "led").GetProperty("line").GetInt32(), Line(gpio, "led").GetProperty("value").GetInt32()));
        Assert.Equal((1, 0), (Line(gpio, "buzzer").GetProperty("line").GetInt32(), Line(gpio, "buzzer").GetProperty("value").GetInt32()));
        Assert.Equal((2, 1), (Line(gpio, "backlight").GetProperty("line").GetInt32(), Line(gpio, "backlight").GetProperty("value").GetInt32()));
        Assert.Equal("appliance", Line(gpio, "backlight").GetProperty("consumer").GetString());

        var health = JsonDocument.Parse(await terminal.Http.GetStringAsync("/health", Ct)).RootElement;
        var device = health.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "gpio");
        Assert.Equal("ready", device.GetProperty("state").GetString());
        Assert.Equal("sim", device.GetProperty("location").GetString());
        Assert.Equal("gpiochip0 \"appliance-sim-gpio\", 8 lines, uAPI v2; led 0, buzzer 1, backlight 2", device.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_led_blinks_while_the_signature_window_waits_and_one_beep_follows_ok()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        var before = Line(await GpioAsync(terminal), "led").GetProperty("changes").GetInt32();

        await terminal.OpenUosSignWindowAsync(pc);
        await WaitForAsync(terminal, g => Line(g, "led").GetProperty("changes").GetInt32() >= before + 3, "the LED blinking");
        Assert.Equal(0, (await GpioAsync(terminal)).GetProperty("beeps").GetInt32());

        pen.Line(350, 300, 700, 350);
        pen.Tap(300 + 600 - 20 - 70, 200 + 300 - 20 - 28); // OK
        var answer = await pc.ReceiveJsonAsync();
        Assert.Equal("signbase64", answer.GetProperty("response").GetString());

        var after = await GpioAsync(terminal);
        Assert.Equal(1, after.GetProperty("beeps").GetInt32()); // sounding by the time the PC has the signature
        Assert.Equal(1, Line(after, "led").GetProperty("value").GetInt32()); // steady on: ready again
        await WaitForAsync(terminal, g => Line(g, "buzzer").GetProperty("value").GetInt32() == 0, "the beep ending");
        Assert.Equal(1, (await GpioAsync(terminal)).GetProperty("beeps").GetInt32());
    }

    [Fact]
    public async Task A_signature_window_nobody_signs_times_out_with_a_double_beep()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--session:signTimeoutSeconds=1");
        await using var pc = await UosClient.ConnectAsync(terminal.UosUri("1"));

        await terminal.OpenUosSignWindowAsync(pc);
        var gpio = await WaitForAsync(terminal, g => g.GetProperty("beeps").GetInt32() == 2 && Line(g, "buzzer").GetProperty("value").GetInt32() == 0,
            "the double beep");

        Assert.Null(terminal.Service<TerminalSession>().Current);
        Assert.Equal(1, Line(gpio, "led").GetProperty("value").GetInt32());
    }
}
