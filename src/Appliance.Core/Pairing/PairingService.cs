using System.Security.Cryptography;

namespace Appliance.Core.Pairing;

/// <summary>
/// Pairing a PC: it asks, the terminal shows a 6-digit code (<see cref="CodeShown"/>; the idle screen draws it),
/// the person types it on the PC, and the PC gets its own key id and secret. Wrong codes count per address;
/// too many lock that address out for a while.
/// </summary>
public sealed class PairingService(PairingStore store, PairingOptions options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PairingCodeShown> _pending = [];
    private readonly Dictionary<string, (int Failures, DateTimeOffset LockedUntil, DateTimeOffset LastAttempt)> _byAddress = [];

    public PairingStore Store => store;

    /// <summary>A code to show on the screen. The screen shows it until <see cref="CodeCleared"/> or its expiry.</summary>
    public event Action<PairingCodeShown>? CodeShown;

    /// <summary>The code with this request id is no longer valid (used, expired or locked out).</summary>
    public event Action<string>? CodeCleared;

    /// <summary>The code on screen now, if any (for a screen that starts after the event).</summary>
    public PairingCodeShown? CurrentCode
    {
        get
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                return _pending.Values.Where(p => p.ExpiresAt > now).OrderByDescending(p => p.ExpiresAt).FirstOrDefault();
            }
        }
    }

    public PairingCodeShown Request(string pcName, string address)
    {
        PairingCodeShown shown;
        lock (_gate)
        {
            CheckAttempt(address);
            foreach (var old in _pending.Values.Where(p => p.Address == address).ToList()) _pending.Remove(old.RequestId);
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            shown = new PairingCodeShown(id, code, pcName, address, clock.GetUtcNow().AddSeconds(options.CodeLifetimeSeconds));
            _pending[id] = shown;
        }
        CodeShown?.Invoke(shown);
        return shown;
    }

    /// <exception cref="PairingException">Wrong or expired code, locked out, or too fast.</exception>
    public PairedPc Confirm(string requestId, string code, string address)
    {
        PairedPc pc;
        lock (_gate)
        {
            CheckAttempt(address);
            var now = clock.GetUtcNow();
            if (!_pending.TryGetValue(requestId, out var pending) || pending.ExpiresAt <= now || pending.Address != address)
                throw new PairingException(PairingFailure.NoRequest, "no pairing request with that id from this address, or it expired: ask again");
            if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(code.Trim()), System.Text.Encoding.ASCII.GetBytes(pending.Code)))
            {
                var state = _byAddress[address];
                state.Failures++;
                if (state.Failures >= options.MaxFailedAttempts)
                {
                    state.LockedUntil = now.AddSeconds(options.LockoutSeconds);
                    state.Failures = 0;
                    _pending.Remove(requestId);
                    _byAddress[address] = state;
                    CodeCleared?.Invoke(requestId);
                    throw new PairingException(PairingFailure.LockedOut, $"too many wrong codes: pairing from {address} is locked for {options.LockoutSeconds} s", TimeSpan.FromSeconds(options.LockoutSeconds));
                }
                _byAddress[address] = state;
                throw new PairingException(PairingFailure.WrongCode, $"wrong code ({options.MaxFailedAttempts - state.Failures} attempts left)");
            }
            _pending.Remove(requestId);
            _byAddress.Remove(address);
            pc = new PairedPc("pc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), pending.PcName, address, now);
        }
        store.Add(pc);
        CodeCleared?.Invoke(requestId);
        return pc;
    }

    private void CheckAttempt(string address)
    {
        var now = clock.GetUtcNow();
        _byAddress.TryGetValue(address, out var state);
        if (state.LockedUntil > now)
            throw new PairingException(PairingFailure.LockedOut, $"pairing from {address} is locked after too many wrong codes; try again later", state.LockedUntil - now);
        if (options.MinAttemptIntervalMs > 0 && now - state.LastAttempt < TimeSpan.FromMilliseconds(options.MinAttemptIntervalMs))
            throw new PairingException(PairingFailure.TooFast, "pairing attempts are too fast; wait a second", TimeSpan.FromMilliseconds(options.MinAttemptIntervalMs));
        state.LastAttempt = now;
        _byAddress[address] = state;
    }
}
