using System.Net;
using System.Security.Cryptography;
using Appliance.Discovery.Dns;

namespace Appliance.Discovery.Mdns;

/// <summary>What the responder does with each datagram: conflicts, tie-breaks and answers.</summary>
public sealed partial class MdnsResponder
{
    private async Task ReceiveLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            MdnsPacket packet;
            try { packet = await _transport.ReceiveAsync(stop).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (System.Net.Sockets.SocketException e) { Log($"receive failed: {e.Message}"); continue; }

            DnsMessage message;
            try { message = DnsMessage.Decode(packet.Data); }
            catch (DnsFormatException e) { Log($"ignored a malformed packet from {packet.From}: {e.Message}"); continue; }
            if (!message.IsStandard) continue;
            try
            {
                if (message.IsResponse) OnResponse(message);
                else await OnQueryAsync(message, packet, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
        }
    }

    /// <summary>A response holding a different record under one of our unique names is a conflict (RFC 6762 §8.1, §9).</summary>
    private void OnResponse(DnsMessage message)
    {
        Phase phase;
        lock (_gate) phase = _phase;
        if (phase == Phase.Stopped) return;
        var ours = AllRecords();
        foreach (var theirs in message.AllRecords)
        {
            if (theirs.Ttl == 0 || theirs.Type == DnsType.Nsec || !ours.IsUniqueName(theirs.Name)) continue;
            if (ours.Records.Any(o => o.SameRecord(theirs)) || SentByUs(theirs)) continue;
            Log($"conflict: {theirs}");
            Rename(theirs.Name, ours);
            Restart(RestartReason.Conflict);
            return;
        }
    }

    private void Rename(string conflictingName, MdnsRecordSet ours)
    {
        string instance, host;
        lock (_gate)
        {
            if (DnsName.Equal(conflictingName, ours.HostName))
                _hostLabel = $"{_options.HostName}-{++_hostRenames}";
            else
                _instanceLabel = $"{_options.InstanceName} ({++_instanceRenames})";
            instance = _instanceLabel;
            host = _hostLabel;
        }
        Log($"renamed to \"{instance}\" on {host}.local");
        Renamed?.Invoke(instance, host + ".local");
    }

    private async Task OnQueryAsync(DnsMessage query, MdnsPacket packet, CancellationToken stop)
    {
        Phase phase;
        lock (_gate) phase = _phase;
        var iface = _interfaces.FirstOrDefault(i => i.Index == packet.InterfaceIndex) ?? _interfaces.FirstOrDefault();
        if (iface is null) return;
        var ours = RecordsFor(iface);

        if (phase == Phase.Probing)
        {
            CheckSimultaneousProbe(query, ours);
            return;
        }
        if (phase == Phase.Stopped) return;

        var legacy = packet.From.Port != UdpMdnsTransport.Port;
        var answers = new List<DnsRecord>();
        var negative = new List<DnsRecord>();
        foreach (var q in query.Questions)
        {
            if (q.Class is not (DnsClass.In or DnsClass.Any)) continue;
            var matches = ours.Records.Where(r => DnsName.Equal(r.Name, q.Name) && r.Type != DnsType.Nsec && (q.Type == DnsType.Any || q.Type == r.Type)).ToList();
            if (matches.Count == 0 && ours.IsUniqueName(q.Name) && q.Type != DnsType.Any)
                negative.AddRange(ours.Records.Where(r => r.Type == DnsType.Nsec && DnsName.Equal(r.Name, q.Name)));
            foreach (var m in matches)
                if (!answers.Any(a => a.SameRecord(m)) && !KnownAnswer(query, m)) answers.Add(m);
        }
        if (answers.Count == 0 && negative.Count == 0) return;

        var response = legacy ? DnsMessage.Response(query.Id) : DnsMessage.Response();
        if (legacy) response.Questions.AddRange(query.Questions.Select(q => q with { UnicastResponse = false }));
        response.Answers.AddRange(answers);
        response.Answers.AddRange(negative.Where(n => !answers.Any(a => a.SameRecord(n))));
        response.Additionals.AddRange(Additionals(answers, ours).Where(a => !response.Answers.Any(x => x.SameRecord(a))));
        if (legacy) CapForLegacy(response);

        // Shared records (PTR) may be answered by many hosts: spread the answers 20-120 ms (RFC 6762 §6).
        var shared = answers.Any(a => !a.CacheFlush);
        if (query.IsTruncated) await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(400, 501)), stop).ConfigureAwait(false);
        else if (shared) await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(20, 121)), stop).ConfigureAwait(false);

        var unicast = legacy || (query.Questions.Count > 0 && query.Questions.All(q => q.UnicastResponse));
        if (unicast) await SendUnicastAsync(response, packet.From, stop).ConfigureAwait(false);
        else await SendAsync(response, iface, stop, packet.From.AddressFamily).ConfigureAwait(false);
    }

    /// <summary>Known-answer suppression (RFC 6762 §7.1): the asker already holds this record with at least half its TTL left.</summary>
    private static bool KnownAnswer(DnsMessage query, DnsRecord ours) =>
        query.Answers.Any(k => k.SameRecord(ours) && k.Ttl >= ours.Ttl / 2);

    /// <summary>RFC 6763 §12: a PTR brings the SRV, TXT and addresses; an SRV brings the addresses; NSEC says what is absent.</summary>
    private static IEnumerable<DnsRecord> Additionals(List<DnsRecord> answers, MdnsRecordSet ours)
    {
        var extra = new List<DnsRecord>();
        void AddName(string name, params DnsType[] types)
        {
            foreach (var r in ours.Records.Where(r => DnsName.Equal(r.Name, name) && types.Contains(r.Type)))
                if (!extra.Any(e => e.SameRecord(r))) extra.Add(r);
        }
        foreach (var a in answers)
        {
            switch (a.Data)
            {
                case PtrData ptr when ours.InstanceNames.Any(n => DnsName.Equal(n, ptr.Target)):
                    AddName(ptr.Target, DnsType.Srv, DnsType.Txt, DnsType.Nsec);
                    AddName(ours.HostName, DnsType.A, DnsType.Aaaa, DnsType.Nsec);
                    break;
                case SrvData:
                    AddName(ours.HostName, DnsType.A, DnsType.Aaaa, DnsType.Nsec);
                    break;
                case AddressData:
                    AddName(ours.HostName, DnsType.A, DnsType.Aaaa, DnsType.Nsec);
                    break;
            }
        }
        return extra.Where(e => !answers.Any(a => a.SameRecord(e)));
    }

    /// <summary>Legacy resolvers (source port ≠ 5353) get plain DNS: no cache-flush bit, TTL at most 10 s (RFC 6762 §6.7).</summary>
    private static void CapForLegacy(DnsMessage response)
    {
        static List<DnsRecord> Cap(List<DnsRecord> list) => list.Select(r => r.WithTtl(Math.Min(r.Ttl, MdnsTtl.LegacyMax), cacheFlush: false)).ToList();
        var answers = Cap(response.Answers);
        var additionals = Cap(response.Additionals);
        response.Answers.Clear();
        response.Answers.AddRange(answers);
        response.Additionals.Clear();
        response.Additionals.AddRange(additionals);
    }

    /// <summary>
    /// Another host probing our name at the same time (RFC 6762 §8.2): compare the proposed records
    /// lexicographically; the lower side defers for a second and probes again.
    /// </summary>
    private void CheckSimultaneousProbe(DnsMessage query, MdnsRecordSet ours)
    {
        foreach (var name in query.Questions.Select(q => q.Name).Where(ours.IsUniqueName).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var theirs = query.Authorities.Where(r => DnsName.Equal(r.Name, name)).ToList();
            if (theirs.Count == 0 || theirs.All(SentByUs)) continue;
            var mine = ours.ProbeRecords.Where(r => DnsName.Equal(r.Name, name)).ToList();
            if (CompareProbeRecords(mine, theirs) < 0)
            {
                Log($"lost the probe tie-break for {name}: deferring");
                Restart(RestartReason.LostTieBreak);
                return;
            }
        }
    }

    internal static int CompareProbeRecords(List<DnsRecord> mine, List<DnsRecord> theirs)
    {
        static int CompareRecord(DnsRecord a, DnsRecord b)
        {
            var c = a.Class.CompareTo(b.Class);
            if (c != 0) return c;
            c = ((ushort)a.Type).CompareTo((ushort)b.Type);
            return c != 0 ? c : a.Data.CanonicalBytes().AsSpan().SequenceCompareTo(b.Data.CanonicalBytes());
        }
        mine.Sort(CompareRecord);
        theirs.Sort(CompareRecord);
        for (var i = 0; i < Math.Min(mine.Count, theirs.Count); i++)
        {
            var c = CompareRecord(mine[i], theirs[i]);
            if (c != 0) return c;
        }
        return mine.Count.CompareTo(theirs.Count);
    }
}
