using System.Text.Json;

namespace Telephony.Core.Storage;

internal static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
