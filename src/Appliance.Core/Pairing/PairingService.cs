using System.Security.Cryptography;

namespace Appliance.Core.Pairing;

/// <summary>
/// Pairing a PC: it asks, the terminal shows a 6-digit code (<see cref="CodeShown"/>; the host puts it on screen),
/// the person types it on the PC, and the PC gets its own key id and secret. Wrong codes count per address;
/// too many lock that address out for a while. A code leaves (<see cref="CodeCleared"/>) when it is used, expires,
/// is cancelled or its address is locked out.
/// </summary>
public sealed class PairingService(PairingStore store, PairingOptions options, TimeProvider clock) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PairingCodeShown> _pending = [];
    private readonly Dictionary<string, ITimer> _expiry = [];
    private readonly Dictionary<string, (int Failures, DateTimeOffset LockedUntil, DateTimeOffset LastAttempt)> _byAddress = [];

    public PairingStore Store => store;

    /// <summary>A code to show on the screen. The screen shows it until <see cref="CodeCleared"/> or its expiry.</summary>
    public event Action<PairingCodeShown>? CodeShown;

    /// <summary>The code with this request id is no longer valid (used, expired, cancelled, replaced or locked out).</summary>
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
        List<string> replaced;
        lock (_gate)
        {
            CheckAttempt(address);
            if (store.IsFull) throw PairingStore.FullError();
            // One code per address: asking again replaces the code on screen.
            replaced = _pending.Values.Where(p => p.Address == address).Select(p => p.RequestId).ToList();
            foreach (var old in replaced) Forget(old);
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var lifetime = TimeSpan.FromSeconds(options.CodeLifetimeSeconds);
            shown = new PairingCodeShown(id, code, pcName, address, clock.GetUtcNow() + lifetime);
            _pending[id] = shown;
            _expiry[id] = clock.CreateTimer(_ => Expire(id), null, lifetime, Timeout.InfiniteTimeSpan);
        }
        foreach (var old in replaced) CodeCleared?.Invoke(old);
        CodeShown?.Invoke(shown);
        return shown;
    }

    /// <summary>The person at the terminal declined: the code leaves the screen and cannot be used. False when it was not pending.</summary>
    public bool Cancel(string requestId)
    {
        lock (_gate)
        {
            if (!Forget(requestId)) return false;
        }
        CodeCleared?.Invoke(requestId);
        return true;
    }

    private void Expire(string requestId)
    {
        lock (_gate)
        {
            if (!Forget(requestId)) return;
        }
        CodeCleared?.Invoke(requestId);
    }

    /// <summary>Under the lock: drops a pending code and its expiry timer.</summary>
    private bool Forget(string requestId)
    {
        if (_expiry.Remove(requestId, out var timer)) timer.Dispose();
        return _pending.Remove(requestId);
    }

    /// <exception cref="PairingException">Wrong or expired code, locked out, or too fast.</exception>
    public PairedPc Confirm(string requestId, string code, string address)
    {
        PairedPc? pc = null;
        PairingException? lockedOut = null;
        lock (_gate)
        {
            CheckAttempt(address);
            var now = clock.GetUtcNow();
            if (!_pending.TryGetValue(requestId, out var pending) || pending.ExpiresAt <= now || pending.Address != address)
                throw new PairingException(PairingFailure.NoRequest, "no pairing request with that id from this address, or it expired: ask again");
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(code.Trim()), System.Text.Encoding.ASCII.GetBytes(pending.Code)))
            {
                Forget(requestId);
                _byAddress.Remove(address);
                pc = new PairedPc("pc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                    Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), pending.PcName, address, now);
            }
            else
            {
                var state = _byAddress[address];
                state.Failures++;
                if (state.Failures < options.MaxFailedAttempts)
                {
                    _byAddress[address] = state;
                    throw new PairingException(PairingFailure.WrongCode, $"wrong code ({options.MaxFailedAttempts - state.Failures} attempts left)");
                }
                state.LockedUntil = now.AddSeconds(options.LockoutSeconds);
                state.Failures = 0;
                Forget(requestId);
                _byAddress[address] = state;
                lockedOut = new PairingException(PairingFailure.LockedOut, $"too many wrong codes: pairing from {address} is locked for {options.LockoutSeconds} s", TimeSpan.FromSeconds(options.LockoutSeconds));
            }
        }
        // Events are raised outside the lock: their handlers read this service (and draw the screen) on other threads too.
        try
        {
            if (pc is not null) store.Add(pc); // refused when the list filled up since the code was shown
        }
        finally
        {
            CodeCleared?.Invoke(requestId);
        }
        return pc ?? throw lockedOut!;
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

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var timer in _expiry.Values) timer.Dispose();
            _expiry.Clear();
        }
    }
}
