using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.Http;

/// <summary>
/// A small exact-path route table for one port. The legacy protocols' URL shapes
/// (<c>/video=stream&amp;camidx=0</c>) do not fit ASP.NET routing, and each port must see only its own routes.
/// </summary>
public sealed class Router
{
    private readonly Dictionary<(string Method, string Path), RequestDelegate> _exact = [];
    private readonly List<(string Method, string Prefix, RequestDelegate Handler)> _prefixes = [];

    public Router Map(string method, string path, RequestDelegate handler)
    {
        _exact[(method, path)] = handler;
        return this;
    }

    public Router MapGet(string path, RequestDelegate handler) => Map(HttpMethods.Get, path, handler);
    public Router MapPost(string path, RequestDelegate handler) => Map(HttpMethods.Post, path, handler);

    /// <summary>Matches every path under <paramref name="prefix"/> (which ends with '/').</summary>
    public Router MapPrefix(string method, string prefix, RequestDelegate handler)
    {
        _prefixes.Add((method, prefix, handler));
        return this;
    }

    /// <returns>False when nothing matched; the caller answers 404 or 405.</returns>
    public bool TryRoute(HttpContext context, out Task handled)
    {
        var method = HttpMethods.IsHead(context.Request.Method) ? HttpMethods.Get : context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        if (_exact.TryGetValue((method, path), out var handler))
        {
            handled = handler(context);
            return true;
        }
        foreach (var (m, prefix, h) in _prefixes)
        {
            if (m == method && path.StartsWith(prefix, StringComparison.Ordinal))
            {
                handled = h(context);
                return true;
            }
        }
        handled = Task.CompletedTask;
        return false;
    }

    public bool HasPath(string path) =>
        _exact.Keys.Any(k => k.Path == path) || _prefixes.Any(p => path.StartsWith(p.Prefix, StringComparison.Ordinal));
}
