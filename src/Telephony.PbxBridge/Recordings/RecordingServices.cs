using Microsoft.Extensions.Options;
using Telephony.PbxBridge.PSeries;
using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Recordings;

/// <summary>Wires recording archiving into one PBX's link: the family's source, its transfer client, the archiver.</summary>
internal static class RecordingServices
{
    public static void Add(IServiceCollection services, bool sSeries)
    {
        // Recording files: the PBX's base address and TLS pin, no resilience handler (see RecordingFileDownload).
        services.AddHttpClient(RecordingFileDownload.HttpClientName, (sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<PbxBridgeOptions>>().Value.GetYeastarBaseUri();
                http.Timeout = RecordingFileDownload.Timeout;
                if (!sSeries)
                {
                    http.DefaultRequestHeaders.UserAgent.ParseAdd("OpenAPI");
                }
            })
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<PbxCertificatePolicy>().CreateHandler())
            .RedactLoggedHeaders(_ => true);
        if (sSeries)
        {
            services.AddSingleton<IRecordingSource, SSeriesRecordingSource>();
        }
        else
        {
            services.AddSingleton<IRecordingSource, PSeriesRecordingSource>();
        }

        services.AddSingleton<RecordingArchiver>();
        services.AddHostedService(sp => sp.GetRequiredService<RecordingArchiver>());
    }
}
