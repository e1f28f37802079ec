using Npgsql;
using Telephony.Core.Storage;

namespace Telephony.TestSupport;

/// <summary>
/// A fresh, uniquely named PostgreSQL database per test assembly run, migrated, dropped at the end.
/// Server from <c>TELEPHONY_TEST_DB</c> (an Npgsql connection string), default: the one scripts/test starts.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public const string DefaultServer = "Host=127.0.0.1;Port=55432;Username=telephony;Database=postgres";

    private readonly string _server = Environment.GetEnvironmentVariable("TELEPHONY_TEST_DB") is { Length: > 0 } configured ? configured : DefaultServer;
    private readonly string _name = $"telephony_test_{Guid.NewGuid():N}";

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        try
        {
            await using var admin = new NpgsqlConnection(_server);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {_name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at '{new NpgsqlConnectionStringBuilder(_server) { Password = null }}'. Run the tests with scripts/test (it starts a local server), or set TELEPHONY_TEST_DB.",
                ex);
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;
        DataSource = TelephonyDataSource.Create(ConnectionString);
        await new SchemaMigrator(DataSource).MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {_name} with (force)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
