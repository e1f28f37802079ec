using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Who may push S-Series events: the addresses YEASTAR_HOST resolves to, plus YEASTAR_PUSH_ALLOWED_IPS (a PBX behind
/// NAT, a second PBX interface). The DNS answer is kept for <see cref="RefreshInterval"/>, and a source it lacks asks
/// again at most every <see cref="MissRefreshInterval"/>: a PBX's address can change (DHCP), but a flood of strangers
/// must not become a flood of lookups. Only the TCP peer counts — the bridge listens directly, so an
/// X-Forwarded-For header would be the forger's own choice.
/// </summary>
internal sealed partial class SSeriesPushSources
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MissRefreshInterval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    private readonly string _pbxHost;
    private readonly IpRangeList _configured;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Guarded by _gate.
    private IpRangeList _resolved = IpRangeList.Empty;
    private DateTimeOffset? _lookedUpAt;
    private Task? _lookup;

    // Touched only by the one running lookup.
    private bool _lastLookupFailed;

    public SSeriesPushSources(IOptions<PbxBridgeOptions> options, TimeProvider time, ILogger<SSeriesPushSources> logger)
        : this(options.Value.GetYeastarBaseUri().DnsSafeHost, options.Value.GetPushAllowList(), Dns.GetHostAddressesAsync, time, logger)
    {
    }

    /// <summary>For tests: <paramref name="resolve"/> stands in for DNS (an IP literal resolves to itself there too).</summary>
    internal SSeriesPushSources(
        string pbxHost, IpRangeList configured, Func<string, CancellationToken, Task<IPAddress[]>> resolve, TimeProvider time, ILogger logger)
    {
        _pbxHost = pbxHost;
        _configured = configured;
        _resolve = resolve;
        _time = time;
        _logger = logger;
    }

    /// <summary>False for a null source (no TCP peer, e.g. an in-memory server): nothing shows it is the PBX.</summary>
    public async ValueTask<bool> IsAllowedAsync(IPAddress? source, CancellationToken cancellationToken)
    {
        if (source is null)
        {
            return false;
        }

        if (_configured.Contains(source))
        {
            return true;
        }

        var (resolved, lookedUpAt) = Snapshot();
        var age = lookedUpAt is { } at ? _time.GetUtcNow() - at : TimeSpan.MaxValue;
        var known = resolved.Contains(source);
        if (age >= RefreshInterval || (!known && age >= MissRefreshInterval))
        {
            await LookUpAsync().WaitAsync(cancellationToken);
            known = Snapshot().Resolved.Contains(source);
        }

        return known;
    }

    private (IpRangeList Resolved, DateTimeOffset? LookedUpAt) Snapshot()
    {
        lock (_gate)
        {
            return (_resolved, _lookedUpAt);
        }
    }

    // One lookup at a time, and none within MissRefreshInterval of the last: callers share the running one.
    private Task LookUpAsync()
    {
        lock (_gate)
        {
            if (_lookup is { IsCompleted: false } running)
            {
                return running;
            }

            if (_lookedUpAt is { } at && _time.GetUtcNow() - at < MissRefreshInterval)
            {
                return Task.CompletedTask;
            }

            // On the pool: the lookup outlives the request that started it, and the others wait on it.
            return _lookup = Task.Run(RunLookupAsync);
        }
    }

    private async Task RunLookupAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(LookupTimeout, _time);
            var addresses = IpRangeList.Of(await _resolve(_pbxHost, timeout.Token));
            lock (_gate)
            {
                _resolved = addresses;
            }

            if (_lastLookupFailed)
            {
                _lastLookupFailed = false;
                Log.LookupRecovered(_logger, _pbxHost, addresses.Count);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ArgumentException)
        {
            // Keep the last answer: a PBX still at its old address keeps pushing while DNS is away. Logged once per outage.
            if (!_lastLookupFailed)
            {
                _lastLookupFailed = true;
                Log.LookupFailed(_logger, _pbxHost, ex is SocketException socket ? socket.SocketErrorCode.ToString() : ex.GetType().Name, Snapshot().Resolved.Count);
            }
        }
        finally
        {
            lock (_gate)
            {
                _lookedUpAt = _time.GetUtcNow();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning,
            "Could not resolve YEASTAR_HOST {Host} to check who may push S-Series events ({Error}); {Count} addresses from before stay allowed")]
        public static partial void LookupFailed(ILogger logger, string host, string error, int count);

        [LoggerMessage(2, LogLevel.Information, "YEASTAR_HOST {Host} resolves again ({Count} addresses may push S-Series events)")]
        public static partial void LookupRecovered(ILogger logger, string host, int count);
    }
}
