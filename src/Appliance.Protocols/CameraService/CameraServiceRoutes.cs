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
    private readonly Dictionary<string, CameraServiceHandler> _json = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CameraServiceRawHandler> _raw = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CameraServiceHandler> _functions = new(StringComparer.Ordinal);

    internal static string Key(string group, string action) => WireName.Normalize(group) + "=" + WireName.Normalize(action);

    /// <summary>A JSON endpoint, GET or POST (the seed's pages use both).</summary>
    public CameraServiceRoutes Map(string group, string action, CameraServiceHandler handler)
    {
        Add(_json, Key(group, action), handler);
        return this;
    }

    /// <summary>An endpoint that writes its own response (e.g. <c>video=stream</c>).</summary>
    public CameraServiceRoutes MapRaw(string group, string action, CameraServiceRawHandler handler)
    {
        Add(_raw, Key(group, action), handler);
        return this;
    }

    /// <summary>A WebSocket <c>function</c> (e.g. <c>grab_image</c>); answered as <c>{"function": NAME, "code", …}</c>.</summary>
    public CameraServiceRoutes MapFunction(string function, CameraServiceHandler handler)
    {
        Add(_functions, WireName.Normalize(function), handler);
        return this;
    }

    private static void Add<T>(Dictionary<string, T> table, string key, T handler)
    {
        if (!table.TryAdd(key, handler)) throw new InvalidOperationException($"CameraService route {key} is mapped twice");
    }

    internal CameraServiceHandler? Json(string key) => _json.GetValueOrDefault(key);
    internal CameraServiceRawHandler? Raw(string key) => _raw.GetValueOrDefault(key);
    internal CameraServiceHandler? Function(string name) => _functions.GetValueOrDefault(WireName.Normalize(name));
    internal bool HasGroup(string group) => _json.Keys.Concat(_raw.Keys).Any(k => k.StartsWith(group + "=", StringComparison.Ordinal));
    public IEnumerable<string> Keys => _json.Keys.Concat(_raw.Keys).Order(StringComparer.Ordinal);
}
