using Npgsql;
using Telephony.Core.Storage;

namespace Telephony.Core.Tests.Storage;

public sealed class TelephonyDataSourceTests
{
    [Fact]
    public async Task Connections_keep_their_prepared_statements_across_checkouts_by_default()
    {
        await using var data = TelephonyDataSource.Create("postgresql://u@db.example/telephony");
        await using var rebuildable = TelephonyDataSource.CreateForRebuildableWrites("Host=db.example;Database=telephony");

        foreach (var connectionString in new[] { data.ConnectionString, rebuildable.DataSource.ConnectionString })
        {
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            Assert.True(settings.NoResetOnClose, connectionString);
            Assert.Equal(100, settings.MaxAutoPrepare);
        }
    }

    [Theory]
    [InlineData("Host=db.example;Database=telephony;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("postgresql://u@db.example/telephony?MaxAutoPrepare=0&NoResetOnClose=false")]
    public async Task A_database_url_that_names_the_settings_keeps_them(string databaseUrl)
    {
        await using var data = TelephonyDataSource.Create(databaseUrl);

        var settings = new NpgsqlConnectionStringBuilder(data.ConnectionString);
        Assert.False(settings.NoResetOnClose);
        Assert.Equal(0, settings.MaxAutoPrepare);
    }
}
