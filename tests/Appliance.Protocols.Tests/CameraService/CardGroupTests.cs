using System.Text;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService;

/// <summary>pcscd and the virtual reader, shared by the card tests (one virtual slot: they run one at a time).</summary>
public sealed class PcscFixture : IAsyncLifetime
{
    public PcscDaemon? Daemon { get; private set; }
    public async ValueTask InitializeAsync() => Daemon = await PcscDaemon.EnsureRunningAsync();
    public async ValueTask DisposeAsync()
    {
        if (Daemon is not null) await Daemon.DisposeAsync();
    }
}

/// <summary>card=iccard and card=sociaseceritycard end to end: HTTP → PC/SC (pcscd, vpcd) → a scripted card emulator.</summary>
public sealed class CardGroupTests(PcscFixture pcsc) : IClassFixture<PcscFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> PostAsync(RunningTerminal terminal, string path, string body = "")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var response = await http.PostAsync(terminal.CameraUri(path), new StringContent(body, Encoding.UTF8, "text/plain"), Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    [Fact]
    public async Task An_emv_card_is_read_into_ICCardInfo()
    {
        Assert.NotNull(pcsc.Daemon);
        await using var terminal = await RunningTerminal.StartAsync();
        await using var card = await VirtualCard.InsertAsync("emv_card.py");

        var answer = await PostAsync(terminal, "/card=iccard");
        Assert.True(answer.GetProperty("code").GetString() == "0", answer.ToString() + "\n" + card.Log);
        var info = answer.GetProperty("ICCardInfo");
        string F(string name) => info.GetProperty(name).GetString()!;
        Assert.Equal("9999990000000000014", F("CardNumber"));
        Assert.Equal("9999990000000000014", F("AccountNumber"));
        Assert.Equal("ZHANG/SAN", F("Name"));
        Assert.Equal("张三", F("NameExtend"));
        Assert.Equal("00", F("CertificatesType"));
        Assert.Equal("110101199001011237", F("CertificatesNo"));
        Assert.Equal("9999990000000000014=49122011234567890", F("Track2"));
        Assert.Equal("123.45", F("Balance"));
        Assert.Equal("1000.00", F("BalanceLimit"));
        Assert.Equal("500.00", F("SingleTradingLimit"));
        Assert.Equal("1000.00", F("ResetThreshold"));
        Assert.Equal("191201", F("EffectiveDate"));
        Assert.Equal("491231", F("ExpiryDate"));
        Assert.Equal("01", F("SerialNumber"));
        Assert.Equal("0156", F("CurrencyCode"));
        Assert.Equal("3", F("PinRetryTime"));
        Assert.Equal("35", F("Atc"));
        Assert.Equal("A000000333010101", F("IcCardAID"));
        Assert.Equal("0", F("AppLock"));
        Assert.Equal("10.00", F("AuthorizedAmount"));
        Assert.Equal("0.00", F("OtherAmount"));
        Assert.Equal("0156", F("TransactionCurrencyCode"));
        Assert.Equal("251120", F("TransactionDate"));
        Assert.Equal("143015", F("TransactionTime"));
        Assert.Equal("SHOP 001", F("MerchantNumber"));
        Assert.False(info.TryGetProperty("Track3", out _)); // an EMV chip carries no track 3
        Assert.False(info.TryGetProperty("Track1", out _)); // this card has no track 1 image (56), only its discretionary data (9F1F)
    }

    [Fact]
    public async Task A_contact_t0_card_with_only_a_pse_is_read_through_get_response_and_le_corrections()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var card = await VirtualCard.InsertAsync("emv_contact_pse_card.py");

        var answer = await PostAsync(terminal, "/card=iccard");
        Assert.True(answer.GetProperty("code").GetString() == "0", answer.ToString() + "\n" + card.Log);
        var info = answer.GetProperty("ICCardInfo");
        string F(string name) => info.GetProperty(name).GetString()!;
        Assert.Equal("A000000333010102", F("IcCardAID"));   // found through the PSE's directory record
        Assert.Equal("9999990000000022", F("CardNumber"));
        Assert.Equal("9999990000000022=28122201234567890", F("Track2"));
        Assert.Equal("B9999990000000022^LI/SI^2812220000001234567", F("Track1"));   // tag 56
        Assert.Equal("310101198506150024", F("CertificatesNo"));
        Assert.Equal("李四", F("NameExtend"));
        Assert.Equal("7", F("Atc"));
        Assert.Equal("2", F("PinRetryTime"));
        Assert.Equal("10", F("TransactionLimitNumber_I_N"));   // 9F72
        Assert.Equal("5", F("TransactionLimitNumber_I_C"));    // 9F53
        Assert.Equal("500.00", F("TradingLimitNumber"));       // 9F54
        Assert.Equal("800.00", F("TradingLimitNumber_Double")); // 9F75
        Assert.Equal("1000.00", F("TransactionAmountUpperLimit")); // 9F5C
        Assert.Equal("3", F("TradingFloor"));
        Assert.Equal("9", F("TradingCeiling"));

        // On the wire: no PPSE, so the PSE; data came by GET RESPONSE (in chunks) and by resending with the Le from 6Cxx.
        var log = card.Log;
        Assert.Contains("00a404000e325041592e5359532e4444463031", log);   // SELECT 2PAY.SYS.DDF01 ...
        Assert.Contains("-> 6a82", log);                                   // ... not there
        Assert.Contains("00a404000e315041592e5359532e4444463031", log);   // SELECT 1PAY.SYS.DDF01
        Assert.Matches(@"APDU 00c0000020 -> [0-9a-f]{64}61[0-9a-f]{2}\n", log);   // GET RESPONSE: a 32-byte chunk and "more to come" ...
        Assert.Matches(@"APDU 00c00000[0-9a-f]{2} -> [0-9a-f]+9000\n", log);      // ... until the rest
        Assert.Matches(@"APDU 00b2011c00 -> 6c[0-9a-f]{2}", log);          // READ RECORD 1 of the PSE's SFI 3: wrong Le ...
        Assert.Matches(@"APDU 00b2011c[0-9a-f]{2} -> 70", log);            // ... sent again with the card's
    }

    [Fact]
    public async Task A_social_security_card_is_read_into_SocialCardInfo()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var card = await VirtualCard.InsertAsync("social_security_card.py");

        var answer = await PostAsync(terminal, "/card=sociaseceritycard");
        Assert.True(answer.GetProperty("code").GetString() == "0", answer.ToString() + "\n" + card.Log);
        var info = answer.GetProperty("SocialCardInfo");
        string F(string name) => info.GetProperty(name).GetString()!;
        Assert.Equal("310101199001011234", F("SocialSecurityNumber"));
        Assert.Equal("M12345678", F("CardNumber"));
        Assert.Equal("李四", F("Name"));
        Assert.Equal("女", F("Sex"));
        Assert.Equal("01", F("Nation"));
        Assert.Equal("19900101", F("Birthday"));
        Assert.Equal("310101", F("Birthplace"));
        Assert.Equal("310100D156000005", F("CardDistinguishCode"));
        Assert.Equal("1", F("SocialSecurityCardType"));
        Assert.Equal("3.00", F("CardNormVer"));
        Assert.Equal("310100000001", F("VisaInstitution"));
        Assert.Equal("20200101", F("ValidStart"));
        Assert.Equal("20300101", F("ValidEnd"));
    }

    [Fact]
    public async Task An_unknown_card_is_its_own_error_for_both_readers()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        await using var card = await VirtualCard.InsertAsync("unknown_card.py");
        var ic = await PostAsync(terminal, "/card=iccard");
        Assert.Equal("6", ic.GetProperty("code").GetString());
        Assert.Contains("unknown card", ic.GetProperty("message").GetString());
        Assert.False(ic.TryGetProperty("ICCardInfo", out _));
        Assert.Equal("6", (await PostAsync(terminal, "/card=sociaseceritycard")).GetProperty("code").GetString());
        // A bank card is not a social-security card either.
    }

    [Fact]
    public async Task No_card_on_the_reader_times_out_as_its_own_error()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var answer = await PostAsync(terminal, "/card=iccard", """{"timeout":"1"}""");
        Assert.Equal("4", answer.GetProperty("code").GetString());
        Assert.Contains("no card", answer.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_card_pulled_out_mid_read_is_its_own_error()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        // Answers PPSE, SELECT and GPO, then disappears instead of answering the first READ RECORD.
        await using var card = await VirtualCard.InsertAsync("emv_card.py", vanishAfter: 3);
        var answer = await PostAsync(terminal, "/card=iccard");
        Assert.Equal("3", answer.GetProperty("code").GetString());
        Assert.Contains("removed", answer.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_reader_is_its_own_error_and_shows_in_health()
    {
        using var dir = new TempDir();
        var sim = await File.ReadAllTextAsync(Repository.Combine("board", "sim", "board.json"), Ct);
        var board = Path.Combine(dir.Path, "board.json");
        await File.WriteAllTextAsync(board, sim.Replace("\"identity\"", "\"smartCard\": { \"reader\": \"No Such Reader\" },\n  \"identity\"", StringComparison.Ordinal), Ct);

        await using var terminal = await RunningTerminal.StartAsync(null, "--board", board);
        var answer = await PostAsync(terminal, "/card=iccard", """{"timeout":"1"}""");
        Assert.Equal("2", answer.GetProperty("code").GetString());
        Assert.Contains("No Such Reader", answer.GetProperty("message").GetString());

        var health = JsonDocument.Parse(await terminal.Http.GetStringAsync("/health", Ct)).RootElement;
        var smartcard = health.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "smartcard");
        Assert.Equal("absent", smartcard.GetProperty("state").GetString()!.ToLowerInvariant());
    }
}
