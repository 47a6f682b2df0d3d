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
