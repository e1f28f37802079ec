namespace Telephony.TestSupport;

/// <summary>
/// Where the tests find the servers scripts/test starts besides PostgreSQL (scripts/lib/azurite.sh, scripts/lib/redis.sh):
/// <c>TELEPHONY_TEST_AZURITE</c> (an Azure Storage connection string) and <c>TELEPHONY_TEST_REDIS</c>, defaulting to
/// the ports those scripts use.
/// </summary>
public static class TestServices
{
    // Azurite's well-known development account (public, documented by Microsoft), at scripts/lib/azurite.sh's ports.
    private const string DefaultAzurite =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    public static string Azurite => Environment.GetEnvironmentVariable("TELEPHONY_TEST_AZURITE") is { Length: > 0 } configured ? configured : DefaultAzurite;

    public static string Redis => Environment.GetEnvironmentVariable("TELEPHONY_TEST_REDIS") is { Length: > 0 } configured ? configured : "127.0.0.1:56379";
}
