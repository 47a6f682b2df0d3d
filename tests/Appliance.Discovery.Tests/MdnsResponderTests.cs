using System.Net;
using Appliance.Discovery.Dns;
using Appliance.Discovery.Mdns;

namespace Appliance.Discovery.Tests;

/// <summary>The responder's RFC 6762 behaviour on an in-memory link (packets as bytes, nothing on the network).</summary>
public sealed class MdnsResponderTests
{
    private static readonly MdnsInterface TestInterface = new(1, "test0", [IPAddress.Parse("192.0.2.10")]);
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.20"), 5353);

    [Fact]
    public async Task Probes_three_times_with_proposed_records_then_announces_with_cache_flush()
    {
        await using var run = await Running.StartAsync();
        var probes = new List<DnsMessage>();
        while (probes.Count < 3) probes.Add(await run.Link.NextMulticastAsync());
        Assert.All(probes, p => Assert.False(p.IsResponse));
        Assert.True(probes[0].Questions.All(q => q.UnicastResponse && q.Type == DnsType.Any));
        Assert.Contains(probes[0].Questions, q => q.Name == "Desk._signterm._tcp.local");
        Assert.Contains(probes[0].Questions, q => q.Name == "signterm-t.local");
        Assert.Contains(probes[0].Authorities, r => r.Type == DnsType.Srv && ((SrvData)r.Data).Port == 12349);
        Assert.Contains(probes[0].Authorities, r => r.Type == DnsType.A);

        var announce = await run.Link.NextMulticastAsync();
        Assert.True(announce.IsResponse);
        Assert.All(announce.Answers.Where(r => r.Type is DnsType.Srv or DnsType.Txt or DnsType.A), r => Assert.True(r.CacheFlush));
        Assert.All(announce.Answers.Where(r => r.Type == DnsType.Ptr), r => Assert.False(r.CacheFlush));
        Assert.Contains(announce.Additionals, r => r.Type == DnsType.Nsec);
    }

    [Fact]
    public async Task Legacy_queries_get_a_unicast_reply_with_their_id_and_short_ttls()
    {
        await using var run = await Running.StartAndAnnounceAsync();
        var query = DnsMessage.Query(new DnsQuestion("_signterm._tcp.local", DnsType.Ptr));
        query.Id = 0x4242;
        var legacy = new IPEndPoint(IPAddress.Parse("192.0.2.30"), 40000);
        run.Link.Deliver(query, legacy);

        var (reply, to) = await run.Link.NextUnicastAsync();
        Assert.Equal(legacy, to);
        Assert.Equal(0x4242, reply.Id);
        Assert.Equal("_signterm._tcp.local", Assert.Single(reply.Questions).Name);
        Assert.All(reply.Answers.Concat(reply.Additionals), r => { Assert.True(r.Ttl <= 10); Assert.False(r.CacheFlush); });
        Assert.Contains(reply.Additionals, r => r.Type == DnsType.Srv);
        Assert.Contains(reply.Additionals, r => r.Type == DnsType.Txt);
        Assert.Contains(reply.Additionals, r => r.Type == DnsType.A);
    }

    [Fact]
    public async Task QU_questions_are_answered_unicast_and_known_answers_are_suppressed()
    {
        await using var run = await Running.StartAndAnnounceAsync();
        var query = DnsMessage.Query(
            new DnsQuestion("_signterm._tcp.local", DnsType.Ptr, UnicastResponse: true),
            new DnsQuestion("signterm-t.local", DnsType.A, UnicastResponse: true));
        query.Answers.Add(new DnsRecord("_signterm._tcp.local", DnsType.Ptr, 4000, new PtrData("Desk._signterm._tcp.local")));
        run.Link.Deliver(query, Peer);

        var (reply, to) = await run.Link.NextUnicastAsync();
        Assert.Equal(Peer, to);
        Assert.DoesNotContain(reply.Answers, r => r.Type == DnsType.Ptr);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), ((AddressData)Assert.Single(reply.Answers, r => r.Type == DnsType.A).Data).Address);
    }

    [Fact]
    public async Task A_question_for_a_type_the_name_lacks_gets_NSEC()
    {
        await using var run = await Running.StartAndAnnounceAsync();
        run.Link.Deliver(DnsMessage.Query(new DnsQuestion("signterm-t.local", DnsType.Aaaa)), Peer);
        var reply = await run.Link.NextMulticastAsync(r => r.IsResponse && r.Answers.Any(a => a.Type == DnsType.Nsec));
        var nsec = (NsecData)reply.Answers.Single(a => a.Type == DnsType.Nsec).Data;
        Assert.DoesNotContain(DnsType.Aaaa, nsec.Types);
        Assert.Contains(DnsType.A, nsec.Types);
    }

    [Fact]
    public async Task Announcements_go_to_both_groups_and_an_answer_goes_back_on_the_family_its_query_came_on()
    {
        var dualStack = new MdnsInterface(1, "test0", [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")]);
        await using var run = await Running.StartAsync(on: dualStack);
        var (announcement, announcedOn) = await run.Link.NextMulticastWithFamilyAsync(m => m.IsResponse);
        Assert.Null(announcedOn);
        Assert.Contains(announcement.Answers, r => r.Type == DnsType.Aaaa && ((AddressData)r.Data).Address.Equals(IPAddress.Parse("2001:db8::10")));
        Assert.Contains(announcement.Answers, r => r.Type == DnsType.A && ((AddressData)r.Data).Address.Equals(IPAddress.Parse("192.0.2.10")));
        await run.Link.NextMulticastAsync(m => m.IsResponse);

        run.Link.Deliver(DnsMessage.Query(new DnsQuestion("signterm-t.local", DnsType.Aaaa)), new IPEndPoint(IPAddress.Parse("fe80::20"), 5353));
        var (v6, family) = await run.Link.NextMulticastWithFamilyAsync(m => m.IsResponse && m.Answers.Any(a => a.Type == DnsType.Aaaa));
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, family);
        Assert.Equal(IPAddress.Parse("2001:db8::10"), ((AddressData)Assert.Single(v6.Answers).Data).Address);
        // RFC 6763 §12: the other family's address comes along as an additional record.
        Assert.Contains(v6.Additionals, r => r.Type == DnsType.A);

        run.Link.Deliver(DnsMessage.Query(new DnsQuestion("signterm-t.local", DnsType.A)), Peer);
        var (_, v4) = await run.Link.NextMulticastWithFamilyAsync(m => m.IsResponse && m.Answers.Any(a => a.Type == DnsType.A));
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, v4);
    }

    [Fact]
    public async Task A_conflicting_record_renames_the_instance_and_probes_again()
    {
        await using var run = await Running.StartAndAnnounceAsync();
        var renamed = new TaskCompletionSource<string>();
        run.Responder.Renamed += (instance, _) => renamed.TrySetResult(instance);
        var other = DnsMessage.Response();
        other.Answers.Add(new DnsRecord("Desk._signterm._tcp.local", DnsType.Srv, 120, new SrvData(0, 0, 12349, "someone-else.local"), cacheFlush: true));
        run.Link.Deliver(other, Peer);

        Assert.Equal("Desk (2)", await renamed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        var probe = await run.Link.NextMulticastAsync(m => !m.IsResponse);
        Assert.Contains(probe.Questions, q => q.Name == "Desk (2)._signterm._tcp.local");
    }

    [Fact]
    public void Probe_tie_break_compares_proposed_records_lexicographically()
    {
        var mine = new List<DnsRecord> { new("x.local", DnsType.A, 120, new AddressData(IPAddress.Parse("192.0.2.10"))) };
        var theirs = new List<DnsRecord> { new("x.local", DnsType.A, 120, new AddressData(IPAddress.Parse("192.0.2.11"))) };
        Assert.True(MdnsResponder.CompareProbeRecords(mine, theirs) < 0);
        Assert.Equal(0, MdnsResponder.CompareProbeRecords(mine, [.. mine]));
    }

    [Fact]
    public async Task Busy_state_is_announced_and_stop_says_goodbye()
    {
        var state = "idle";
        await using var run = await Running.StartAndAnnounceAsync(() => state);
        state = "busy";
        run.Responder.RefreshTxt();
        var update = await run.Link.NextMulticastAsync(m => m.IsResponse && m.Answers.Any(a => a.Data is TxtData t && t.ToDictionary().GetValueOrDefault("state") == "busy"));
        Assert.True(update.Answers.Single(a => a.Type == DnsType.Txt).CacheFlush);

        await run.Responder.StopAsync();
        var goodbye = run.Link.Sent.Last();
        Assert.True(goodbye.IsResponse);
        Assert.NotEmpty(goodbye.Answers);
        Assert.All(goodbye.Answers, r => Assert.Equal(0u, r.Ttl));
        Assert.Contains(goodbye.Answers, r => r.Type == DnsType.Ptr);
    }

    private sealed class Running : IAsyncDisposable
    {
        public required MdnsResponder Responder { get; init; }
        public required MemoryLink Link { get; init; }

        public static Task<Running> StartAsync(Func<string>? state = null, MdnsInterface? on = null)
        {
            var served = on ?? TestInterface;
            var options = new MdnsResponderOptions { HostName = "signterm-t", InstanceName = "Desk" };
            options.Services.Add(new MdnsService("_signterm._tcp", () => 12349, () => [new("txtvers", "1"), new("state", state?.Invoke() ?? "idle")]));
            var link = new MemoryLink(served);
            var responder = new MdnsResponder(options, link, () => [served]);
            responder.Start();
            return Task.FromResult(new Running { Responder = responder, Link = link });
        }

        public static async Task<Running> StartAndAnnounceAsync(Func<string>? state = null)
        {
            var run = await StartAsync(state);
            await Wait(() => run.Responder.IsAnnounced);
            // Both announcements out: the link is quiet until the test speaks.
            await Wait(() => run.Link.Sent.Count(m => m.IsResponse) >= 2);
            run.Link.SkipSent();
            return run;
        }

        private static async Task Wait(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the responder did not get there in 30 s");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync() => await Responder.DisposeAsync();
    }
}
