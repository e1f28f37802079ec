using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Telephony.Api.Hosting;

/// <summary>
/// Keeps the data-protection key ring in PostgreSQL, the one store every replica shares, so hub tokens (and anything
/// else data protection seals) issued by one API replica are read by all of them. The key manager calls this
/// synchronously, rarely (start-up, key roll every 90 days), so the calls block.
/// </summary>
internal sealed class PostgresKeyRing(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dataSource.OpenConnection();
        return [.. connection.Query<string>("select xml from data_protection_keys order by created_at").Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = dataSource.OpenConnection();
        connection.Execute(
            "insert into data_protection_keys (friendly_name, xml) values (@friendlyName, @xml) on conflict (friendly_name) do nothing",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
