using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.Http;

/// <summary>
/// PROTOCOLS.md CORS of the CameraService port: the caller's origin, GET/POST/OPTIONS, the requested headers, and
/// private-network access when a preflight asks for it. Only for origins the access policy allows: the access gate
/// has refused every other one before the port's application runs, and adds these to its own refusals only when
/// the origin is allowed (so a page the terminal accepts can read why it was refused, and no other page can).
/// </summary>
public static class CorsHeaders
{
    public static void Add(HttpContext context)
    {
        var request = context.Request.Headers;
        var response = context.Response.Headers;
        var origin = request.Origin.ToString();
        response.AccessControlAllowOrigin = string.IsNullOrEmpty(origin) ? "*" : origin;
        if (!string.IsNullOrEmpty(origin)) response.Vary = "Origin";
        response.AccessControlAllowMethods = "GET, POST, OPTIONS";
        var requested = request.AccessControlRequestHeaders.ToString();
        response.AccessControlAllowHeaders = string.IsNullOrEmpty(requested) ? "Content-Type" : requested;
        if (string.Equals(request["Access-Control-Request-Private-Network"], "true", StringComparison.OrdinalIgnoreCase))
            response["Access-Control-Allow-Private-Network"] = "true";
    }
}
