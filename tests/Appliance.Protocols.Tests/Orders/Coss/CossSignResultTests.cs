using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Appliance.Core.Orders;
using Appliance.Protocols.Tests.CameraService;
using Appliance.Protocols.Tests.Security;
using Appliance.Protocols.Wire;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.Orders.Coss;

/// <summary>
/// getSignResult of a signed PDF order: its answer carries the PDF, so it takes one of the process's large-body turns
/// (and is refused busy without one) and is written straight over the response. Holds the process-wide turns itself,
/// so it runs alone.
/// </summary>
[Collection(nameof(LargeBodyTurns))]
public sealed class CossSignResultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A signed PDF order of <paramref name="pc"/>'s in the terminal's store, with a result of <paramref name="size"/> bytes.</summary>
    private static (string Id, byte[] Pdf) SignedOrder(RunningTerminal terminal, LanClient pc, int size)
    {
        var store = terminal.Service<OrderStore>();
        var order = OrderTestKit.Order(OrderShape.WoSign, "") with { Caller = pc.KeyId!, OrderNumber = "HT-BIG-" + size };
        var pdf = new byte[size];
        RandomNumberGenerator.Fill(pdf);
        "%PDF-1.7\n"u8.CopyTo(pdf);
        store.Add(order, SamplePdf.Create(), DateTimeOffset.UtcNow);
        store.WriteFile(order.Id, OrderStore.ContentName(order, 1), pdf);
        store.Save(order.Id, OrderTestKit.SignedBy(1) with { UpdatedAt = DateTimeOffset.UtcNow });
        return (order.Id, pdf);
    }

    private static async Task<(JsonElement Answer, bool Chunked)> PollAsync(LanClient pc, string id)
    {
        var body = OrderWireClient.Sign($$"""{"signDataId":"{{id}}","transId":"T-9"}""", pc.KeyId!, pc.Secret!);
        using var response = await pc.Http.PostAsync(pc.Admin("/coss/service/v1/getSignResult"), new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.TransferEncodingChunked == true);
    }

    [Fact]
    public async Task A_signed_PDF_over_64_KiB_waits_for_a_large_body_turn_is_refused_busy_without_one_and_streams_with_one()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0");
        using var pc = new LanClient(terminal);
        await pc.PairAsync();
        var (id, pdf) = SignedOrder(terminal, pc, 3 * 1024 * 1024 + 1);

        // Both of the process's turns taken (two uploads under way): the poll waits UploadWait, then is refused busy.
        Assert.True(await BodyLimits.LargeBodies.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        try
        {
            Assert.True(await BodyLimits.LargeBodies.WaitAsync(TimeSpan.FromSeconds(30), Ct));
            try
            {
                var (busy, _) = await PollAsync(pc, id);
                Assert.Equal("89009016", busy.GetProperty("status").GetString());
            }
            finally
            {
                BodyLimits.LargeBodies.Release();
            }
        }
        finally
        {
            BodyLimits.LargeBodies.Release();
        }

        var (answer, chunked) = await PollAsync(pc, id);
        Assert.Equal((200, "SUCCESS", "T-9"), (answer.GetProperty("status").GetInt32(), answer.GetProperty("message").GetString(), answer.GetProperty("transId").GetString()));
        var data = answer.GetProperty("data");
        Assert.Equal((id, "FINISH", "HT-BIG-3145729", 1), (data.GetProperty("signDataId").GetString(), data.GetProperty("jobStatus").GetString(),
            data.GetProperty("orderNumber").GetString(), data.GetProperty("signersDone").GetInt32()));
        Assert.Equal(pdf, data.GetProperty("signedPdf").GetBytesFromBase64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), data.GetProperty("sha256").GetString());
        Assert.True(chunked); // written over the response as it goes (chunked), not built whole first
        // The turn went back once the answer was written.
        await Poll.UntilAsync(() => BodyLimits.LargeBodies.CurrentCount == BodyLimits.ConcurrentLargeBodies, "the poll's turn released");
    }

    [Fact]
    public async Task A_small_signed_PDF_is_answered_whole_and_gives_its_turn_back()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0");
        using var pc = new LanClient(terminal);
        await pc.PairAsync();
        var (id, pdf) = SignedOrder(terminal, pc, 10 * 1024);

        var (answer, chunked) = await PollAsync(pc, id);

        Assert.Equal(200, answer.GetProperty("status").GetInt32());
        Assert.Equal(pdf, answer.GetProperty("data").GetProperty("signedPdf").GetBytesFromBase64());
        Assert.False(chunked);
        Assert.Equal(BodyLimits.ConcurrentLargeBodies, BodyLimits.LargeBodies.CurrentCount);
    }
}
