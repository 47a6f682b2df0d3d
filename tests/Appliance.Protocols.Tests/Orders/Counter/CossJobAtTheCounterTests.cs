using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Core.Session;
using Appliance.TestSupport;
using Appliance.Ui;

namespace Appliance.Protocols.Tests.Orders.Counter;

/// <summary>
/// Seed 004's addSignJob (DATA, SM3withSM2) on the sim board: the person sees what is signed on the signature pad and
/// signs; the callback carries the signature value and the certificate, and OpenSSL verifies them over the data.
/// </summary>
public sealed class CossJobAtTheCounterTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_data_job_signed_at_the_counter_calls_back_with_an_SM2_signature_openssl_verifies_over_the_data()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync(_ => ReceiverAnswer.Json("""{"status":200,"message":"SUCCESS"}"""));
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0", $"--orders:callbackPins:0={receiver.Pin}");
        using var caller = await SignedCaller.PairAsync(terminal);
        using var pen = await SimPen.OpenAsync(terminal.StateDir);
        var data = Encoding.UTF8.GetBytes("签名测试数据"); // seed 004's example data: "562+5ZCN5rWL6K+V5pWw5o2u"
        Assert.Equal("562+5ZCN5rWL6K+V5pWw5o2u", Convert.ToBase64String(data));

        var added = await caller.PostAsync(terminal, "/coss/service/v1/addSignJob", new JsonObject
        {
            ["userId"] = "548a43ae04f109a2c8c812c95673579a03afd8512d7fc85f9abdc9de7066b2af",
            ["title"] = "测试签名", ["dataType"] = "DATA", ["algo"] = "SM3withSM2", ["description"] = "签名数据描述信息",
            ["expiryDate"] = "1440", ["data"] = Convert.ToBase64String(data), ["callBackUrl"] = receiver.Url.ToString(),
        });
        Assert.True(added.GetProperty("status").GetRawText() is "200" or "\"200\"", added.ToString());
        var jobId = added.GetProperty("data").GetProperty("signDataId").GetString()!;

        // The pad shows what is signed and offers 拒签 (refuse) beside 确认.
        var screen = terminal.Service<ScreenService>();
        await Poll.UntilAsync(() => screen.IsSigning, "the signature pad");
        Assert.Contains(screen.Buttons(), b => b.Id == "sign_return_button");
        var ok = screen.Buttons().Single(b => b.Id == "sign_ok_button").Bounds;
        pen.Line(300, 400, 900, 420);
        await Task.Delay(100, Ct);
        pen.Tap((ok.Left + ok.Right) / 2.0, (ok.Top + ok.Bottom) / 2.0);

        await Poll.UntilAsync(() => receiver.Requests.Count >= 1, "the callback");
        var callback = JsonDocument.Parse(Assert.Single(receiver.Requests).Body).RootElement;
        Assert.Equal(jobId, callback.GetProperty("signJobId").GetString());
        Assert.Equal("FINISH", callback.GetProperty("status").GetString());
        var signature = Convert.FromBase64String(callback.GetProperty("signResult").GetString()!);
        var certificate = Convert.FromBase64String(callback.GetProperty("signCert").GetString()!);

        using var dir = new TempDir();
        var certPath = Path.Combine(dir.Path, "cert.der");
        await File.WriteAllBytesAsync(certPath, certificate, Ct);
        var publicKey = Path.Combine(dir.Path, "pub.pem");
        await File.WriteAllBytesAsync(publicKey, await PdfTools.RunForBytesAsync("openssl", "x509", "-inform", "DER", "-in", certPath, "-pubkey", "-noout"), Ct);
        var dataPath = Path.Combine(dir.Path, "data.bin");
        var signaturePath = Path.Combine(dir.Path, "sig.bin");
        await File.WriteAllBytesAsync(dataPath, data, Ct);
        await File.WriteAllBytesAsync(signaturePath, signature, Ct);
        var (exit, output) = await PdfTools.RunAsync("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicKey, "-rawin", "-digest", "sm3",
            "-pkeyopt", "distid:1234567812345678", "-in", dataPath, "-sigfile", signaturePath);
        Assert.True(exit == 0 && output.Contains("Verified", StringComparison.Ordinal), output);

        var polled = await caller.PostAsync(terminal, "/coss/service/v1/getSignResult", new JsonObject { ["signDataId"] = jobId });
        Assert.Equal("FINISH", polled.GetProperty("data").GetProperty("jobStatus").GetString());
        Assert.Equal(callback.GetProperty("signResult").GetString(), polled.GetProperty("data").GetProperty("signResult").GetString());
        await Poll.UntilAsync(() => terminal.Service<TerminalSession>().Current is null, "the counter free again");
    }
}
