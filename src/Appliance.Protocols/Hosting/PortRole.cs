namespace Appliance.Protocols.Hosting;

/// <summary>Which protocol a listening port speaks. Kestrel tags every connection with its port's role.</summary>
public enum PortRole
{
    Uos,
    CameraService,
    Admin,
}

/// <summary>Serves every request that arrives on one port role.</summary>
public interface IPortApplication
{
    PortRole Role { get; }
    Task HandleAsync(Microsoft.AspNetCore.Http.HttpContext context);
}

/// <summary>
/// Runs before a port's application (access policy, Host and Origin checks). Returns false after it has
/// answered the request itself (refused it); the application then never sees it.
/// </summary>
public interface IRequestGate
{
    ValueTask<bool> AllowAsync(Microsoft.AspNetCore.Http.HttpContext context, PortRole role);
}
