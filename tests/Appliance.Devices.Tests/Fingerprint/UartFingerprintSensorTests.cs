using Appliance.Devices.Fingerprint;
using Appliance.Devices.Serial;
using Appliance.Simulators.Fingerprint;
using Appliance.TestSupport;

namespace Appliance.Devices.Tests.Fingerprint;

/// <summary>The real R30x/AS608 packet driver against the pty module simulator.</summary>
public sealed class UartFingerprintSensorTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();
    private FingerprintModuleSimulator _sim = null!;
    private UartFingerprintSensor _sensor = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = new FingerprintModuleSimulator(_dir.Combine("fingerprint"));
        _sim.Plug();
        _sensor = UartFingerprintSensor.Open(_sim.PortPath, 57600,
            new UartFingerprintSensorSettings { ResponseTimeout = TimeSpan.FromSeconds(5), PollInterval = TimeSpan.FromMilliseconds(30) });
        await _sensor.Link.WaitReadyAsync(new CancellationTokenSource(Generous).Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _sensor.DisposeAsync();
        await _sim.DisposeAsync();
        _dir.Dispose();
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Generous).Token;

    [Fact]
    public async Task Probe_verified_the_password()
    {
        Assert.Contains(FpmCodes.VfyPwd, _sim.ReceivedInstructions);
        Assert.False(await _sensor.IsFingerPresentAsync(Timeout()));
        _sim.PlaceFinger(SimulatedFinger.Of(1, 2));
        Assert.True(await _sensor.IsFingerPresentAsync(Timeout()));
    }

    [Fact]
    public async Task Captures_a_256x288_image_and_a_feature()
    {
        var finger = SimulatedFinger.Of(1, 2);
        _sim.PlaceFinger(finger);
        var capture = await _sensor.CaptureAsync(new FingerprintCaptureOptions(), Timeout());

        Assert.NotNull(capture.Image);
        Assert.Equal(256, capture.Image.Width);
        Assert.Equal(288, capture.Image.Height);
        // The module sends 4-bit pixels: what arrives is the simulator's image with the low nibble dropped.
        var captureIndex = 0; // first GenImg after placing the finger
        var expected = finger.Image(captureIndex);
        for (var i = 0; i < expected.Length; i += 997)
            Assert.Equal(expected[i] >> 4, capture.Image.Pixels[i] >> 4);
        Assert.Contains(capture.Image.Pixels, p => p < 100); // ridges
        Assert.Contains(capture.Image.Pixels, p => p == 255); // background
        Assert.Equal(512, capture.Feature.Length);
        Assert.Equal(new[] { FpmCodes.GenImg, FpmCodes.UpImage, FpmCodes.Img2Tz, FpmCodes.UpChar },
            _sim.ReceivedInstructions.Where(i => i != FpmCodes.VfyPwd).ToArray());
    }

    [Fact]
    public async Task Feature_only_capture_does_not_upload_the_image()
    {
        _sim.PlaceFinger(SimulatedFinger.Of(1, 2));
        var capture = await _sensor.CaptureAsync(new FingerprintCaptureOptions { WithImage = false }, Timeout());
        Assert.Null(capture.Image);
        Assert.Equal(512, capture.Feature.Length);
        Assert.DoesNotContain(FpmCodes.UpImage, _sim.ReceivedInstructions);
    }

    [Fact]
    public async Task Module_matches_two_presses_of_one_finger_high_and_different_fingers_low()
    {
        _sim.PlaceFinger(SimulatedFinger.Of(1, 2));
        var a1 = (await _sensor.CaptureAsync(new FingerprintCaptureOptions { WithImage = false }, Timeout())).Feature;
        var a2 = (await _sensor.CaptureAsync(new FingerprintCaptureOptions { WithImage = false }, Timeout())).Feature;
        _sim.PlaceFinger(SimulatedFinger.Of(2, 7));
        var b = (await _sensor.CaptureAsync(new FingerprintCaptureOptions { WithImage = false }, Timeout())).Feature;

        Assert.NotEqual(a1, a2); // two presses are never byte-identical
        var same = await _sensor.MatchAsync(a1, a2, Timeout());
        var different = await _sensor.MatchAsync(a1, b, Timeout());
        Assert.InRange(same, 60, 100);
        Assert.InRange(different, 0, 30);
        Assert.Contains(FpmCodes.DownChar, _sim.ReceivedInstructions);
        Assert.Contains(FpmCodes.Match, _sim.ReceivedInstructions);
    }

    [Fact]
    public async Task Verifies_a_stored_feature_against_a_live_finger()
    {
        _sim.PlaceFinger(SimulatedFinger.Of(3, 1));
        var enrolled = (await _sensor.CaptureAsync(new FingerprintCaptureOptions { WithImage = false }, Timeout())).Feature;
        Assert.InRange(await _sensor.VerifyLiveAsync(enrolled, TimeSpan.FromSeconds(5), Timeout()), 60, 100);
        _sim.PlaceFinger(SimulatedFinger.Of(4, 1));
        Assert.InRange(await _sensor.VerifyLiveAsync(enrolled, TimeSpan.FromSeconds(5), Timeout()), 0, 30);
    }

    [Fact]
    public async Task A_feature_of_the_wrong_size_is_a_bad_request()
    {
        var e = await Assert.ThrowsAsync<FingerprintException>(() => _sensor.MatchAsync(new byte[10], new byte[512], Timeout()));
        Assert.Equal(1, e.SharedCode);
    }

    [Fact]
    public async Task No_finger_within_the_wait_is_nothing_presented()
    {
        var e = await Assert.ThrowsAsync<FingerprintException>(() =>
            _sensor.CaptureAsync(new FingerprintCaptureOptions { FingerWait = TimeSpan.FromMilliseconds(200) }, Timeout()));
        Assert.Equal(DeviceErrorKind.NothingPresented, e.Kind);
        Assert.Equal(FpmCodes.NoFinger, e.ConfirmationCode);
    }

    [Fact]
    public async Task Bad_checksum_is_corrupt_and_the_next_command_works()
    {
        _sim.InjectFault(FpmFault.BadChecksum);
        var e = await Assert.ThrowsAsync<FingerprintException>(() => _sensor.IsFingerPresentAsync(Timeout()));
        Assert.Equal(DeviceErrorKind.Corrupt, e.Kind);
        Assert.Contains("checksum", e.Message);
        Assert.False(await _sensor.IsFingerPresentAsync(Timeout()));
    }

    [Fact]
    public async Task Truncated_packet_is_corrupt()
    {
        _sim.InjectFault(FpmFault.Truncate);
        var e = await Assert.ThrowsAsync<FingerprintException>(() => _sensor.IsFingerPresentAsync(Timeout()));
        Assert.Equal(DeviceErrorKind.Corrupt, e.Kind);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public async Task Silent_module_is_a_timeout()
    {
        _sim.InjectFault(FpmFault.Silent);
        var e = await Assert.ThrowsAsync<FingerprintException>(() => _sensor.IsFingerPresentAsync(Timeout()));
        Assert.Equal(DeviceErrorKind.Timeout, e.Kind);
    }

    [Fact]
    public async Task A_host_packet_with_a_bad_checksum_gets_confirmation_code_01()
    {
        await using var raw = TtyStream.Open(_sim.PortPath, 57600);
        var packet = new FpmPacket(FpmPacket.Command, [FpmCodes.GenImg]).ToBytes();
        packet[^1] ^= 0xFF;
        await raw.WriteAsync(packet, Timeout());
        var answer = new byte[12];
        var got = 0;
        while (got < answer.Length) got += await raw.ReadAsync(answer.AsMemory(got), Timeout());
        Assert.Equal(FpmPacket.Ack, answer[6]);
        Assert.Equal(FpmCodes.PacketError, answer[9]);
    }

    [Fact]
    public async Task Unplug_during_image_upload_fails_then_the_sensor_comes_back()
    {
        _sim.PlaceFinger(SimulatedFinger.Of(1, 2));
        Assert.True(await _sensor.IsFingerPresentAsync(Timeout()));
        _sim.InjectFault(FpmFault.UnplugMidAnswer);
        var e = await Assert.ThrowsAsync<FingerprintException>(() => _sensor.CaptureAsync(new FingerprintCaptureOptions(), Timeout()));
        Assert.True(e.Kind == DeviceErrorKind.Disconnected, e.Message);

        _sim.Plug();
        await _sensor.Link.WaitReadyAsync(Timeout());
        var capture = await _sensor.CaptureAsync(new FingerprintCaptureOptions(), Timeout());
        Assert.NotNull(capture.Image);
    }
}
