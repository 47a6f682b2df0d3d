using Appliance.Adapters.Documents;
using Appliance.Core.Documents;
using Appliance.Documents.Pdf.Signing;
using Appliance.Host.Configuration;
using Appliance.Protocols.CameraService;
using Appliance.Protocols.CameraService.SignPdf;
using Appliance.Ui;
using Microsoft.Extensions.Configuration;

namespace Appliance.Host.Composition;

/// <summary>
/// PDF signing (seed 003 §9.6, configuration <c>signPdf</c>): the document window on the screen, the signer with the
/// device key kept in <c>STATE_DIR/signing/</c>, and the CameraService functions <c>show_sign_pdf</c> / <c>close_sign_pdf</c>.
/// </summary>
internal static class DocumentsFeature
{
    public static IServiceCollection AddDocuments(this IServiceCollection services, IConfiguration configuration, string stateDir, string terminalName)
    {
        var options = new SignPdfOptions();
        ApplianceConfiguration.Bind(() => configuration.GetSection(SignPdfOptions.Section).Bind(options));
        if (options.Validate() is { } problem) throw ConfigurationException.FromProblem(problem);
        services.AddSingleton(options);
        services.AddSingleton<IDocumentScreen>(sp => new DocumentScreenAdapter(sp.GetRequiredService<ScreenService>()));
        services.AddSingleton<IDocumentSigner>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            return new DocumentSignerAdapter(() =>
            {
                var key = DocumentSigningKey.LoadOrCreate(Path.Combine(stateDir, "signing"), Algorithm(options.KeyAlgorithm), terminalName, time);
                ITimestampAuthority? timestamps = options.TimestampUrl.Length > 0
                    ? new HttpTimestampAuthority(new HttpClient { Timeout = TimeSpan.FromSeconds(15) }, new Uri(options.TimestampUrl))
                    : null;
                return new PdfSigner(key, timestamps);
            }, time);
        });
        services.AddSingleton<ICameraServiceGroup, SignPdfGroup>();
        return services;
    }

    private static DocumentSigningAlgorithm Algorithm(string name) => name switch
    {
        "rsa-2048" => DocumentSigningAlgorithm.Rsa2048,
        "sm2" => DocumentSigningAlgorithm.Sm2,
        _ => DocumentSigningAlgorithm.EcdsaP256,
    };
}
