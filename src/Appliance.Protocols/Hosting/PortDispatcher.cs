using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Hosting;

/// <summary>
/// Routes each request to the application of the port it arrived on. The role is stamped on the
/// connection when Kestrel accepts it, so this works whatever port number was configured (or forwarded). Nothing
/// reaches Kestrel's unhandled-exception path: the protocols answer their own failures in their shape, and whatever
/// still escapes is logged here once, with its stack, and answered 500 if nothing was sent yet.
/// </summary>
public sealed class PortDispatcher(IEnumerable<IPortApplication> applications, IEnumerable<IRequestGate> gates, ILogger<PortDispatcher> log)
{
    private readonly IRequestGate[] _gates = gates.ToArray();
    private const string RoleKey = "appliance.port-role";
    private readonly Dictionary<PortRole, IPortApplication> _byRole = applications.ToDictionary(a => a.Role);

    /// <summary>Connection middleware for one Kestrel endpoint.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Tag(PortRole role) => next => connection =>
    {
        connection.Items[RoleKey] = role;
        return next(connection);
    };

    public async Task DispatchAsync(HttpContext context)
    {
        try
        {
            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException) return; // the client went away
            if (e is BadHttpRequestException bad)
            {
                // The client's request was malformed (a body over Kestrel's limit, a broken chunk): its status, no stack.
                if (!context.Response.HasStarted) context.Response.StatusCode = bad.StatusCode;
                return;
            }
            log.LogError(e, "Unhandled failure answering {Path}", context.Request.Path);
            if (!context.Response.HasStarted) context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
    }

    private Task RouteAsync(HttpContext context)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(RoleKey, out var value) && value is PortRole role && _byRole.TryGetValue(role, out var app))
            return _gates.Length == 0 ? app.HandleAsync(context) : GatedAsync(context, role, app);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private async Task GatedAsync(HttpContext context, PortRole role, IPortApplication app)
    {
        foreach (var gate in _gates)
            if (!await gate.AllowAsync(context, role).ConfigureAwait(false)) return;
        await app.HandleAsync(context).ConfigureAwait(false);
    }
}
