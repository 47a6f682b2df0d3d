namespace Appliance.Protocols.Security.Management;

/// <summary>Refuses a signed call whose timestamp is outside the window or whose nonce was already used within it.</summary>
public sealed class ReplayGuard(TimeProvider clock, TimeSpan window)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = [];

    public void Check(string keyId, string timestamp, string nonce)
    {
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms))
            throw new ManagementException(ManagementStatus.BadParameter, "timestamp: expected Unix milliseconds");
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 128)
            throw new ManagementException(ManagementStatus.BadParameter, "nonce: expected 1..128 characters");
        var now = clock.GetUtcNow();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if ((now - at).Duration() > window)
            throw new ManagementException(ManagementStatus.StaleTimestamp, $"timestamp is more than {window.TotalSeconds:0} s away from the terminal's clock ({now:O})", 401);
        lock (_gate)
        {
            foreach (var old in _seen.Where(kv => kv.Value < now).Select(kv => kv.Key).ToList()) _seen.Remove(old);
            if (!_seen.TryAdd(keyId + "/" + nonce, now + window + window))
                throw new ManagementException(ManagementStatus.ReplayedNonce, "nonce already used: this request is a replay", 401);
        }
    }
}
