using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Telephony.Api.Recordings;

/// <summary>
/// Archived recordings in Azure Blob Storage (Azurite on a developer's machine and in the tests): one container per
/// deployment (<c>RECORDINGS_CONTAINER</c>, default <c>recordings</c>) in the account of
/// <c>RECORDINGS_STORAGE_CONNECTION_STRING</c>, else <c>AZURE_STORAGE_CONNECTION_STRING</c>; blobs named by tenant and call.
/// Without either nothing is archived: recordings stay pending and the bridges keep them until storage is configured.
/// </summary>
internal sealed class RecordingStore
{
    public const string DefaultContainer = "recordings";

    private readonly BlobContainerClient? _container;
    private volatile bool _containerExists;

    public RecordingStore(IConfiguration configuration)
    {
        var setting = configuration["RECORDINGS_STORAGE_CONNECTION_STRING"] is { Length: > 0 } ? "RECORDINGS_STORAGE_CONNECTION_STRING" : "AZURE_STORAGE_CONNECTION_STRING";
        var connectionString = configuration[setting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                _container = new BlobContainerClient(connectionString, configuration["RECORDINGS_CONTAINER"] is { Length: > 0 } name ? name : DefaultContainer);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                // The SDK's own words, without the connection string (it holds the account key).
                throw new InvalidOperationException(
                    $"{setting} is not an Azure Storage connection string ({ex.GetType().Name}): give the account's, or Azurite's (scripts/lib/azurite.sh prints one).");
            }
        }
    }

    public bool IsConfigured => _container is not null;

    /// <summary><c>{tenant}/{call id}.wav</c>: the tenant first, so one tenant's recordings can be listed or removed together.</summary>
    public static string BlobNameFor(string tenantId, Guid callId, string contentType) =>
        $"{tenantId}/{callId:N}{(string.Equals(contentType, RecordingContentTypes.Mpeg, StringComparison.Ordinal) ? ".mp3" : ".wav")}";

    /// <returns>The stored size in bytes.</returns>
    public async Task<long> UploadAsync(string blobName, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var blob = (await ContainerAsync(cancellationToken)).GetBlobClient(blobName);
        await blob.UploadAsync(content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);
        return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
    }

    /// <summary>A seekable read of the blob (ranges are served from it), or null when it is not there.</summary>
    public async Task<Stream?> OpenReadAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            return await (await ContainerAsync(cancellationToken)).GetBlobClient(blobName).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        await (await ContainerAsync(cancellationToken)).GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    private async Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken)
    {
        var container = _container ?? throw new InvalidOperationException("Recording storage is not configured.");
        if (!_containerExists)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerExists = true;
        }

        return container;
    }
}
