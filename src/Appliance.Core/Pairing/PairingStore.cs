using System.Text.Json;

namespace Appliance.Core.Pairing;

/// <summary>The paired PCs, kept in <c>STATE/pairings.json</c> (mode 0600: it holds the secrets).</summary>
public sealed class PairingStore
{
    public const string FileName = "pairings.json";
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

    public void Add(PairedPc pc)
    {
        lock (_gate)
        {
            _pcs = _pcs.Where(p => p.KeyId != pc.KeyId).Append(pc).ToList();
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
