using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.Spool;

namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>An <see cref="ApiForwarder"/> and its <see cref="FrameSpool"/> over a given folder, posting to a fake API; dispose = the process ends.</summary>
internal sealed class ForwarderUnderTest : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly ILoggerFactory loggerFactory;

    private ForwarderUnderTest(ServiceProvider services, ILoggerFactory loggerFactory, CapturingLoggerProvider logs, FrameSpool spool, ApiForwarder forwarder)
    {
        this.services = services;
        this.loggerFactory = loggerFactory;
        Logs = logs;
        Spool = spool;
        Forwarder = forwarder;
    }

    public CapturingLoggerProvider Logs { get; }

    public FrameSpool Spool { get; }

    public ApiForwarder Forwarder { get; }

    public static async Task<ForwarderUnderTest> StartAsync(FakeTelephonyApi api, TempDirectory folder)
    {
        var collection = new ServiceCollection();
        collection.AddHttpClient<TelephonyApiClient>(TelephonyApiClient.HttpClientName, http =>
        {
            http.BaseAddress = api.BaseUrl;
            http.DefaultRequestHeaders.Authorization = new("Bearer", FakeTelephonyApi.BridgeKey);
        });
        var services = collection.BuildServiceProvider();
        var logs = new CapturingLoggerProvider();
        var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var options = Options.Create(new PbxBridgeOptions { TelephonyPbxId = "main", BridgeId = "forwarder-under-test", DataDir = folder.Path });
        var spool = new FrameSpool(options, TimeProvider.System, loggerFactory.CreateLogger<FrameSpool>(), services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var forwarder = new ApiForwarder(
            services.GetRequiredService<TelephonyApiClient>(),
            new PbxLinkStatus(TimeProvider.System),
            spool,
            options,
            TimeProvider.System,
            loggerFactory.CreateLogger<ApiForwarder>());
        await forwarder.StartAsync(TestContext.Current.CancellationToken);
        return new ForwarderUnderTest(services, loggerFactory, logs, spool, forwarder);
    }

    public async ValueTask DisposeAsync()
    {
        await Forwarder.StopAsync(CancellationToken.None);
        Forwarder.Dispose();
        Spool.Dispose();
        await services.DisposeAsync();
        loggerFactory.Dispose();
    }
}
