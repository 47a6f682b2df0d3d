using Appliance.Core.Orders;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.Orders.Delivery;

/// <summary>What counts as "received" for each shape's receiver, read from real answers over TLS.</summary>
public sealed class CallbackAcceptanceTests
{
    public static TheoryData<PushAcceptance, int, string, bool, string> Answers() => new()
    {
        // acceptance, status, body, taken, detail (part of)
        { PushAcceptance.BodyIsOne, 200, "1", true, "" },
        { PushAcceptance.BodyIsOne, 200, " 1\r\n", true, "" },
        { PushAcceptance.BodyIsOne, 200, "{\"status\":1}", true, "" },
        { PushAcceptance.BodyIsOne, 200, "{\"msg\":\"ok\",\"status\":\"1\"}", true, "" },
        { PushAcceptance.BodyIsOne, 200, "0", false, "answered \"0\", not 1" },
        { PushAcceptance.BodyIsOne, 200, "{\"status\":0}", false, "not 1" },
        { PushAcceptance.BodyIsOne, 200, "", false, "answered nothing, not 1" },
        { PushAcceptance.BodyIsOne, 503, "1", false, "HTTP 503" },
        { PushAcceptance.CossStatus200, 200, "{\"status\":200}", true, "" },
        { PushAcceptance.CossStatus200, 200, "{\"status\":\"200\",\"message\":\"ok\"}", true, "" },
        { PushAcceptance.CossStatus200, 200, "{\"status\":500}", false, "not status 200" },
        { PushAcceptance.CossStatus200, 200, "1", false, "not status 200" },
        { PushAcceptance.CossStatus200, 503, "{\"status\":200}", false, "HTTP 503" },
        { PushAcceptance.Http2xx, 200, "", true, "" },
        { PushAcceptance.Http2xx, 204, "", true, "" },
        { PushAcceptance.Http2xx, 202, "0", true, "" },
        { PushAcceptance.Http2xx, 503, "", false, "HTTP 503" },
        { PushAcceptance.Http2xx, 404, "", false, "HTTP 404" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task An_answer_counts_as_received_only_by_the_rule_of_its_shape(PushAcceptance acceptance, int status, string body, bool taken, string detail)
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync(_ => new ReceiverAnswer(status, body, "application/json"));

        var answer = await CallbackTransportTests.PushAsync(new OrderOptions(), CallbackTransportTests.Message(receiver.Url, acceptance, receiver.Pin));

        Assert.Equal(taken, answer.Accepted);
        Assert.Contains(detail, answer.Detail, StringComparison.Ordinal);
    }
}
