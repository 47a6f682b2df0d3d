using System.Text.Json;

namespace Appliance.Core.Pairing;

/// <summary>The paired PCs, kept in <c>STATE/pairings.json</c> (mode 0600: it holds the secrets).</summary>
public sealed class PairingStore
{
    public const string FileName = "pairings.json";

    /// <summary>
    /// Paired PCs kept at most (docs/BUDGETS.md "Flash": about 300 bytes each). A new pairing past it is refused with
    /// <see cref="PairingFailure.Full"/> before a code is shown; unpairing one on the terminal makes room.
    /// </summary>
    public const int MaxPairedPcs = 64;
    private readonly string _path;
    private readonly Lock _gate = new();
    private List<PairedPc> _pcs;

    public PairingStore(string stateDir)
    {
        Directory.CreateDirectory(stateDir);
        _path = Path.Combine(stateDir, FileName);
        _pcs = File.Exists(_path)
            ? JsonSerializer.Deserialize(File.ReadAllText(_path), PairingJson.Default.ListPairedPc) ?? []
            : [];
    }

    public event Action? Changed;

    public IReadOnlyList<PairedPc> List() { lock (_gate) return _pcs.ToList(); }

    public PairedPc? Find(string keyId) { lock (_gate) return _pcs.FirstOrDefault(p => p.KeyId == keyId); }

    public bool IsPairedAddress(string address) { lock (_gate) return _pcs.Any(p => p.Address == address); }

    public bool IsFull { get { lock (_gate) return _pcs.Count >= MaxPairedPcs; } }

    /// <exception cref="PairingException"><see cref="PairingFailure.Full"/> when <see cref="MaxPairedPcs"/> are paired.</exception>
    public static PairingException FullError() => new(PairingFailure.Full,
        $"已配对 {MaxPairedPcs} 台电脑，已达上限：请先在终端的已配对电脑页面解除一台 / the terminal has {MaxPairedPcs} paired PCs, its most: unpair one on the terminal's paired-PCs page first");

    /// <exception cref="PairingException"><see cref="PairingFailure.Full"/>: nothing was added.</exception>
    public void Add(PairedPc pc)
    {
        lock (_gate)
        {
            var others = _pcs.Where(p => p.KeyId != pc.KeyId).ToList();
            if (others.Count >= MaxPairedPcs) throw FullError();
            _pcs = others.Append(pc).ToList();
            Save();
        }
        Changed?.Invoke();
    }

    public bool Revoke(string keyId)
    {
        lock (_gate)
        {
            var before = _pcs.Count;
            _pcs = _pcs.Where(p => p.KeyId != keyId).ToList();
            if (_pcs.Count == before) return false;
            Save();
        }
        Changed?.Invoke();
        return true;
    }

    private void Save() =>
        Storage.PrivateFile.WriteAtomic(_path, JsonSerializer.SerializeToUtf8Bytes(_pcs, PairingJson.Default.ListPairedPc));
}
