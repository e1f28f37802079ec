using Npgsql;

namespace Telephony.Core.Storage;

/// <summary>The data source for writes the journal can rebuild (see <see cref="TelephonyDataSource.CreateForRebuildableWrites"/>).</summary>
public sealed record RebuildableWrites(NpgsqlDataSource DataSource) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
