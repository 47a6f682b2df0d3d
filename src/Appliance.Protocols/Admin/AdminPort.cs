using Appliance.Protocols.Hosting;
using Appliance.Protocols.Http;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.Admin;

/// <summary>A feature that serves endpoints on the admin port (health, the sim page, pairing, …).</summary>
public interface IAdminRoutes
{
    void Map(Router router);
}

/// <summary>The admin port (38090): the operator's and the simulated terminal's endpoints.</summary>
public sealed class AdminPort : IPortApplication
{
    private readonly Router _router = new();

    public AdminPort(IEnumerable<IAdminRoutes> features)
    {
        foreach (var feature in features) feature.Map(_router);
    }

    public PortRole Role => PortRole.Admin;

    public Task HandleAsync(HttpContext context)
    {
        if (_router.TryRoute(context, out var handled)) return handled;
        var path = context.Request.Path.Value ?? "/";
        var status = _router.HasPath(path) ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status404NotFound;
        return AdminResults.Error(context, status, status == 404 ? $"no admin endpoint {path}" : $"{context.Request.Method} is not allowed on {path}");
    }
}
