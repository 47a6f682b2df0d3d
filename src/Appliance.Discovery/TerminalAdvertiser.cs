using Appliance.Core.Session;
using Appliance.Discovery.Mdns;

namespace Appliance.Discovery;

/// <summary>Config section <c>discovery</c>.</summary>
public sealed class DiscoveryOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Name people see in a browser; empty = the terminal's name (model + serial tail).</summary>
    public string InstanceName { get; set; } = "";

    /// <summary>Host label for <c>LABEL.local</c>; empty = <c>signterm-SERIAL</c>.</summary>
    public string HostName { get; set; } = "";

    /// <summary>Interfaces to advertise on; empty = all multicast-capable, non-loopback ones.</summary>
    public List<string> Interfaces { get; set; } = [];

    public const string Section = "discovery";

    /// <summary>The host label the terminal answers to as <c>LABEL.local</c>: <see cref="HostName"/>, or <c>signterm-SERIAL</c>.</summary>
    public string HostLabelFor(string serial) => TerminalAdvertiser.HostLabel(HostName.Length > 0 ? HostName : "signterm-" + serial);

    /// <summary>The instance name browsers show: <see cref="InstanceName"/>, or the terminal's own name.</summary>
    public string InstanceNameOr(string terminalName) => InstanceName.Length > 0 ? InstanceName : terminalName;

    /// <summary>Returns the first problem as "discovery:key: expected …", or null.</summary>
    public string? Validate()
    {
        // One DNS label each (RFC 1035 §2.3.4: 63 bytes); a host label is letters, digits and inner hyphens.
        if (System.Text.Encoding.UTF8.GetByteCount(InstanceName) > 63)
            return $"{Section}:instanceName: expected at most 63 bytes of UTF-8, found {System.Text.Encoding.UTF8.GetByteCount(InstanceName)}";
        if (HostName.Length > 0 && (HostName.Length > 63 || HostName[0] == '-' || HostName[^1] == '-' || !HostName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
            return $"{Section}:hostName: expected a host label (letters, digits, inner hyphens, at most 63), found \"{HostName}\"";
        for (var i = 0; i < Interfaces.Count; i++)
            if (string.IsNullOrWhiteSpace(Interfaces[i])) return $"{Section}:interfaces:{i}: expected an interface name such as eth0, found \"{Interfaces[i]}\"";
        return null;
    }
}

/// <summary>Whether the terminal can take a task now; mirrored in the TXT <c>state</c> key.</summary>
public enum TerminalAvailability
{
    Idle,
    Busy,
}

/// <summary>
/// Advertises the terminal as <c>_signterm._tcp</c> (the PC protocols) and <c>_http._tcp</c> (the admin page).
/// TXT keys: txtvers, model, serial, fw, uuid, uos, cam, adm (ports), tls, fp (certificate SHA-256), state.
/// <see cref="Follow"/> ties <see cref="Availability"/> to the terminal session (busy while an interactive task is
/// on screen); every change is announced at once with the TXT's cache-flush bit, so browsers update without asking.
/// </summary>
public sealed class TerminalAdvertiser : IAsyncDisposable
{
    public const string ServiceType = "_signterm._tcp";
    public const string AdminServiceType = "_http._tcp";

    private readonly MdnsResponder _responder;
    private volatile TerminalAvailability _availability = TerminalAvailability.Idle;

    /// <param name="txt">The TXT pairs without <c>state</c>, read on every announcement (fingerprint may change on import).</param>
    /// <param name="transport">Null for UDP 5353; tests pass an in-memory link.</param>
    /// <param name="interfaces">Null for the host's interfaces (as configured); tests pass their own.</param>
    public TerminalAdvertiser(MdnsResponderOptions options, Func<ushort> signingPort, Func<ushort> adminPort,
        Func<IReadOnlyList<KeyValuePair<string, string>>> txt, IMdnsTransport? transport = null, Func<IReadOnlyList<MdnsInterface>>? interfaces = null)
    {
        options.Services.Add(new MdnsService(ServiceType, signingPort,
            () => [.. txt(), new("state", _availability == TerminalAvailability.Busy ? "busy" : "idle")]));
        options.Services.Add(new MdnsService(AdminServiceType, adminPort, () => [new("txtvers", "1"), new("path", "/")]));
        _responder = new MdnsResponder(options, transport, interfaces);
    }

    public MdnsResponder Responder => _responder;

    public TerminalAvailability Availability
    {
        get => _availability;
        set
        {
            if (_availability == value) return;
            _availability = value;
            _responder.RefreshTxt();
        }
    }

    /// <summary>
    /// Busy from the moment a task opens on screen until it reaches a final state (completed, cancelled, timed out,
    /// aborted, failed), idle otherwise. Dispose the result to stop following.
    /// </summary>
    public IDisposable Follow(TerminalSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        void OnTaskChanged(TerminalTask task) => Availability = task.State.IsFinal() ? TerminalAvailability.Idle : TerminalAvailability.Busy;
        session.TaskChanged += OnTaskChanged;
        Availability = session.Current is { } current && !current.State.IsFinal() ? TerminalAvailability.Busy : TerminalAvailability.Idle;
        return new Unsubscribe(() => session.TaskChanged -= OnTaskChanged);
    }

    private sealed class Unsubscribe(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    /// <summary>Something in the TXT changed (e.g. a new certificate): announce it.</summary>
    public void Refresh() => _responder.RefreshTxt();

    public void Start() => _responder.Start();

    public Task StopAsync() => _responder.StopAsync();

    public ValueTask DisposeAsync() => _responder.DisposeAsync();

    /// <summary>A valid host label (letters, digits, hyphens; at most 63) from any text.</summary>
    public static string HostLabel(string text)
    {
        var chars = text.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-').ToArray();
        var label = new string(chars).Trim('-');
        while (label.Contains("--", StringComparison.Ordinal)) label = label.Replace("--", "-", StringComparison.Ordinal);
        return label.Length == 0 ? "signterm" : label[..Math.Min(label.Length, 63)];
    }
}
