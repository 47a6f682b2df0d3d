namespace Appliance.SimBoard;

/// <summary>The sim board's peripheral simulators, as the admin endpoints drive them (implemented by the host's serial devices).</summary>
public interface ISimPeripherals
{
    IReadOnlyList<string> CardPresets { get; }
    /// <exception cref="ArgumentException">Unknown preset.</exception>
    void PlaceCard(string preset);
    void RemoveCard();
    /// <summary>Finger <paramref name="finger"/> (1..10) of simulated person <paramref name="person"/> (≥ 1).</summary>
    void PlaceFinger(int person, int finger);
    void RemoveFinger();
    void Scan(string code);
    void Swipe(string track1, string track2, string track3);
    /// <summary><c>idCard</c>, <c>fingerprint</c>, <c>barcode</c> or <c>magStripe</c>; false when unknown.</summary>
    bool SetPlugged(string device, bool plugged);
}
