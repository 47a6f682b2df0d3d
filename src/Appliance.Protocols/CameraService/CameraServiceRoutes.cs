using Appliance.Protocols.Shell;
using Appliance.Protocols.Wire;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.CameraService;

/// <summary>Answers one JSON call (HTTP or WebSocket).</summary>
public delegate ValueTask<CameraServiceAnswer> CameraServiceHandler(CameraServiceRequest request, CancellationToken cancellationToken);

/// <summary>Writes the HTTP response itself (multipart streams, files).</summary>
public delegate Task CameraServiceRawHandler(CameraServiceRequest request, HttpContext context);

/// <summary>A feature that serves one URL group of the CameraService port (<c>video=</c>, <c>card=</c>, <c>sign=</c>, …).</summary>
public interface ICameraServiceGroup
{
    void Map(CameraServiceRoutes routes);
}

/// <summary>
/// The route table of the CameraService port: <c>group=action</c> → handler, and WebSocket
/// <c>function</c> → handler. Keys are normalised (<see cref="WireName"/>), so <c>/Video = GrabImage</c> and
/// <c>/video=grabimage</c> are one route. Mapping the same key twice is a programming error.
/// </summary>
public sealed class CameraServiceRoutes
{
    private readonly CommandTable<CameraServiceHandler> _json = new("CameraService route");
    private readonly CommandTable<CameraServiceRawHandler> _raw = new("CameraService route");
    private readonly Dictionary<string, int> _maxBody = new(StringComparer.Ordinal);

    internal static string Key(string group, string action) => WireName.Normalize(group) + "=" + WireName.Normalize(action);

    /// <summary>A JSON endpoint, GET or POST (the seed's pages use both).</summary>
    /// <param name="maxBody">
    /// The largest body it reads (docs/PROTOCOLS.md "Limits"): <see cref="BodyLimits.Control"/> unless images or documents
    /// travel in it. A larger body is answered 8 and never buffered.
    /// </param>
    /// <param name="takesArray">The body is a JSON array (fp=verify, §8.2); every other route takes an object, and an array is answered 1.</param>
    public CameraServiceRoutes Map(string group, string action, CameraServiceHandler handler, int maxBody = BodyLimits.Control, bool takesArray = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBody);
        var key = Key(group, action);
        _json.Map(key, handler);
        _maxBody[WireName.Normalize(key)] = maxBody;
        if (takesArray) _arrayBodies.Add(WireName.Normalize(key));
        return this;
    }

    private readonly HashSet<string> _arrayBodies = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="key"/> was mapped to take a JSON array body.</summary>
    public bool TakesArray(string key) => _arrayBodies.Contains(WireName.Normalize(key));

    /// <summary>An endpoint that writes its own response (e.g. <c>video=stream</c>).</summary>
    public CameraServiceRoutes MapRaw(string group, string action, CameraServiceRawHandler handler)
    {
        _raw.Map(Key(group, action), handler);
        return this;
    }

    /// <summary>A WebSocket <c>function</c> (e.g. <c>grab_image</c>); answered as <c>{"function": NAME, "code", …}</c>.</summary>
    public CameraServiceRoutes MapFunction(string function, CameraServiceHandler handler)
    {
        Functions.Map(function, handler);
        return this;
    }

    /// <summary>The WebSocket functions, as the shared message loop looks them up.</summary>
    internal CommandTable<CameraServiceHandler> Functions { get; } = new("CameraService function");

    internal CameraServiceHandler? Json(string key) => _json.Find(key);

    /// <summary>The body limit <paramref name="key"/> was mapped with.</summary>
    public int MaxBody(string key) => _maxBody.GetValueOrDefault(WireName.Normalize(key), BodyLimits.Control);
    internal CameraServiceRawHandler? Raw(string key) => _raw.Find(key);
    internal bool HasGroup(string group) => Keys.Any(k => k.StartsWith(group + "=", StringComparison.Ordinal));
    public IEnumerable<string> Keys => _json.Names.Concat(_raw.Names).Order(StringComparer.Ordinal);
}
