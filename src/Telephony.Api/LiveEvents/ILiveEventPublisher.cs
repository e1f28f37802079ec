namespace Telephony.Api.LiveEvents;

/// <summary>Pushes live events to a tenant's browsers (self-hosted hub, or Azure SignalR Service when scaled out).</summary>
internal interface ILiveEventPublisher
{
    Task PublishAsync(string tenantId, IReadOnlyCollection<string> extensions, string eventName, object payload, CancellationToken cancellationToken = default);
}
