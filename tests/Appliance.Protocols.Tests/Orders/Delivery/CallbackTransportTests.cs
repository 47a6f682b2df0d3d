using Appliance.Core.Orders;
using Appliance.Protocols.Orders.Delivery;
using Appliance.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Protocols.Tests.Orders.Delivery;

/// <summary>
/// The push on the wire, against a real TLS receiver on loopback: which certificates the terminal sends a result to
/// (pin, callback CA, system trust), https only, the headers that let a receiver recognise a retry, and redirects.
/// </summary>
public sealed class CallbackTransportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static OutboxMessage Message(Uri url, PushAcceptance acceptance = PushAcceptance.BodyIsOne, string pin = "") => new()
    {
        Sequence = 7, OrderId = "order-7", Url = url.ToString(), IdempotencyKey = "N-7:" + new string('a', 64),
        Acceptance = acceptance, Pin = pin, CreatedAt = DateTimeOffset.UtcNow,
    };

    internal static async Task<PushAnswer> PushAsync(OrderOptions options, OutboxMessage message, byte[]? body = null)
    {
        using var transport = new CallbackTransport(options, NullLogger<CallbackTransport>.Instance);
        using var stream = new MemoryStream(body ?? "{\"result\":\"signed\"}"u8.ToArray());
        return await transport.SendAsync(message, stream, Ct);
    }

    [Fact]
    public async Task A_receiver_with_the_pinned_certificate_gets_the_push_with_its_headers()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        var message = Message(receiver.Url, pin: receiver.Pin.ToUpperInvariant());

        var answer = await PushAsync(new OrderOptions(), message, "{\"x\":1}"u8.ToArray());

        Assert.True(answer.Accepted, answer.Detail);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/callback", request.Path);
        Assert.Equal(message.IdempotencyKey, request.Header("Idempotency-Key"));
        Assert.Equal("order-7", request.Header("X-Appliance-Order"));
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("{\"x\":1}"u8.ToArray(), request.Body);
    }

    [Theory]
    [InlineData("HT-2026-0001:ab12cd34", "HT-2026-0001:ab12cd34")]
    [InlineData("合同-001:SO_1:REFUSE", "%E5%90%88%E5%90%8C-001:SO_1:REFUSE")]
    [InlineData("N\r\nX-Injected: 1:REFUSE", "N%0D%0AX-Injected:%201:REFUSE")]
    [InlineData("50%:x\u007F\t", "50%25:x%7F%09")]
    public void An_idempotency_key_goes_as_printable_ASCII_with_the_rest_percent_encoded_as_UTF_8(string key, string header) =>
        Assert.Equal(header, CallbackTransport.HeaderValue(key));

    [Fact]
    public void A_key_with_a_lone_surrogate_does_not_throw() =>
        Assert.Equal("%EF%BF%BD:lone", CallbackTransport.HeaderValue("\uD800:lone"));

    [Fact]
    public async Task A_key_of_a_non_ASCII_order_number_is_sent_percent_encoded_and_the_push_goes_through()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        var message = Message(receiver.Url, pin: receiver.Pin) with { IdempotencyKey = "合同-001:" + new string('a', 64) };

        var answer = await PushAsync(new OrderOptions(), message);

        Assert.True(answer.Accepted, answer.Detail);
        Assert.Equal("%E5%90%88%E5%90%8C-001:" + new string('a', 64), Assert.Single(receiver.Requests).Header("Idempotency-Key"));
    }

    [Fact]
    public async Task A_key_with_CR_LF_cannot_add_a_header_and_the_push_goes_through()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        var message = Message(receiver.Url, pin: receiver.Pin) with { IdempotencyKey = "N-7\r\nX-Injected: yes\r\n:REFUSE" };

        var answer = await PushAsync(new OrderOptions(), message);

        Assert.True(answer.Accepted, answer.Detail);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("N-7%0D%0AX-Injected:%20yes%0D%0A:REFUSE", request.Header("Idempotency-Key"));
        Assert.False(request.Headers.ContainsKey("X-Injected"));
    }

    [Fact]
    public async Task A_pin_from_the_options_is_accepted_for_every_receiver()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();

        var answer = await PushAsync(new OrderOptions { CallbackPins = [receiver.Pin] }, Message(receiver.Url));

        Assert.True(answer.Accepted, answer.Detail);
    }

    [Fact]
    public async Task A_receiver_whose_certificate_is_not_the_pinned_one_is_refused_before_the_body_leaves()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();

        var answer = await PushAsync(new OrderOptions(), Message(receiver.Url, pin: new string('0', 64)));

        Assert.False(answer.Accepted);
        Assert.Contains("certificate pin mismatch", answer.Detail, StringComparison.Ordinal);
        Assert.Contains(receiver.Pin, answer.Detail, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_connection_opened_for_one_pin_does_not_carry_a_push_under_another()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        using var transport = new CallbackTransport(new OrderOptions(), NullLogger<CallbackTransport>.Instance);
        using var first = new MemoryStream("{}"u8.ToArray());
        using var second = new MemoryStream("{}"u8.ToArray());

        var pinned = await transport.SendAsync(Message(receiver.Url, pin: receiver.Pin), first, Ct);
        var otherPin = await transport.SendAsync(Message(receiver.Url, pin: new string('0', 64)), second, Ct);

        Assert.True(pinned.Accepted, pinned.Detail);
        Assert.False(otherPin.Accepted);
        Assert.Contains("certificate pin mismatch", otherPin.Detail, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_receiver_whose_certificate_chains_to_the_callback_CA_gets_the_push()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();

        var answer = await PushAsync(new OrderOptions { CallbackCaFile = receiver.CaFile }, Message(receiver.Url));

        Assert.True(answer.Accepted, answer.Detail);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_certificate_from_the_callback_CA_for_another_host_name_is_refused()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync(certificateHost: "receiver.example");

        var answer = await PushAsync(new OrderOptions { CallbackCaFile = receiver.CaFile }, Message(receiver.Url));

        Assert.False(answer.Accepted);
        Assert.Contains("not for this host name", answer.Detail, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_self_signed_receiver_without_a_pin_or_CA_is_refused_as_untrusted()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();

        var answer = await PushAsync(new OrderOptions(), Message(receiver.Url));

        Assert.False(answer.Accepted);
        Assert.Contains("not trusted", answer.Detail, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task An_http_callback_is_refused_unless_http_callbacks_are_allowed()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();

        var refused = await PushAsync(new OrderOptions(), Message(receiver.PlainUrl));
        Assert.False(refused.Accepted);
        Assert.Contains("https only", refused.Detail, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);

        var allowed = await PushAsync(new OrderOptions { AllowHttpCallbacks = true }, Message(receiver.PlainUrl));
        Assert.True(allowed.Accepted, allowed.Detail);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_redirect_is_a_refusal_and_is_not_followed()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync(_ => new ReceiverAnswer(302, Location: "/elsewhere"));

        var answer = await PushAsync(new OrderOptions(), Message(receiver.Url, pin: receiver.Pin));

        Assert.False(answer.Accepted);
        Assert.Contains("HTTP 302", answer.Detail, StringComparison.Ordinal);
        Assert.Equal("/callback", Assert.Single(receiver.Requests).Path);
    }

    [Fact]
    public async Task A_closed_port_is_a_refused_connection_not_an_exception()
    {
        var port = FreePorts.Take(1)[0];

        var answer = await PushAsync(new OrderOptions(), Message(new Uri($"https://127.0.0.1:{port}/callback")));

        Assert.False(answer.Accepted);
        Assert.Equal("connection refused", answer.Detail);
    }

    [Fact]
    public async Task A_URL_that_is_not_http_is_refused()
    {
        var answer = await PushAsync(new OrderOptions(), Message(new Uri("ftp://127.0.0.1/callback")));

        Assert.False(answer.Accepted);
        Assert.Contains("not an http(s) URL", answer.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_still_cancels_a_push_waiting_for_its_answer()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync(_ => ReceiverAnswer.One with { Delay = TimeSpan.FromMinutes(5) });
        using var transport = new CallbackTransport(new OrderOptions(), NullLogger<CallbackTransport>.Instance);
        using var body = new MemoryStream("{}"u8.ToArray());
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var push = transport.SendAsync(Message(receiver.Url, pin: receiver.Pin), body, cancel.Token);
        await Poll.UntilAsync(() => receiver.Requests.Count == 1, "the push to arrive");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push);
    }

    [Fact]
    public async Task A_body_of_tens_of_megabytes_arrives_byte_for_byte()
    {
        await using var receiver = await LoopbackHttpsReceiver.StartAsync();
        var body = new byte[36 * 1024 * 1024];
        new Random(19).NextBytes(body);

        var answer = await PushAsync(new OrderOptions(), Message(receiver.Url, pin: receiver.Pin) with { ContentType = "application/pdf" }, body);

        Assert.True(answer.Accepted, answer.Detail);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("application/pdf", request.Header("Content-Type"));
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("Content-Length"));
        Assert.True(body.AsSpan().SequenceEqual(request.Body));
    }
}
