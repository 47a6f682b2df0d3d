using System.Net;
using Appliance.Protocols.CameraService.Pictures;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.CameraService.Pictures;

/// <summary>
/// The picture downloader against loopback web servers. Loopback is never a picture address, so these fetchers let
/// the one test server's port through, as a LAN picture server would be; everything else keeps the real policy.
/// </summary>
public sealed class PictureFetcherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PictureFetcher Through(int port, TimeSpan? timeout = null, int maxBytes = PictureFetcher.DefaultMaxBytes) =>
        new(timeout, maxBytes, e => !(IPAddress.IsLoopback(e.Address) && e.Port == port) && PictureFetcher.IsForbidden(e.Address));

    private static bool AnyHost(string host) => true;

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("fe80::1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("224.0.0.251", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("203.0.113.9", false)]
    [InlineData("198.51.100.20", false)]
    public void Loopback_link_local_unspecified_and_multicast_addresses_are_forbidden(string address, bool forbidden) =>
        Assert.Equal(forbidden, PictureFetcher.IsForbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_picture_is_downloaded_with_or_without_a_content_length(bool chunked)
    {
        var body = new byte[5000];
        Random.Shared.NextBytes(body);
        using var server = new LoopbackHttpServer("/ad/1.png", body, chunked: chunked);
        using var fetcher = Through(server.Port);
        Assert.Equal(body, await fetcher.FetchAsync(server.Url, AnyHost, Ct));
    }

    [Fact]
    public async Task The_default_policy_refuses_loopback_before_connecting_even_for_an_allowed_host()
    {
        using var server = new LoopbackHttpServer("/ad/1.png", [1, 2, 3]);
        using var fetcher = new PictureFetcher();
        foreach (var url in new[] { server.Url, new Uri($"http://localhost:{server.Port}/ad/1.png") })
        {
            var e = await Assert.ThrowsAsync<FetchException>(() => fetcher.FetchAsync(url, AnyHost, Ct));
            Assert.Equal(FetchFailure.NotAllowed, e.Failure);
        }
        Assert.Equal(0, server.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_picture_over_the_size_limit_is_refused_whether_announced_or_not(bool chunked)
    {
        using var server = new LoopbackHttpServer("/big.png", new byte[300_000], chunked: chunked);
        using var fetcher = Through(server.Port, maxBytes: 100_000);
        var e = await Assert.ThrowsAsync<FetchException>(() => fetcher.FetchAsync(server.Url, AnyHost, Ct));
        Assert.Equal(FetchFailure.TooLarge, e.Failure);
    }

    [Fact]
    public async Task A_missing_picture_is_unreachable_with_its_status_and_a_host_not_allowed_is_not_asked()
    {
        using var server = new LoopbackHttpServer("/there.png", [1]);
        using var fetcher = Through(server.Port);
        var e = await Assert.ThrowsAsync<FetchException>(() => fetcher.FetchAsync(new Uri($"http://127.0.0.1:{server.Port}/not-there.png"), AnyHost, Ct));
        Assert.Equal(FetchFailure.Unreachable, e.Failure);
        Assert.Contains("HTTP 404", e.Message);

        e = await Assert.ThrowsAsync<FetchException>(() => fetcher.FetchAsync(server.Url, host => host != "127.0.0.1", Ct));
        Assert.Equal(FetchFailure.NotAllowed, e.Failure);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_is_timed_out()
    {
        // Accepts the connection, reads nothing, sends nothing: only the fetcher's own timeout ends the wait.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var accepting = listener.AcceptTcpClientAsync(Ct).AsTask();
            using var fetcher = Through(port, timeout: TimeSpan.FromMilliseconds(300));
            var e = await Assert.ThrowsAsync<FetchException>(() => fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/stalled.png"), AnyHost, Ct));
            Assert.Equal(FetchFailure.TimedOut, e.Failure);
            (await accepting).Dispose();
        }
        finally
        {
            listener.Stop();
        }
    }
}
