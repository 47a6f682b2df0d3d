using Appliance.Adapters.Orders;
using Appliance.Core.Capture;
using Appliance.Core.Documents;
using Appliance.Core.Journal;
using Appliance.Core.Orders;
using Appliance.Core.Screen;
using Appliance.Core.Session;
using Appliance.Host.Configuration;
using Appliance.Protocols.Admin;
using Appliance.Protocols.Orders;
using Appliance.Protocols.Orders.Coss;
using Appliance.Protocols.Orders.Delivery;
using Appliance.Protocols.Orders.InfoPlus;
using Appliance.Protocols.Orders.WoSign;
using Microsoft.Extensions.Configuration;

namespace Appliance.Host.Composition;

/// <summary>
/// Signing orders from signing platforms (issue 19, configuration <c>orders</c>): the desk and its store under
/// <c>STATE_DIR/orders</c>, the counter's devices, the order routes in the three seeds' shapes and the verification
/// routes on the admin port, and the outbox that pushes each result to its caller until received.
/// </summary>
internal static class OrdersFeature
{
    public static IServiceCollection AddOrders(this IServiceCollection services, IConfiguration configuration, string stateDir, string terminalName)
    {
        var options = new OrderOptions();
        ApplianceConfiguration.Bind(() => configuration.GetSection(OrderOptions.Section).Bind(options));
        if (options.Validate() is { } problem) throw ConfigurationException.FromProblem(problem);
        services.AddSingleton(options);
        services.AddSingleton(options.Outbox);

        services.AddSingleton(sp => new OrderStore(stateDir, sp.GetRequiredService<ILogger<OrderStore>>()));
        services.AddSingleton(sp => new OrderOutbox(stateDir, options.Outbox, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OrderOutbox>>()));
        services.AddSingleton<IDocumentLayoutReader, DocumentLayoutReaderAdapter>();
        services.AddSingleton<ISignatureVerifier, SignatureVerifierAdapter>();
        services.AddSingleton<IDataSigner>(sp => new DataSignerAdapter(Path.Combine(stateDir, "signing"), terminalName, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IOrderResultPush, OrderResultComposer>();
        services.AddSingleton(sp =>
        {
            var capture = sp.GetRequiredService<CaptureDevices>();
            return new OrderCounterDevices(sp.GetRequiredService<IDocumentScreen>(), sp.GetRequiredService<ITerminalScreen>(),
                sp.GetRequiredService<IDocumentSigner>(), sp.GetRequiredService<IDataSigner>(), capture.IdCard, capture.Fingerprint);
        });
        services.AddSingleton(sp => new OrderDesk(sp.GetRequiredService<OrderStore>(), sp.GetRequiredService<OrderOutbox>(),
            sp.GetRequiredService<TerminalSession>(), sp.GetRequiredService<ResultsJournal>(), sp.GetRequiredService<OrderCounterDevices>(),
            sp.GetRequiredService<IDocumentLayoutReader>(), sp.GetRequiredService<IOrderResultPush>(), options,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OrderDesk>>()));

        services.AddSingleton<OrderCallRunner>();
        services.AddSingleton<IAdminRoutes, WoSignEndpoints>();
        services.AddSingleton<IAdminRoutes, InfoPlusEndpoints>();
        services.AddSingleton<IAdminRoutes, CossEndpoints>();
        services.AddSingleton<IAdminRoutes, CossVerifyEndpoints>();
        services.AddSingleton<IAdminRoutes, OrderOperatorEndpoints>();

        services.AddSingleton<IOutboxTransport, CallbackTransport>();
        services.AddSingleton<Core.Storage.IRetention>(sp => sp.GetRequiredService<OrderDesk>());
        services.AddHostedService<DeskAtStart>();
        services.AddHostedService(sp => new OrderOutboxDelivery(sp.GetRequiredService<OrderOutbox>(), sp.GetRequiredService<IOutboxTransport>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OrderOutboxDelivery>>()));
        return services;
    }

    /// <summary>
    /// The desk is made when the host starts, not at the first order: it recovers interrupted orders and runs the expiry
    /// sweep. Its sweep stops when the host begins stopping, before the session closes, so no signer is started then.
    /// </summary>
    private sealed class DeskAtStart(OrderDesk desk) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken)
        {
            desk.Dispose();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
