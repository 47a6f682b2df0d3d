using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Wire;

/// <summary>
/// Bad input from a client (bytes that are not JSON, a lone surrogate, a body over its limit) is the client's fault,
/// answered with a code: it is logged at warning level at most once per client per <see cref="Interval"/>, never with a
/// stack, so a hostile or broken page cannot fill the journal. A fault of the terminal is logged at error level instead.
/// </summary>
public sealed class BadInputLog(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>The process's one instance: both protocols share it, so a client is limited across ports.</summary>
    public static BadInputLog Shared { get; } = new(TimeProvider.System);

    /// <summary>Clients remembered at most; past it, entries older than <see cref="Interval"/> are forgotten.</summary>
    private const int MaxClients = 1024;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="client"/> has not been logged within <see cref="Interval"/> (and marks it logged now).</summary>
    public bool ShouldLog(string client)
    {
        var now = time.GetUtcNow();
        if (_last.Count >= MaxClients)
        {
            foreach (var (key, at) in _last)
                if (now - at >= Interval) _last.TryRemove(key, out _);
            // Still full (many clients this minute): forget them all; the cost is a few more warnings, not memory.
            if (_last.Count >= MaxClients) _last.Clear();
        }
        while (true)
        {
            if (!_last.TryGetValue(client, out var previous))
            {
                if (_last.TryAdd(client, now)) return true;
                continue;
            }
            if (now - previous < Interval) return false;
            if (_last.TryUpdate(client, now, previous)) return true;
        }
    }

    /// <summary>Logs one warning for <paramref name="client"/> unless it was logged within the interval.</summary>
    public void Warn(ILogger log, string client, string where, string problem)
    {
        if (ShouldLog(client))
            log.LogWarning("Bad input from {Client} on {Where}: {Problem} (further bad input from it is not logged for a minute)", client, where, problem);
    }
}
