namespace Appliance.Protocols.Security.Management;

/// <summary>Refuses a signed call whose timestamp is outside the window or whose nonce was already used within it.</summary>
public sealed class ReplayGuard(TimeProvider clock, TimeSpan window)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = [];

    /// <exception cref="SignedCallException"><see cref="SignedCallFailure.BadTimestamp"/>, <see cref="SignedCallFailure.BadNonce"/>,
    /// <see cref="SignedCallFailure.StaleTimestamp"/> or <see cref="SignedCallFailure.ReplayedNonce"/>.</exception>
    public void Check(string keyId, string timestamp, string nonce)
    {
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            || ms is < -62135596800000 or > 253402300799999)
            throw new SignedCallException(SignedCallFailure.BadTimestamp, "timestamp: expected Unix milliseconds");
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 128)
            throw new SignedCallException(SignedCallFailure.BadNonce, "nonce: expected 1..128 characters");
        var now = clock.GetUtcNow();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if ((now - at).Duration() > window)
            throw new SignedCallException(SignedCallFailure.StaleTimestamp, $"timestamp is more than {window.TotalSeconds:0} s away from the terminal's clock ({now:O})");
        lock (_gate)
        {
            foreach (var old in _seen.Where(kv => kv.Value < now).Select(kv => kv.Key).ToList()) _seen.Remove(old);
            if (!_seen.TryAdd(keyId + "/" + nonce, now + window + window))
                throw new SignedCallException(SignedCallFailure.ReplayedNonce, "nonce already used: this request is a replay");
        }
    }
}
