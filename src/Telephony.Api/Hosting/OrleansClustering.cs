using System.Net;
using Azure.Data.Tables;
using Orleans.Configuration;

namespace Telephony.Api.Hosting;

/// <summary>
/// How this process's silo finds the others (design.md §1, issue 12 §1): <c>ORLEANS_CLUSTERING</c> empty or
/// <c>localhost</c> runs one silo on its own (the embedded default); <c>AzureStorage</c> joins the cluster whose
/// membership lives in the Table service of <c>AZURE_STORAGE_CONNECTION_STRING</c> (a Storage account in Azure, Azurite
/// on a developer's machine and in the tests), so any number of API replicas share one set of grains.
/// </summary>
internal static class OrleansClustering
{
    public const string AzureStorage = "AzureStorage";

    public static ISiloBuilder UseTelephonyClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var siloPort = configuration.GetValue("ORLEANS_SILO_PORT", 11111);
        var gatewayPort = configuration.GetValue("ORLEANS_GATEWAY_PORT", 30000);
        var mode = configuration["ORLEANS_CLUSTERING"];
        if (string.IsNullOrWhiteSpace(mode) || string.Equals(mode, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return silo.UseLocalhostClustering(siloPort, gatewayPort);
        }

        if (!string.Equals(mode, AzureStorage, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"ORLEANS_CLUSTERING is '{mode}': use '{AzureStorage}' (a cluster of replicas) or leave it empty (one process).");
        }

        var storage = configuration["AZURE_STORAGE_CONNECTION_STRING"];
        if (string.IsNullOrWhiteSpace(storage))
        {
            throw new InvalidOperationException("ORLEANS_CLUSTERING=AzureStorage needs AZURE_STORAGE_CONNECTION_STRING (Azurite: scripts/lib/azurite.sh prints one).");
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = configuration["ORLEANS_CLUSTER_ID"] is { Length: > 0 } cluster ? cluster : "telephony";
            o.ServiceId = configuration["ORLEANS_SERVICE_ID"] is { Length: > 0 } service ? service : "telephony";
        });
        silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(storage));

        // Each silo must be reachable by the others at its own address: by default the machine's (or container's) first
        // non-loopback address, as Orleans picks it; ORLEANS_ADVERTISED_IP overrides it (127.0.0.1 for replicas on one
        // machine, the environment's address behind a platform that maps ports, such as Azure Container Apps).
        var advertisedIp = configuration["ORLEANS_ADVERTISED_IP"] is { Length: > 0 } ip
            ? IPAddress.TryParse(ip, out var parsed) ? parsed : throw new InvalidOperationException($"ORLEANS_ADVERTISED_IP '{ip}' is not an IP address.")
            : null;
        silo.Configure<EndpointOptions>(o =>
        {
            if (advertisedIp is not null)
            {
                o.AdvertisedIPAddress = advertisedIp;
            }

            o.SiloPort = configuration.GetValue("ORLEANS_ADVERTISED_SILO_PORT", siloPort);
            o.GatewayPort = configuration.GetValue("ORLEANS_ADVERTISED_GATEWAY_PORT", gatewayPort);
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, siloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, gatewayPort);
        });
        if (configuration["ORLEANS_SILO_NAME"] is { Length: > 0 } name)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = name);
        }

        return silo;
    }
}
