using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Tests.SSeries;

public sealed class SSeriesPushSourcesTests
{
    private static readonly IPAddress OldPbx = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress NewPbx = IPAddress.Parse("192.0.2.20");

    private readonly FakeTimeProvider _time = new();
    private readonly FakeDns _dns = new();

    [Fact]
    public async Task Only_what_yeastar_host_resolves_to_is_admitted_including_its_ipv4_mapped_form()
    {
        _dns.Answer = [OldPbx];
        var sources = Sources();

        Assert.True(await sources.IsAllowedAsync(OldPbx, CancellationToken.None));
        Assert.True(await sources.IsAllowedAsync(IPAddress.Parse("::ffff:192.0.2.10"), CancellationToken.None));
        Assert.False(await sources.IsAllowedAsync(NewPbx, CancellationToken.None));
        Assert.False(await sources.IsAllowedAsync(null, CancellationToken.None));
        Assert.Equal(["pbx.example.com"], _dns.Queries.Distinct());
    }

    [Fact]
    public async Task A_source_the_last_answer_lacks_asks_dns_again_but_at_most_every_few_seconds()
    {
        _dns.Answer = [OldPbx];
        var sources = Sources();
        Assert.True(await sources.IsAllowedAsync(OldPbx, CancellationToken.None));

        // The PBX moved (DHCP). A stranger's flood right after the first lookup costs no further lookups…
        _dns.Answer = [NewPbx];
        for (var i = 0; i < 20; i++)
        {
            Assert.False(await sources.IsAllowedAsync(IPAddress.Parse("192.0.2.99"), CancellationToken.None));
        }

        Assert.Single(_dns.Queries);
        Assert.False(await sources.IsAllowedAsync(NewPbx, CancellationToken.None));

        // …and once the pause is over, the PBX's first push from its new address finds it.
        _time.Advance(SSeriesPushSources.MissRefreshInterval);
        Assert.True(await sources.IsAllowedAsync(NewPbx, CancellationToken.None));
        Assert.Equal(2, _dns.Queries.Count);
    }

    [Fact]
    public async Task The_answer_is_refreshed_periodically_so_a_released_address_stops_being_admitted()
    {
        _dns.Answer = [OldPbx];
        var sources = Sources();
        Assert.True(await sources.IsAllowedAsync(OldPbx, CancellationToken.None));

        _dns.Answer = [NewPbx];
        _time.Advance(SSeriesPushSources.RefreshInterval - TimeSpan.FromSeconds(1));
        Assert.True(await sources.IsAllowedAsync(OldPbx, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(await sources.IsAllowedAsync(OldPbx, CancellationToken.None));
        Assert.Equal(2, _dns.Queries.Count);
    }

    [Fact]
    public async Task A_failed_lookup_keeps_the_last_answer()
    {
        _dns.Answer = [OldPbx];
        var sources = Sources();
        Assert.True(await sources.IsAllowedAsync(OldPbx, CancellationToken.None));

        _dns.Failure = new SocketException((int)SocketError.TryAgain);
        _time.Advance(SSeriesPushSources.RefreshInterval);

        Assert.True(await sources.IsAllowedAsync(OldPbx, CancellationToken.None));
        Assert.Equal(2, _dns.Queries.Count);
    }

    [Fact]
    public async Task Yeastar_push_allowed_ips_admit_without_asking_dns()
    {
        Assert.True(IpRangeList.TryParse("198.51.100.0/24", out var configured, out _));
        var sources = Sources(configured);

        Assert.True(await sources.IsAllowedAsync(IPAddress.Parse("198.51.100.42"), CancellationToken.None));
        Assert.Empty(_dns.Queries);
    }

    private SSeriesPushSources Sources(IpRangeList? configured = null) =>
        new("pbx.example.com", configured ?? IpRangeList.Empty, _dns.ResolveAsync, _time, NullLogger.Instance);

    private sealed class FakeDns
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _queries = new();

        public IPAddress[] Answer { get; set; } = [];

        public Exception? Failure { get; set; }

        public IReadOnlyList<string> Queries => [.. _queries];

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            _queries.Enqueue(host);
            return Failure is { } failure ? Task.FromException<IPAddress[]>(failure) : Task.FromResult(Answer);
        }
    }
}
