using System.Globalization;
using System.Net;
using Appliance.Protocols.Security.Management;
using Appliance.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Appliance.Protocols.Tests.Security;

public sealed class SignedManagementTests
{
    /// <summary>Seed 004 §2.5.4: the "add user" request and its stringA, byte for byte.</summary>
    [Fact]
    public void String_to_sign_reproduces_the_seed_004_worked_example()
    {
        var request = new Dictionary<string, string>
        {
            ["version"] = "1.0",
            ["appId"] = "APP_0157E810F6894BEEB4DEC70331720557",
            ["signAlgo"] = "HMAC",
            ["userName"] = "张三",
            ["idType"] = "SF",
            ["idNumber"] = "513436200005039279",
            ["mobile"] = "18745292611",
        };
        Assert.Equal(
            "appId=APP_0157E810F6894BEEB4DEC70331720557&idNumber=513436200005039279&idType=SF&mobile=18745292611&signAlgo=HMAC&userName=张三&version=1.0",
            RequestSignature.StringToSign(request));
        // The seed prints the signature (NA32oYb/…) but not the secret key it was made with, so that value cannot be
        // reproduced; what can be checked is its shape: Base64 of a 32-byte HMAC-SHA256, as Sign produces. The HMAC
        // itself is checked against RFC 4231's published vector below, through the same Sign/Verify.
        Assert.Equal(32, Convert.FromBase64String("NA32oYb/y5OiOWnOgy+Auo3O4Ta4MHXEQeKOJW3Vg+Q=").Length);
        Assert.Equal(44, RequestSignature.Sign(RequestSignature.StringToSign(request), "any secret").Length);
    }

    [Fact]
    public void Empty_values_and_the_signature_itself_are_not_signed_and_names_sort_by_ASCII()
    {
        var s = RequestSignature.StringToSign([new("b", "2"), new("B", "1"), new("a", ""), new("signature", "x"), new("_z", "3")]);
        Assert.Equal("B=1&_z=3&b=2", s);
    }

    [Fact]
    public void Signature_is_base64_HMAC_SHA256_of_string_to_sign()
    {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?" (the seed's own example has no published secret).
        var signature = RequestSignature.Sign("what do ya want for nothing?", "Jefe");
        Assert.Equal("W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=", signature);
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Convert.ToHexStringLower(Convert.FromBase64String(signature)));
        Assert.True(RequestSignature.Verify("what do ya want for nothing?", "Jefe", signature));
        Assert.False(RequestSignature.Verify("what do ya want for nothing!", "Jefe", signature));
    }

    [Theory]
    [InlineData("""{"version":"1.0","appId":"APP_1","signAlgo":"HMAC","userName":"张三","idNumber":"513436200005039279","signature":"x"}""")]
    [InlineData("""{"b":2,"B":true,"a":"","n":null,"nested":{"k": [1, "二"]},"esc":"a\/b\n\u5f20","dup":"first","dup":"last"}""")]
    [InlineData("""{"extendData":{"signid":"S","content":"QUJD"},"status":0,"errorcode":"89003008"}""")]
    public void Signing_a_body_as_it_is_walked_equals_the_string_to_sign_of_its_parameters(string json)
    {
        var body = System.Text.Json.JsonDocument.Parse(json).RootElement;
        var expected = RequestSignature.Sign(RequestSignature.StringToSign(
            RequestSignature.Parameters(body).GroupBy(p => p.Key, StringComparer.Ordinal).Select(g => g.Last())), "the secret");
        Assert.Equal(expected, RequestSignature.Sign(body, "the secret"));
        Assert.True(RequestSignature.Verify(body, "the secret", expected));
        Assert.False(RequestSignature.Verify(body, "another secret", expected));
        Assert.False(RequestSignature.Verify(body, "the secret", "not base64!"));
    }

    [Fact]
    public void The_authenticator_takes_both_seed_spellings_of_the_algorithm_an_optional_command_and_refuses_a_repeated_parameter()
    {
        using var state = new TempDir();
        var pairings = new Appliance.Core.Pairing.PairingStore(state.Path);
        pairings.Add(new Appliance.Core.Pairing.PairedPc("pc_1", "c2VjcmV0", "PC", "10.0.0.2", DateTimeOffset.UtcNow));
        var authenticator = new SignedCallAuthenticator(pairings, new ReplayGuard(TimeProvider.System, TimeSpan.FromMinutes(5)));
        System.Text.Json.JsonElement Signed(string algorithm, string? command, string extra = "")
        {
            var p = RequestSignature.SignRequest("pc_1", "c2VjcmV0", command ?? "", [new("orderNumber", "1")], DateTimeOffset.UtcNow);
            p["signAlgo"] = algorithm;
            p.Remove("signature");
            p["signature"] = RequestSignature.Sign(RequestSignature.StringToSign(p), "c2VjcmV0");
            var json = System.Text.Json.JsonSerializer.Serialize(p, TestJson.Default.DictionaryStringString);
            return System.Text.Json.JsonDocument.Parse(json[..^1] + extra + "}").RootElement.Clone();
        }

        Assert.Equal("pc_1", authenticator.Authenticate(Signed("HMACSHA256", null), "orders/wosign", commandRequired: false).KeyId);
        Assert.Equal("pc_1", authenticator.Authenticate(Signed("HMAC", "orders/wosign"), "orders/wosign", commandRequired: false).KeyId);
        Assert.Equal(SignedCallFailure.WrongCommand,
            Assert.Throws<SignedCallException>(() => authenticator.Authenticate(Signed("HMAC", "list"), "orders/wosign", commandRequired: false)).Failure);
        Assert.Equal(SignedCallFailure.MissingParameter,
            Assert.Throws<SignedCallException>(() => authenticator.Authenticate(Signed("HMAC", null), "list", commandRequired: true)).Failure);
        Assert.Equal(SignedCallFailure.BadAlgorithm,
            Assert.Throws<SignedCallException>(() => authenticator.Authenticate(Signed("HMAC-SHA1", null), "orders/wosign", commandRequired: false)).Failure);
        // A second orderNumber would be unsigned (the signature covers the last one), so the body is refused outright.
        Assert.Equal(SignedCallFailure.DuplicateParameter,
            Assert.Throws<SignedCallException>(() => authenticator.Authenticate(Signed("HMAC", null, ",\"orderNumber\":\"2\""), "orders/wosign", commandRequired: false)).Failure);
    }

    [Fact]
    public async Task Bad_signature_stale_timestamp_and_replayed_nonce_are_refused_in_seed_004_style()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0");
        using var pc = new LanClient(terminal);
        await pc.PairAsync();

        var good = RequestSignature.SignRequest(pc.KeyId!, pc.Secret!, "list", [], DateTimeOffset.UtcNow);
        var ok = await pc.PostAsync("/manage/list", good, HttpStatusCode.OK);
        Assert.Equal("200", ok.GetProperty("status").GetString());
        Assert.Equal("SUCCESS", ok.GetProperty("message").GetString());

        var replay = await pc.PostAsync("/manage/list", good, HttpStatusCode.Unauthorized);
        Assert.Equal("89009002", replay.GetProperty("status").GetString());

        var tampered = RequestSignature.SignRequest(pc.KeyId!, pc.Secret!, "revoke", [new("keyId", "pc_other")], DateTimeOffset.UtcNow);
        tampered["keyId"] = pc.KeyId!;
        Assert.Equal("89000005", (await pc.PostAsync("/manage/revoke", tampered, HttpStatusCode.Unauthorized)).GetProperty("status").GetString());

        var stale = RequestSignature.SignRequest(pc.KeyId!, pc.Secret!, "list", [], DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal("89009001", (await pc.PostAsync("/manage/list", stale, HttpStatusCode.Unauthorized)).GetProperty("status").GetString());

        // A signed "list" cannot be replayed against another command's path.
        var listSigned = RequestSignature.SignRequest(pc.KeyId!, pc.Secret!, "list", [], DateTimeOffset.UtcNow);
        Assert.Equal("89000001", (await pc.PostAsync("/manage/unpair", listSigned, HttpStatusCode.BadRequest)).GetProperty("status").GetString());

        var unknown = RequestSignature.SignRequest("pc_nobody", "secret", "list", [], DateTimeOffset.UtcNow);
        Assert.Equal("89000003", (await pc.PostAsync("/manage/list", unknown, HttpStatusCode.Unauthorized)).GetProperty("status").GetString());

        var audit = File.ReadAllLines(Path.Combine(terminal.StateDir, "audit.log"));
        Assert.Contains(audit, l => l.Contains($"\"pc\":\"{pc.KeyId}\"", StringComparison.Ordinal) && l.Contains("\"command\":\"list\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pairing_locks_out_after_repeated_wrong_codes()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0", "--pairing:maxFailedAttempts=3", "--pairing:lockoutSeconds=600");
        using var pc = new LanClient(terminal, "127.0.0.4");
        var request = await pc.PostAsync("/pair/request", new Dictionary<string, string> { ["name"] = "Guesser" }, HttpStatusCode.OK);
        var requestId = request.GetProperty("data").GetProperty("requestId").GetString()!;
        var code = terminal.Service<Appliance.Core.Pairing.PairingService>().CurrentCode!.Code;
        var wrong = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

        for (var i = 0; i < 2; i++)
        {
            var attempt = await pc.PostAsync("/pair/confirm", new Dictionary<string, string> { ["requestId"] = requestId, ["code"] = wrong }, HttpStatusCode.Forbidden);
            Assert.Equal("89009003", attempt.GetProperty("status").GetString());
        }
        var locked = await pc.PostAsync("/pair/confirm", new Dictionary<string, string> { ["requestId"] = requestId, ["code"] = wrong }, (HttpStatusCode)429);
        Assert.Equal("89009004", locked.GetProperty("status").GetString());

        // Even the right code and a fresh request are refused while locked out; the code left the screen.
        Assert.Null(terminal.Service<Appliance.Core.Pairing.PairingService>().CurrentCode);
        var right = await pc.PostAsync("/pair/confirm", new Dictionary<string, string> { ["requestId"] = requestId, ["code"] = code }, (HttpStatusCode)429);
        Assert.Equal("89009004", right.GetProperty("status").GetString());
        Assert.Equal("89009004", (await pc.PostAsync("/pair/request", new Dictionary<string, string> { ["name"] = "Guesser" }, (HttpStatusCode)429)).GetProperty("status").GetString());
        Assert.Empty(terminal.Service<Appliance.Core.Pairing.PairingService>().Store.List());

        // Another PC is not locked out.
        using var other = new LanClient(terminal, "127.0.0.5");
        await other.PairAsync();
        Assert.NotNull(other.KeyId);
    }

    [Fact]
    public async Task Pairing_attempts_closer_than_the_minimum_interval_are_refused_until_it_has_passed()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var terminal = await RunningTerminal.StartAsync(null, services => services.AddSingleton<TimeProvider>(clock), "--pairing:minAttemptIntervalMs=1000");
        using var pc = new LanClient(terminal, "127.0.0.6");
        var request = await pc.PostAsync("/pair/request", new Dictionary<string, string> { ["name"] = "Hasty" }, HttpStatusCode.OK);
        var requestId = request.GetProperty("data").GetProperty("requestId").GetString()!;
        var code = terminal.Service<Appliance.Core.Pairing.PairingService>().CurrentCode!.Code;
        var confirm = new Dictionary<string, string> { ["requestId"] = requestId, ["code"] = code };

        // The clock has not moved: a second attempt from this address, even with the right code, is too fast.
        using (var tooFast = await pc.Http.PostAsync(pc.Admin("/pair/confirm"),
            new StringContent(System.Text.Json.JsonSerializer.Serialize(confirm, TestJson.Default.DictionaryStringString), System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
        {
            Assert.Equal((HttpStatusCode)429, tooFast.StatusCode);
            Assert.Equal("1", tooFast.Headers.GetValues("Retry-After").Single());
            var body = System.Text.Json.JsonDocument.Parse(await tooFast.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal("89009006", body.GetProperty("status").GetString());
        }
        Assert.Equal("89009006", (await pc.PostAsync("/pair/request", new Dictionary<string, string> { ["name"] = "Hasty" }, (HttpStatusCode)429)).GetProperty("status").GetString());
        // The refused attempts did not restart the interval, and the code on screen is still the first one.
        Assert.Equal(requestId, terminal.Service<Appliance.Core.Pairing.PairingService>().CurrentCode!.RequestId);
        // Another address at the same instant is not held back.
        using var other = new LanClient(terminal, "127.0.0.7");
        await other.PostAsync("/pair/request", new Dictionary<string, string> { ["name"] = "Other" }, HttpStatusCode.OK);

        clock.Advance(TimeSpan.FromMilliseconds(1000));
        await pc.ConfirmAsync(requestId, code);
        Assert.Contains(terminal.Service<Appliance.Core.Pairing.PairingService>().Store.List(), p => p.KeyId == pc.KeyId);
    }

    [Fact]
    public async Task A_full_pairing_list_refuses_a_new_pairing_before_a_code_is_shown_until_one_is_unpaired()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0");
        var pairing = terminal.Service<Appliance.Core.Pairing.PairingService>();
        for (var i = 0; i < Appliance.Core.Pairing.PairingStore.MaxPairedPcs; i++)
            pairing.Store.Add(new Appliance.Core.Pairing.PairedPc($"pc_{i:x16}", "c2VjcmV0", $"PC {i}", $"10.0.0.{i}", DateTimeOffset.UtcNow));

        using var pc = new LanClient(terminal, "127.0.0.8");
        var refused = await pc.PostAsync("/pair/request", new Dictionary<string, string> { ["name"] = "One too many" }, HttpStatusCode.Conflict);
        Assert.Equal("89009010", refused.GetProperty("status").GetString());
        Assert.Contains("unpair one", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(pairing.CurrentCode);
        Assert.Equal(Appliance.Core.Pairing.PairingStore.MaxPairedPcs, pairing.Store.List().Count);

        Assert.True(pairing.Store.Revoke("pc_0000000000000000"));
        await pc.PairAsync();
        Assert.Contains(pairing.Store.List(), p => p.KeyId == pc.KeyId);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Pairings_survive_a_restart_in_a_private_file()
    {
        using var state = new TempDir();
        string keyId;
        await using (var terminal = await RunningTerminal.StartAsync(state.Path, "--pairing:minAttemptIntervalMs=0"))
        {
            using var pc = new LanClient(terminal);
            await pc.PairAsync();
            keyId = pc.KeyId!;
        }
        var file = Path.Combine(state.Path, "pairings.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        await using var again = await RunningTerminal.StartAsync(state.Path);
        Assert.Contains(again.Service<Appliance.Core.Pairing.PairingService>().Store.List(), p => p.KeyId == keyId);
    }
}
