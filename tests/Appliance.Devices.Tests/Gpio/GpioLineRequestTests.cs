using Appliance.Devices.Gpio;
using Appliance.Devices.Interop;
using Appliance.Simulators.Gpio;

namespace Appliance.Devices.Tests.Gpio;

/// <summary>The GPIO chardev driver against the simulated chip (same ioctls, structs and errnos) and against real nodes it must refuse.</summary>
public sealed unsafe class GpioLineRequestTests
{
    private static readonly GpioOutputLine[] LedBuzzerBacklight = [new(12, true), new(13, false), new(14, true)];

    [Fact]
    public void Struct_sizes_and_ioctl_numbers_match_the_kernel_headers()
    {
        Assert.Equal(68, sizeof(Libc.GpioChipInfo));
        Assert.Equal(16, sizeof(Libc.GpioV2LineValues));
        Assert.Equal(16, sizeof(Libc.GpioV2LineAttribute));
        Assert.Equal(24, sizeof(Libc.GpioV2LineConfigAttribute));
        Assert.Equal(272, sizeof(Libc.GpioV2LineConfig));
        Assert.Equal(592, sizeof(Libc.GpioV2LineRequest));
        Assert.Equal(364, sizeof(Libc.GpioHandleRequest));
        Assert.Equal(64, sizeof(Libc.GpioHandleData));
        // Field offsets the kernel reads (offsetof in linux/gpio.h as compiled for x86-64/arm64).
        var request = default(Libc.GpioV2LineRequest);
        var start = (byte*)&request;
        Assert.Equal(256, (byte*)request.Consumer - start);
        Assert.Equal(288, (byte*)&request.Config - start);
        Assert.Equal(320, (byte*)&request.Config.Attrs - start);
        Assert.Equal(560, (byte*)&request.NumLines - start);
        Assert.Equal(588, (byte*)&request.Fd - start);
        var handle = default(Libc.GpioHandleRequest);
        Assert.Equal(256, (byte*)&handle.Flags - (byte*)&handle);
        Assert.Equal(324, (byte*)handle.ConsumerLabel - (byte*)&handle);
        Assert.Equal(360, (byte*)&handle.Fd - (byte*)&handle);
        // Values from linux/gpio.h as compiled for x86-64/arm64.
        Assert.Equal((nuint)0x8044b401, Libc.GPIO_GET_CHIPINFO_IOCTL);
        Assert.Equal((nuint)0xc250b407, Libc.GPIO_V2_GET_LINE_IOCTL);
        Assert.Equal((nuint)0xc010b40e, Libc.GPIO_V2_LINE_GET_VALUES_IOCTL);
        Assert.Equal((nuint)0xc010b40f, Libc.GPIO_V2_LINE_SET_VALUES_IOCTL);
        Assert.Equal((nuint)0xc16cb403, Libc.GPIO_GET_LINEHANDLE_IOCTL);
        Assert.Equal((nuint)0xc040b408, Libc.GPIOHANDLE_GET_LINE_VALUES_IOCTL);
        Assert.Equal((nuint)0xc040b409, Libc.GPIOHANDLE_SET_LINE_VALUES_IOCTL);
    }

    [Fact]
    public void Lines_start_at_their_requested_levels_and_a_write_moves_only_its_own_line()
    {
        var chip = new SimulatedGpioChip(name: "gpiochip3", label: "rockchip-gpio3", lineCount: 32);
        using var lines = chip.RequestOutputs(LedBuzzerBacklight, "appliance");

        Assert.Equal(2, lines.UapiVersion);
        Assert.Equal("gpiochip3 \"rockchip-gpio3\", 32 lines, uAPI v2", lines.Detail);
        Assert.Equal(new[] { 12, 13, 14 }, lines.Offsets);
        Assert.Equal(new[] { true, false, true }, new[] { 12, 13, 14 }.Select(o => chip.Line(o).Value));
        Assert.All(new[] { 12, 13, 14 }, o => Assert.Equal("appliance", chip.Line(o).Consumer));
        Assert.Null(chip.Line(11).Consumer);

        lines.Write(13, true);
        lines.Write(13, false);
        lines.Write(12, false);

        Assert.Equal(new[] { false, false, true }, new[] { 12, 13, 14 }.Select(o => chip.Line(o).Value));
        Assert.Equal(1, chip.Line(13).Rises);
        Assert.Equal(1, chip.Line(14).Changes); // the backlight only rose when requested
        Assert.Equal(new[] { "CHIPINFO", "V2_GET_LINE", "V2_SET_VALUES", "V2_SET_VALUES", "V2_SET_VALUES" }, chip.Calls);
    }

    [Fact]
    public void A_kernel_without_uapi_v2_is_driven_through_the_v1_handle_ioctls()
    {
        var chip = new SimulatedGpioChip(lineCount: 32, uapiVersion: 1);
        using var lines = chip.RequestOutputs(LedBuzzerBacklight, "appliance");

        Assert.Equal(1, lines.UapiVersion);
        lines.Write(13, true);
        lines.Write(12, false);

        // v1 writes every line of the handle at once: the others keep what was last written to them.
        Assert.Equal(new[] { false, true, true }, new[] { 12, 13, 14 }.Select(o => chip.Line(o).Value));
        Assert.Equal(new[] { "CHIPINFO", "V2_GET_LINE: errno 22", "V1_GET_LINEHANDLE", "V1_SET_VALUES", "V1_SET_VALUES" }, chip.Calls);

        // On such a kernel a held line is refused by v1 (EBUSY), and that is the reason reported, not v2's EINVAL.
        var busy = Assert.Throws<GpioException>(() => chip.RequestOutputs([new(13, false)], "appliance"));
        Assert.Contains("already in use by another consumer", busy.Message);
    }

    [Fact]
    public void A_line_beyond_the_chip_a_line_in_use_and_a_line_named_twice_are_refused_with_their_reason()
    {
        var chip = new SimulatedGpioChip(name: "gpiochip3", label: "rockchip-gpio3", lineCount: 8);

        var beyond = Assert.Throws<GpioException>(() => chip.RequestOutputs([new(12, false)], "appliance"));
        Assert.Equal(DeviceErrorKind.BadRequest, beyond.Kind);
        Assert.Equal("line 12 is beyond sim:gpiochip3: gpiochip3 \"rockchip-gpio3\" has 8 lines (0..7)", beyond.Message);

        using var held = chip.RequestOutputs([new(3, false)], "gpio-leds");
        var busy = Assert.Throws<GpioException>(() => chip.RequestOutputs([new(2, false), new(3, false)], "appliance"));
        Assert.Equal(DeviceErrorKind.Failed, busy.Kind);
        Assert.StartsWith("lines 2, 3 of sim:gpiochip3: one is already in use by another consumer", busy.Message);
        Assert.Contains("gpioinfo gpiochip3", busy.Message);
        Assert.Null(chip.Line(2).Consumer); // a refused request holds nothing

        var twice = Assert.Throws<GpioException>(() => chip.RequestOutputs([new(4, false), new(4, true)], "appliance"));
        Assert.Equal("sim:gpiochip3: line 4 is requested twice", twice.Message);
        Assert.Throws<GpioException>(() => held.Write(5, true)); // not part of that request
    }

    [Fact]
    public void Disposing_releases_the_lines_and_keeps_their_levels()
    {
        var chip = new SimulatedGpioChip();
        var first = chip.RequestOutputs([new(2, true)], "appliance");
        first.Dispose();

        Assert.Null(chip.Line(2).Consumer);
        Assert.True(chip.Line(2).Value);
        Assert.Throws<ObjectDisposedException>(() => first.Write(2, false));
        using var second = chip.RequestOutputs([new(2, true)], "appliance");
        Assert.Equal("appliance", chip.Line(2).Consumer);
    }

    [Fact]
    public void A_chip_that_went_away_fails_the_write_as_disconnected()
    {
        var chip = new SimulatedGpioChip();
        using var lines = chip.RequestOutputs([new(0, false)], "appliance");
        chip.Vanish();

        var e = Assert.Throws<GpioException>(() => lines.Write(0, true));
        Assert.Equal(DeviceErrorKind.Disconnected, e.Kind);
        Assert.StartsWith("setting line 0 of sim:gpiochip0 to 1: ", e.Message);
        Assert.False(chip.Line(0).Value);
    }

    [Fact]
    public void A_missing_chip_node_is_absent()
    {
        var path = $"/dev/gpiochip-appliance-test-{Environment.ProcessId}";
        var e = Assert.Throws<GpioException>(() => GpioLineRequest.Open(path, LedBuzzerBacklight, "appliance"));
        Assert.True(e.IsAbsent);
        Assert.Equal("gpio", e.Device);
        Assert.StartsWith($"cannot open {path}: ", e.Message);
    }

    [Fact]
    public void A_node_that_is_not_a_gpio_chip_is_refused_by_its_answer_to_chipinfo()
    {
        var e = Assert.Throws<GpioException>(() => GpioLineRequest.Open("/dev/null", LedBuzzerBacklight, "appliance"));
        Assert.False(e.IsAbsent);
        Assert.StartsWith("/dev/null is not a GPIO character device (GPIO_GET_CHIPINFO_IOCTL: ", e.Message);
    }
}
