using Appliance.Devices.IdCard;
using Appliance.Devices.Serial;
using Appliance.Simulators.IdCard;
using Appliance.TestSupport;

namespace Appliance.Devices.Tests.IdCard;

/// <summary>The real GA 467 driver against the pty SAM-module simulator.</summary>
public sealed class SamIdCardReaderTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly TempDir _dir = new();
    private SamModuleSimulator _sim = null!;
    private SamIdCardReader _reader = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = new SamModuleSimulator(_dir.Combine("idcard"));
        _sim.Plug();
        _reader = SamIdCardReader.Open(_sim.PortPath, 115200,
            new SamIdCardReaderSettings { ResponseTimeout = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(50) });
        using var cts = new CancellationTokenSource(Generous);
        await _reader.Link.WaitReadyAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _sim.DisposeAsync();
        _dir.Dispose();
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Generous).Token;

    [Fact]
    public async Task Reads_the_sam_id()
    {
        Assert.Equal("05.01-20240618-0000123456-0987654321", await _reader.ReadSamIdAsync(Timeout()));
        Assert.Contains(((byte)0x12, (byte)0xFF), _sim.Received);
    }

    [Fact]
    public async Task Finds_no_card_then_a_card()
    {
        Assert.False(await _reader.IsCardPresentAsync(Timeout()));
        _sim.PlaceCard(FictionalCard.FromPreset("mainland"));
        Assert.True(await _reader.IsCardPresentAsync(Timeout()));
    }

    [Fact]
    public async Task Reads_a_mainland_card_with_fingerprint()
    {
        var card = FictionalCard.FromPreset("mainland");
        _sim.PlaceCard(card);
        var data = await _reader.ReadAsync(new IdCardReadOptions { WithFingerprint = true }, Timeout());

        Assert.Equal(IdCardKind.Mainland, data.Kind);
        Assert.Equal("C", data.CardType);
        Assert.Equal("林示例", data.Name);
        Assert.Equal("男", data.Sex);
        Assert.Equal("1", data.SexCode);
        Assert.Equal("汉", data.Nation);
        Assert.Equal("01", data.NationCode);
        Assert.Equal("19900307", data.Birthday);
        Assert.Equal("北京市东城区示例路12号院3号楼4单元501室", data.Address);
        Assert.Equal(card.IdNumber, data.IdNumber);
        Assert.True(IdCardCodes.HasValidCheckCharacter(data.IdNumber));
        Assert.Equal("北京市公安局东城分局", data.Issuer);
        Assert.Equal("20200115", data.ValidFrom);
        Assert.Equal("20400115", data.ValidTo);
        Assert.Equal(1024, data.Fingerprint.Length);
        Assert.Equal(card.PhotoWlt, data.PhotoWlt);
        // The sim board has no WLT decoder: no photo, and a reason a person can act on.
        Assert.Null(data.PhotoBmp);
        Assert.Contains("decoderLibrary", data.PhotoUnavailableReason);
        Assert.Equal([(0x20, 0x01), (0x20, 0x02), (0x30, 0x10)], _sim.Received.Where(c => c.Cmd != 0x12).Select(c => ((int)c.Cmd, (int)c.Para)));
    }

    [Fact]
    public async Task Reads_text_and_photo_only_with_command_30_01()
    {
        _sim.PlaceCard(FictionalCard.FromPreset("mainland-nofp"));
        var data = await _reader.ReadAsync(new IdCardReadOptions { WithFingerprint = false }, Timeout());
        Assert.Equal("B", data.CardType);
        Assert.Empty(data.Fingerprint);
        Assert.Contains(((byte)0x30, (byte)0x01), _sim.Received);
    }

    [Fact]
    public async Task Mainland_card_without_fingerprint_is_type_B_even_when_asked_for_fingerprint()
    {
        _sim.PlaceCard(FictionalCard.FromPreset("mainland-nofp"));
        var data = await _reader.ReadAsync(new IdCardReadOptions { WithFingerprint = true }, Timeout());
        Assert.Equal("B", data.CardType);
    }

    [Fact]
    public async Task Reads_a_hong_kong_macau_taiwan_residence_permit()
    {
        var card = FictionalCard.FromPreset("hkmotw");
        _sim.PlaceCard(card);
        var data = await _reader.ReadAsync(new IdCardReadOptions(), Timeout());
        Assert.Equal(IdCardKind.HkMacauTaiwanResident, data.Kind);
        Assert.Equal("J", data.CardType);
        Assert.Equal("陈样本", data.Name);
        Assert.Equal("女", data.Sex);
        Assert.Equal("H00000000", data.PassportId);
        Assert.Equal("01", data.SignCount);
        Assert.StartsWith("810000", data.IdNumber);
        Assert.True(IdCardCodes.HasValidCheckCharacter(data.IdNumber));
    }

    [Fact]
    public async Task Reads_a_foreigners_permanent_residence_card()
    {
        _sim.PlaceCard(FictionalCard.FromPreset("foreigner"));
        var data = await _reader.ReadAsync(new IdCardReadOptions(), Timeout());
        Assert.Equal(IdCardKind.ForeignPermanentResident2023, data.Kind);
        Assert.Equal("I", data.CardType);
        Assert.Equal("SAMPLE, ANNA MARIE", data.NameEn);
        Assert.Equal("安样本", data.Name);
        Assert.Equal("USA", data.NationCode);
        Assert.Equal("国家移民管理局", data.Issuer);
        Assert.StartsWith("9", data.IdNumber);
        Assert.True(IdCardCodes.HasValidCheckCharacter(data.IdNumber));
    }

    [Fact]
    public async Task Reads_a_2017_foreigners_permanent_residence_card()
    {
        var card = FictionalCard.FromPreset("foreigner2017");
        _sim.PlaceCard(card);
        var data = await _reader.ReadAsync(new IdCardReadOptions { WithFingerprint = true }, Timeout());
        Assert.Equal(IdCardKind.ForeignPermanentResident2017, data.Kind);
        Assert.Equal("I", data.CardType);
        Assert.Equal("SAMPLE, MARK JOHN", data.NameEn);
        Assert.Equal("马样本", data.Name);
        Assert.Equal("男", data.Sex);
        Assert.Equal("CAN", data.NationCode);
        Assert.Equal("CAN", data.Nation);
        Assert.Equal("19800709", data.Birthday);
        Assert.Equal("CAN110080070918", data.IdNumber);   // CAN · 1100 · 800709 · 1 · check digit 8
        Assert.Equal("1100", data.IssuerCode);
        Assert.Equal("01", data.CardVersion);
        Assert.Equal("", data.Issuer);                    // the 2017 layout has no issuing-authority text
        Assert.Equal("20190520", data.ValidFrom);
        Assert.Equal("20290520", data.ValidTo);
        Assert.Equal(card.PhotoWlt, data.PhotoWlt);
        Assert.Empty(data.Fingerprint);                   // foreigners' cards carry no fingerprints
    }

    [Fact]
    public async Task No_card_within_the_wait_is_nothing_presented_code_4()
    {
        var e = await Assert.ThrowsAsync<IdCardException>(() =>
            _reader.ReadAsync(new IdCardReadOptions { CardWait = TimeSpan.FromMilliseconds(300) }, Timeout()));
        Assert.Equal(DeviceErrorKind.NothingPresented, e.Kind);
        Assert.Equal(4, e.SharedCode);
    }

    [Fact]
    public async Task Bad_checksum_in_the_answer_is_corrupt_and_the_next_command_works()
    {
        _sim.InjectFault(SamFault.BadChecksum);
        var e = await Assert.ThrowsAsync<IdCardException>(() => _reader.ReadSamIdAsync(Timeout()));
        Assert.Equal(DeviceErrorKind.Corrupt, e.Kind);
        Assert.Contains("checksum", e.Message);
        Assert.Equal(3, e.SharedCode);
        Assert.Equal("05.01-20240618-0000123456-0987654321", await _reader.ReadSamIdAsync(Timeout()));
    }

    [Fact]
    public async Task Truncated_answer_is_corrupt_not_a_hang()
    {
        _sim.PlaceCard(FictionalCard.FromPreset("mainland"));
        _sim.InjectFault(SamFault.Truncate);
        var e = await Assert.ThrowsAsync<IdCardException>(() => _reader.IsCardPresentAsync(Timeout()));
        Assert.Equal(DeviceErrorKind.Corrupt, e.Kind);
        Assert.Contains("truncated", e.Message);
        Assert.True(await _reader.IsCardPresentAsync(Timeout()));
    }

    [Fact]
    public async Task Silent_module_is_a_timeout()
    {
        _sim.InjectFault(SamFault.Silent);
        var e = await Assert.ThrowsAsync<IdCardException>(() => _reader.ReadSamIdAsync(Timeout()));
        Assert.Equal(DeviceErrorKind.Timeout, e.Kind);
        Assert.Equal(4, e.SharedCode);
    }

    [Fact]
    public async Task A_command_with_a_bad_checksum_gets_status_10_from_the_module()
    {
        // Straight onto the wire, bypassing the driver: the simulator must judge the host's checksum.
        await using var raw = TtyStream.Open(_sim.PortPath, 115200);
        var frame = Ga467Frame.Command(0x12, 0xFF);
        frame[^1] ^= 0xFF;
        await raw.WriteAsync(frame, Timeout());
        var answer = new byte[11];
        var got = 0;
        while (got < answer.Length) got += await raw.ReadAsync(answer.AsMemory(got), Timeout());
        Assert.Equal(SamStatus.ChecksumError, answer[9]);
    }

    [Fact]
    public async Task Unplug_mid_read_fails_the_read_then_the_reader_comes_back_by_itself()
    {
        var states = new List<SerialLinkState>();
        _reader.Link.StateChanged += (s, _) => { lock (states) states.Add(s); };
        _sim.PlaceCard(FictionalCard.FromPreset("mainland"));
        _sim.InjectFault(SamFault.UnplugMidAnswer);

        var e = await Assert.ThrowsAsync<IdCardException>(() => _reader.ReadAsync(new IdCardReadOptions(), Timeout()));
        Assert.Equal(DeviceErrorKind.Disconnected, e.Kind);
        Assert.Equal(3, e.SharedCode);

        // While unplugged: absent, code 2.
        var absent = await Assert.ThrowsAsync<IdCardException>(() => _reader.ReadSamIdAsync(Timeout()));
        Assert.Equal(DeviceErrorKind.Absent, absent.Kind);
        Assert.Equal(2, absent.SharedCode);

        _sim.Plug();
        await _reader.Link.WaitReadyAsync(Timeout());
        var data = await _reader.ReadAsync(new IdCardReadOptions(), Timeout());
        Assert.Equal("林示例", data.Name);
        lock (states) Assert.Equal([SerialLinkState.Absent, SerialLinkState.Ready], states.Where(s => s != SerialLinkState.Faulted).Distinct());
    }
}
