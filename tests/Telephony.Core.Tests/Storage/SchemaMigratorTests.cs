using Dapper;
using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Storage;

public sealed class SchemaMigratorTests(TestDatabase database)
{
    [Fact]
    public async Task Migrating_an_up_to_date_database_again_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await new SchemaMigrator(database.DataSource).MigrateAsync(ct);

        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        var versions = (await connection.QueryAsync<string>("select version from schema_migrations order by version")).ToList();
        Assert.Equal("0001_initial", versions[0]);
        Assert.Equal(versions.Count, versions.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("postgresql://u:p%40ss@db.example:6543/telephony?sslmode=require", "Host=db.example;Port=6543;Database=telephony;Username=u;Password=p@ss;SSL Mode=Require")]
    [InlineData("Host=h;Database=d", "Host=h;Database=d")]
    public void Database_url_accepts_a_uri_or_a_connection_string(string url, string expected)
    {
        var actual = new Npgsql.NpgsqlConnectionStringBuilder(TelephonyDataSource.ToConnectionString(url));
        Assert.True(actual.EquivalentTo(new Npgsql.NpgsqlConnectionStringBuilder(expected)), actual.ConnectionString);
    }
}
